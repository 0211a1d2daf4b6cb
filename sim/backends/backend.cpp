#include "sim/backends/backend.hpp"

#include <fmt/format.h>

#include <array>

namespace rejuv::sim::backends {

namespace {
constexpr std::array<std::string_view, kOpCount> kOpNames = {
    "define",  "undefine", "start",   "shutdown",   "reboot",      "destroy",   "suspend",    "resume",
    "save",    "restore",  "migrate", "restart_on", "host_reboot", "host_fail", "host_repair",
};
}  // namespace

std::string_view name(Op op) { return kOpNames[size_t(op)]; }

std::optional<Op> parse_op(std::string_view text) {
  for (int i = 0; i < kOpCount; ++i)
    if (kOpNames[size_t(i)] == text) return Op(i);
  return std::nullopt;
}

bool is_host_op(Op op) { return op == Op::host_reboot || op == Op::host_fail || op == Op::host_repair; }

std::string_view name(DomainState s) {
  switch (s) {
    case DomainState::undefined: return "undefined";
    case DomainState::shutoff: return "shutoff";
    case DomainState::running: return "running";
    case DomainState::paused: return "paused";
    case DomainState::saved: return "saved";
    case DomainState::crashed: return "crashed";
  }
  return "?";
}

std::string_view name(Blame b) {
  switch (b) {
    case Blame::unknown: return "unknown";
    case Blame::domain: return "domain";
    case Blame::host: return "host";
    case Blame::target_host: return "target_host";
  }
  return "?";
}

BackendFailure::BackendFailure(Op op, std::string subject, const Outcome& outcome)
    : std::runtime_error(fmt::format("{} {} {}: {} (code {})", name(op), subject,
                                     outcome.status == Outcome::Status::unsupported ? "is unsupported" : "failed",
                                     outcome.message, outcome.code)),
      op_(op),
      subject_(std::move(subject)),
      outcome_(outcome) {}

std::pair<DomainId, Outcome> Backend::define_running(HostId h, const DomainSpec& spec, uint32_t count) {
  DomainId first = kNoId;
  Seconds total = 0;
  for (uint32_t k = 0; k < count; ++k) {
    DomainSpec one = spec;
    one.name = (spec.name.empty() ? "d" : spec.name) + std::to_string(domain_count());
    auto [d, defined] = define(h, one, 0);
    if (!defined.ok()) return {first, defined};
    if (first == kNoId) first = d;
    Outcome started = start(d, 0);
    if (!started.ok()) return {first, started};
    total += defined.duration + started.duration;
  }
  return {first, Outcome::success(total)};
}

Outcome Backend::run(Op op, uint32_t subject, Seconds planned) {
  switch (op) {
    case Op::undefine: return undefine(subject, planned);
    case Op::start: return start(subject, planned);
    case Op::shutdown: return shutdown(subject, planned);
    case Op::reboot: return reboot(subject, planned);
    case Op::destroy: return destroy(subject, planned);
    case Op::suspend: return suspend(subject, planned);
    case Op::resume: return resume(subject, planned);
    case Op::save: return save(subject, planned);
    case Op::restore: return restore(subject, planned);
    case Op::host_fail: return fail_host(subject);
    case Op::host_repair: return repair_host(subject, planned);
    case Op::define:
    case Op::migrate:
    case Op::restart_on:
    case Op::host_reboot: break;
  }
  throw std::logic_error(fmt::format("Backend::run: {} needs more than a subject; call it directly", name(op)));
}

Seconds expect_ok(const Backend& backend, Op op, uint32_t subject, const Outcome& outcome) {
  if (outcome.ok()) return outcome.duration;
  throw BackendFailure(op, is_host_op(op) ? backend.host_name(subject) : backend.domain_name(subject), outcome);
}

}  // namespace rejuv::sim::backends
