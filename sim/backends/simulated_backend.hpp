#pragma once
// The simulated world behind the backend interface: hosts and domains as a table of states, each
// operation checked against the state it needs (the rules libvirt applies: a running domain cannot
// be started again, a paused one can be resumed, ...), taking the time its caller planned.
//
// It is what every scenario runs on by default, so it is lean: a domain costs 9 bytes (its state,
// its host, its place in its host's list); a spec is stored once per define call, and once for any
// run of define_running calls with the same spec (a cluster's million hosts share one).
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/backends/backend.hpp"

namespace rejuv::sim::backends {

class SimulatedBackend final : public Backend {
 public:
  SimulatedBackend() = default;

  std::string kind() const override { return "simulated"; }
  void attach(const Engine* engine) override { engine_ = engine; }

  HostId add_host(const HostSpec& spec) override;
  size_t host_count() const override { return hosts_.size(); }
  std::string host_name(HostId h) const override;
  HostState host_state(HostId h) const override;
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

  size_t domain_count() const override { return dom_state_.size(); }
  std::string domain_name(DomainId d) const override;
  DomainInfo info(DomainId d) const override;
  JobInfo job_info(DomainId d) const override;
  void subscribe(Listener listener) override { listeners_.push_back(std::move(listener)); }

  std::pair<DomainId, Outcome> define_running(HostId h, const DomainSpec& spec, uint32_t count) override;
  // The domains on host h (a scan; for tests and small worlds).
  std::vector<DomainId> domains_on(HostId h) const;
  // Bytes the world's tables hold (for --stats).
  size_t bytes() const;

 private:
  struct Host {
    std::string name;
    HostSpec spec;
    HostState state = HostState::up;
  };
  Seconds now() const;
  bool valid_host(HostId h) const { return h < hosts_.size(); }
  bool valid_domain(DomainId d) const { return d < dom_state_.size() && dom_state_[d] != DomainState::undefined; }
  // The failure to report when domain d cannot go through `op` from its current state.
  Outcome check_domain(DomainId d, Op op, Seconds planned, std::initializer_list<DomainState> from) const;
  Outcome set_state(DomainId d, Op op, DomainState to, Seconds planned);
  void emit(Op cause, HostId h, DomainId d, DomainState s) const;

  const Engine* engine_ = nullptr;
  std::vector<Host> hosts_;
  // The spec of the domains first .. first + count − 1, in order of first.
  struct SpecRange {
    DomainId first;
    uint32_t count;
    bool batch;  // from define_running: names are spec.name + id
    DomainSpec spec;
  };
  const SpecRange& range_of(DomainId d) const;

  // One entry per domain id, structure of arrays.
  std::vector<DomainState> dom_state_;
  std::vector<HostId> dom_host_;
  std::vector<SpecRange> specs_;
  std::vector<std::vector<DomainId>> on_host_;         // the domains defined on each host
  std::unordered_map<std::string, DomainId> by_name_;  // domains defined one by one with a name
  // The most recent migration's statistics (kept for one domain only: a cluster migrates millions).
  DomainId last_job_domain_ = kNoId;
  JobInfo last_job_;
  std::vector<Listener> listeners_;
};

}  // namespace rejuv::sim::backends
