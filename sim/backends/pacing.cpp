#include "sim/backends/pacing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "sim/backends/safety.hpp"

namespace rejuv::sim::backends {

void interruptible_sleep(Seconds s) {
  using clock = std::chrono::steady_clock;
  const auto until =
      clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s));
  for (;;) {
    if (interrupt_requested()) throw Interrupted();
    const auto now = clock::now();
    if (now >= until) return;
    std::this_thread::sleep_for(
        std::min<clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
}

Pacing::Pacing(Backend& inner, double time_scale, Sleep sleep)
    : ForwardingBackend(inner),
      scale_(time_scale),
      sleep_(sleep ? std::move(sleep) : Sleep(interruptible_sleep)) {
  if (!std::isfinite(time_scale) || time_scale < 0)
    throw std::invalid_argument(
        fmt::format("Pacing: time scale must be finite and >= 0, got {}", time_scale));
}

Seconds Pacing::before() {
  const Seconds t = now();
  const Seconds idle = t - idle_from_;
  if (idle > 0 && scale_ > 0) {
    if (on_wait_) on_wait_(idle * scale_, t);
    sleep_(idle * scale_);
    waited_ += idle * scale_;
  }
  return t;
}

const Outcome& Pacing::after(Seconds started, const Outcome& outcome) {
  idle_from_ = std::max(idle_from_, started + outcome.duration);
  return outcome;
}

Outcome Pacing::host_reboot(HostId h, HostReboot mode, Seconds planned) {
  const Seconds t = before();
  return after(t, inner_.host_reboot(h, mode, planned));
}

Outcome Pacing::fail_host(HostId h) {
  const Seconds t = before();
  return after(t, inner_.fail_host(h));
}

Outcome Pacing::repair_host(HostId h, Seconds planned) {
  const Seconds t = before();
  return after(t, inner_.repair_host(h, planned));
}

std::pair<DomainId, Outcome> Pacing::define(HostId h, const DomainSpec& spec, Seconds planned) {
  const Seconds t = before();
  auto r = inner_.define(h, spec, planned);
  after(t, r.second);
  return r;
}

#define REJUV_DOMAIN_OP(op_name)                         \
  Outcome Pacing::op_name(DomainId d, Seconds planned) { \
    const Seconds t = before();                          \
    return after(t, inner_.op_name(d, planned));         \
  }
REJUV_DOMAIN_OP(undefine)
REJUV_DOMAIN_OP(start)
REJUV_DOMAIN_OP(shutdown)
REJUV_DOMAIN_OP(reboot)
REJUV_DOMAIN_OP(destroy)
REJUV_DOMAIN_OP(suspend)
REJUV_DOMAIN_OP(resume)
REJUV_DOMAIN_OP(save)
REJUV_DOMAIN_OP(restore)
#undef REJUV_DOMAIN_OP

Outcome Pacing::migrate(DomainId d, HostId to, const MigrateOptions& options,
                        const MigrationPlan& plan) {
  const Seconds t = before();
  return after(t, inner_.migrate(d, to, options, plan));
}

Outcome Pacing::restart_on(DomainId d, HostId to, Seconds planned) {
  const Seconds t = before();
  return after(t, inner_.restart_on(d, to, planned));
}

}  // namespace rejuv::sim::backends
