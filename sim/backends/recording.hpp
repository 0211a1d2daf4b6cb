#pragma once
// An operation log, around any backend: every call with its simulated time, its subject, the
// duration the model planned and what the backend returned. `rejuv validate` runs a scenario once
// on the simulated backend and once on a real one, each recorded, and compares the two logs.
#include <string>
#include <vector>

#include "sim/backends/forwarding_backend.hpp"

namespace rejuv::sim::backends {

struct OpRecord {
  Seconds time = 0;  // simulated time the operation started at
  Op op = Op::define;
  std::string subject;  // the domain's or host's name
  std::string target;   // the target host of migrate and restart_on
  Seconds planned = 0;
  Outcome outcome;
};

class Recording final : public ForwardingBackend {
 public:
  explicit Recording(Backend& inner) : ForwardingBackend(inner) {}

  const std::vector<OpRecord>& log() const { return log_; }

  Outcome host_reboot(HostId h, HostReboot mode, Seconds planned) override;
  Outcome fail_host(HostId h) override;
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
  const Outcome& add(Op op, std::string subject, Seconds planned, Outcome outcome, std::string target = {});
  std::vector<OpRecord> log_;
};

// Per operation kind: how many, how many failed or were unsupported, and the durations of those that
// worked (mean, median, 95th percentile by linear interpolation between order statistics).
struct OpStats {
  Op op = Op::define;
  size_t count = 0;
  size_t failures = 0;
  size_t unsupported = 0;
  double mean_s = 0, p50_s = 0, p95_s = 0;
  double planned_mean_s = 0;  // the mean of what the model planned for the same operations
};
// One entry per kind present in the log, in the order of Op.
std::vector<OpStats> summarize(const std::vector<OpRecord>& log);

}  // namespace rejuv::sim::backends
