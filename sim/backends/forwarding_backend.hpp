#pragma once
// A backend that passes every call to another: the base of the decorators (FaultInjection,
// Recording), which override only what they change.
#include "sim/backends/backend.hpp"

namespace rejuv::sim::backends {

class ForwardingBackend : public Backend {
 public:
  explicit ForwardingBackend(Backend& inner) : inner_(inner) {}

  std::string kind() const override { return inner_.kind(); }
  void attach(const Engine* engine) override {
    engine_ = engine;
    inner_.attach(engine);
  }

  HostId add_host(const HostSpec& spec) override { return inner_.add_host(spec); }
  size_t host_count() const override { return inner_.host_count(); }
  std::string host_name(HostId h) const override { return inner_.host_name(h); }
  HostState host_state(HostId h) const override { return inner_.host_state(h); }
  Outcome host_reboot(HostId h, HostReboot mode, Seconds planned) override {
    return inner_.host_reboot(h, mode, planned);
  }
  Outcome fail_host(HostId h) override { return inner_.fail_host(h); }
  Outcome repair_host(HostId h, Seconds planned) override { return inner_.repair_host(h, planned); }

  std::pair<DomainId, Outcome> define(HostId h, const DomainSpec& spec, Seconds planned) override {
    return inner_.define(h, spec, planned);
  }
  Outcome undefine(DomainId d, Seconds planned) override { return inner_.undefine(d, planned); }
  Outcome start(DomainId d, Seconds planned) override { return inner_.start(d, planned); }
  Outcome shutdown(DomainId d, Seconds planned) override { return inner_.shutdown(d, planned); }
  Outcome reboot(DomainId d, Seconds planned) override { return inner_.reboot(d, planned); }
  Outcome destroy(DomainId d, Seconds planned) override { return inner_.destroy(d, planned); }
  Outcome suspend(DomainId d, Seconds planned) override { return inner_.suspend(d, planned); }
  Outcome resume(DomainId d, Seconds planned) override { return inner_.resume(d, planned); }
  Outcome save(DomainId d, Seconds planned) override { return inner_.save(d, planned); }
  Outcome restore(DomainId d, Seconds planned) override { return inner_.restore(d, planned); }
  Outcome migrate(DomainId d, HostId to, const MigrateOptions& options, const MigrationPlan& plan) override {
    return inner_.migrate(d, to, options, plan);
  }
  Outcome restart_on(DomainId d, HostId to, Seconds planned) override { return inner_.restart_on(d, to, planned); }

  std::pair<DomainId, Outcome> define_running(HostId h, const DomainSpec& spec, uint32_t count) override {
    return inner_.define_running(h, spec, count);
  }
  size_t domain_count() const override { return inner_.domain_count(); }
  std::string domain_name(DomainId d) const override { return inner_.domain_name(d); }
  DomainInfo info(DomainId d) const override { return inner_.info(d); }
  JobInfo job_info(DomainId d) const override { return inner_.job_info(d); }
  void subscribe(Listener listener) override { inner_.subscribe(std::move(listener)); }

 protected:
  Seconds now() const;
  Backend& inner_;
  const Engine* engine_ = nullptr;
};

}  // namespace rejuv::sim::backends
