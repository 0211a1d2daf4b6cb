#include "sim/backends/recording.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace rejuv::sim::backends {

const Outcome& Recording::add(Op op, std::string subject, Seconds planned, Outcome outcome, std::string target) {
  log_.push_back(OpRecord{now(), op, std::move(subject), std::move(target), planned, std::move(outcome)});
  return log_.back().outcome;
}

Outcome Recording::host_reboot(HostId h, HostReboot mode, Seconds planned) {
  return add(Op::host_reboot, inner_.host_name(h), planned, inner_.host_reboot(h, mode, planned));
}

Outcome Recording::fail_host(HostId h) { return add(Op::host_fail, inner_.host_name(h), 0, inner_.fail_host(h)); }

Outcome Recording::repair_host(HostId h, Seconds planned) {
  return add(Op::host_repair, inner_.host_name(h), planned, inner_.repair_host(h, planned));
}

std::pair<DomainId, Outcome> Recording::define(HostId h, const DomainSpec& spec, Seconds planned) {
  auto [d, outcome] = inner_.define(h, spec, planned);
  add(Op::define, d != kNoId ? inner_.domain_name(d) : spec.name, planned, outcome, inner_.host_name(h));
  return {d, std::move(outcome)};
}

// The name is taken before the call: an undefined domain may no longer have one.
#define REJUV_DOMAIN_OP(op_name)                                         \
  Outcome Recording::op_name(DomainId d, Seconds planned) {              \
    std::string subject = inner_.domain_name(d);                         \
    return add(Op::op_name, std::move(subject), planned, inner_.op_name(d, planned)); \
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

Outcome Recording::migrate(DomainId d, HostId to, const MigrateOptions& options, const MigrationPlan& plan) {
  std::string subject = inner_.domain_name(d);
  return add(Op::migrate, std::move(subject), plan.total, inner_.migrate(d, to, options, plan), inner_.host_name(to));
}

Outcome Recording::restart_on(DomainId d, HostId to, Seconds planned) {
  std::string subject = inner_.domain_name(d);
  return add(Op::restart_on, std::move(subject), planned, inner_.restart_on(d, to, planned), inner_.host_name(to));
}

namespace {

// The q-quantile of sorted values, interpolating linearly between order statistics (R's type 7).
double quantile_sorted(const std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  const double pos = q * double(v.size() - 1);
  const size_t lo = size_t(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

}  // namespace

std::vector<OpStats> summarize(const std::vector<OpRecord>& log) {
  std::array<std::vector<double>, kOpCount> durations;
  std::array<OpStats, kOpCount> stats{};
  std::array<double, kOpCount> planned_sum{};
  for (const auto& r : log) {
    OpStats& s = stats[size_t(r.op)];
    s.op = r.op;
    ++s.count;
    if (r.outcome.status == Outcome::Status::failed) ++s.failures;
    if (r.outcome.status == Outcome::Status::unsupported) ++s.unsupported;
    if (r.outcome.ok()) {
      durations[size_t(r.op)].push_back(r.outcome.duration);
      planned_sum[size_t(r.op)] += r.planned;
    }
  }
  std::vector<OpStats> out;
  for (int k = 0; k < kOpCount; ++k) {
    OpStats s = stats[size_t(k)];
    if (s.count == 0) continue;
    auto& d = durations[size_t(k)];
    std::sort(d.begin(), d.end());
    if (!d.empty()) {
      double sum = 0;
      for (double x : d) sum += x;
      s.mean_s = sum / double(d.size());
      s.planned_mean_s = planned_sum[size_t(k)] / double(d.size());
      s.p50_s = quantile_sorted(d, 0.5);
      s.p95_s = quantile_sorted(d, 0.95);
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace rejuv::sim::backends
