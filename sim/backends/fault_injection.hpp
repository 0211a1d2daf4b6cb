#pragma once
// Injected faults, around any backend: an operation on a chosen host or domain fails once, always,
// or with a probability, within a window of simulated time, without reaching the backend. The
// failed attempt takes the time its caller planned (the time a real failed operation wastes), and
// its outcome carries codes::kInjected. A host failure is not injected here: call fail_host, which
// every backend implements (LibvirtBackend by destroying the host's domains).
//
//   FaultInjection faults(world, streams);
//   faults.add({.target = Fault::Target::host, .id = ibm34, .op = Op::define, .mode = Fault::Mode::always});
#include <limits>
#include <optional>
#include <vector>

#include "sim/backends/forwarding_backend.hpp"
#include "sim/random.hpp"

namespace rejuv::sim::backends {

struct Fault {
  enum class Target : uint8_t { host, domain };
  enum class Mode : uint8_t { once, always, probability };
  Target target = Target::host;
  uint32_t id = kNoId;    // the host (a fault on a host hits the operations of its domains too)
  std::optional<Op> op{};  // empty: every operation
  Mode mode = Mode::always;
  double probability = 1;  // for Mode::probability, in [0, 1]
  Seconds from = 0;        // the window of simulated time in which the fault strikes
  Seconds until = std::numeric_limits<double>::infinity();
};

class FaultInjection final : public ForwardingBackend {
 public:
  // Probability draws come from the stream "backend/faults" of `streams`.
  FaultInjection(Backend& inner, const Streams& streams);

  std::string kind() const override { return inner_.kind() + "+faults"; }
  void add(const Fault& fault) { faults_.push_back(Entry{fault, false}); }
  // How many operations the faults made fail.
  uint64_t injected() const { return injected_; }

  Outcome host_reboot(HostId h, HostReboot mode, Seconds planned) override;
  Outcome repair_host(HostId h, Seconds planned) override;
  std::pair<DomainId, Outcome> define(HostId h, const DomainSpec& spec, Seconds planned) override;
  Outcome undefine(DomainId d, Seconds planned) override;
  Outcome start(DomainId d, Seconds planned) override;
  Outcome shutdown(DomainId d, Seconds planned) override;
  Outcome reboot(DomainId d, Seconds planned) override;
  Outcome destroy(DomainId d, Seconds planned) override;
  Outcome suspend(DomainId d, Seconds planned) override;
  Outcome resume(DomainId d, Seconds planned) override;
  Outcome save(DomainId d, Seconds planned) override;
  Outcome restore(DomainId d, Seconds planned) override;
  Outcome migrate(DomainId d, HostId to, const MigrateOptions& options, const MigrationPlan& plan) override;
  Outcome restart_on(DomainId d, HostId to, Seconds planned) override;

 private:
  struct Entry {
    Fault fault;
    bool spent;  // a `once` fault that struck
  };
  // The injected failure if a fault strikes operation `op` on domain d (kNoId for host operations)
  // of host h, or on the target host `to` of a migration or restart.
  std::optional<Outcome> strike(Op op, HostId h, DomainId d, Seconds planned, HostId to = kNoId);
  HostId host_of(DomainId d) const { return inner_.info(d).host; }

  std::vector<Entry> faults_;
  Rng rng_;
  uint64_t injected_ = 0;
};

}  // namespace rejuv::sim::backends
