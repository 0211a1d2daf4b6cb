#pragma once
// Pacing on the wall clock, around a real backend: the simulated time between operations is waited
// for, scaled; the operations themselves take the time they take. With a time scale of 1e-5 a
// simulated day of idleness is 0.864 s of waiting, and a 20 s migration still takes 20 s.
//
// Before an operation that starts at simulated time t, Pacing waits scale · (t − idle_from), where
// idle_from is the latest simulated time any earlier operation ended (its start plus the duration
// its backend returned). Operations that overlap in simulated time (two hosts rebooting at once)
// run one after another without a wait: a synchronous backend cannot run them together.
//
//   Pacing paced(libvirt, 1e-5);
//   paced.attach(&engine);   // the simulated clock
#include <functional>

#include "sim/backends/forwarding_backend.hpp"

namespace rejuv::sim::backends {

class Pacing final : public ForwardingBackend {
 public:
  // sleep(s) waits s wall-clock seconds; the default sleeps in slices and throws Interrupted once
  // an interrupt is requested (safety.hpp).
  using Sleep = std::function<void(Seconds)>;
  Pacing(Backend& inner, double time_scale, Sleep sleep = {});

  // Called before each wait with its wall-clock length and the simulated time it waits until
  // (`rejuv validate` shows progress with it).
  void on_wait(std::function<void(Seconds wait, Seconds until)> f) { on_wait_ = std::move(f); }

  double time_scale() const { return scale_; }
  Seconds waited_s() const { return waited_; }  // wall-clock seconds spent waiting so far

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
  Outcome migrate(DomainId d, HostId to, const MigrateOptions& options,
                  const MigrationPlan& plan) override;
  Outcome restart_on(DomainId d, HostId to, Seconds planned) override;

 private:
  // Waits for the idle time before an operation starting now(); returns now().
  Seconds before();
  const Outcome& after(Seconds started, const Outcome& outcome);

  double scale_;
  Sleep sleep_;
  std::function<void(Seconds, Seconds)> on_wait_;
  Seconds idle_from_ = 0;
  Seconds waited_ = 0;
};

// Sleeps `s` wall-clock seconds in slices of at most 50 ms; throws Interrupted when an interrupt is
// requested before or during the wait.
void interruptible_sleep(Seconds s);

}  // namespace rejuv::sim::backends
