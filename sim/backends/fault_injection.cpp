#include "sim/backends/fault_injection.hpp"

#include <fmt/format.h>

namespace rejuv::sim::backends {

FaultInjection::FaultInjection(Backend& inner, const Streams& streams)
    : ForwardingBackend(inner), rng_(streams.get("backend/faults")) {}

std::optional<Outcome> FaultInjection::strike(Op op, HostId h, DomainId d, Seconds planned, HostId to) {
  const Seconds t = now();
  for (auto& e : faults_) {
    const Fault& f = e.fault;
    if (e.spent || (f.op && *f.op != op) || t < f.from || t > f.until) continue;
    const bool hit = f.target == Fault::Target::domain ? (d != kNoId && f.id == d) : (f.id == h || (to != kNoId && f.id == to));
    if (!hit) continue;
    // A probability is drawn only for an operation the fault could strike, so the draws depend on
    // the operations alone.
    if (f.mode == Fault::Mode::probability && !(rng_.uniform01() < f.probability)) continue;
    if (f.mode == Fault::Mode::once) e.spent = true;
    ++injected_;
    const std::string subject = d != kNoId ? inner_.domain_name(d) : inner_.host_name(h);
    const bool on_target = f.target == Fault::Target::host && to != kNoId && f.id == to;
    const Blame blame = f.target == Fault::Target::domain ? Blame::domain : on_target ? Blame::target_host : Blame::host;
    return Outcome::failure(planned, codes::kInjected,
                            fmt::format("injected fault: {} of {} on {}", name(op), subject,
                                        inner_.host_name(on_target ? to : h)),
                            blame);
  }
  return std::nullopt;
}

Outcome FaultInjection::host_reboot(HostId h, HostReboot mode, Seconds planned) {
  if (auto f = strike(Op::host_reboot, h, kNoId, planned)) return *f;
  return inner_.host_reboot(h, mode, planned);
}

Outcome FaultInjection::repair_host(HostId h, Seconds planned) {
  if (auto f = strike(Op::host_repair, h, kNoId, planned)) return *f;
  return inner_.repair_host(h, planned);
}

std::pair<DomainId, Outcome> FaultInjection::define(HostId h, const DomainSpec& spec, Seconds planned) {
  if (auto f = strike(Op::define, h, kNoId, planned)) return {kNoId, *f};
  return inner_.define(h, spec, planned);
}

// The domain operations that need nothing but the domain.
#define REJUV_DOMAIN_OP(op_name)                                                     \
  Outcome FaultInjection::op_name(DomainId d, Seconds planned) {                     \
    if (auto f = strike(Op::op_name, host_of(d), d, planned)) return *f;             \
    return inner_.op_name(d, planned);                                               \
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

Outcome FaultInjection::migrate(DomainId d, HostId to, const MigrateOptions& options, const MigrationPlan& plan) {
  if (auto f = strike(Op::migrate, host_of(d), d, plan.total, to)) return *f;
  return inner_.migrate(d, to, options, plan);
}

Outcome FaultInjection::restart_on(DomainId d, HostId to, Seconds planned) {
  if (auto f = strike(Op::restart_on, host_of(d), d, planned, to)) return *f;
  return inner_.restart_on(d, to, planned);
}

}  // namespace rejuv::sim::backends
