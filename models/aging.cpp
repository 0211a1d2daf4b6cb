#include "models/aging.hpp"

#include <cmath>

#include "models/os_window.hpp"

namespace rejuv {

namespace {

constexpr double kYear = 365 * 86400.0;
// Where a VMM law's tail is cut when cold never rejuvenates: past this quantile a cycle is so
// unlikely that its OS window adds nothing visible.
constexpr double kTailQuantile = 1 - 1e-10;

struct Cycle {
  Seconds mean = 0;  // E[C]
  double pr = 1;     // P(the cycle ends with a rejuvenation) = S(T)
  double pf = 0;     // P(it ends with a crash) = F(T)
};

Cycle cycle(const std::optional<AgingLaw>& law, Seconds T) {
  if (!law) return {T, 1, 0};
  if (std::isinf(T)) return {law->mean(), 0, 1};
  return {law->integral_survival(T), law->survival(T), law->cdf(T)};
}

// The OS's cycle min(X, T_os, E), E exponential of rate κ (a VMM crash's renewal, which costs the
// OS nothing more): its mean, and the chances that it ends by rejuvenation or by an OS crash.
Cycle os_cycle(const std::optional<AgingLaw>& law, Seconds T_os, double kappa) {
  if (!(kappa > 0)) return cycle(law, T_os);
  Cycle c;
  const double reach = std::isinf(T_os) ? 0.0 : std::exp(-kappa * T_os);  // P(E > T_os)
  if (!law) {
    c.mean = std::isinf(T_os) ? 1 / kappa : -std::expm1(-kappa * T_os) / kappa;
    c.pr = reach;
    c.pf = 0;
    return c;
  }
  c.mean = law->integral_survival_discounted(T_os, kappa);
  c.pr = std::isinf(T_os) ? 0.0 : law->survival(T_os) * reach;
  // ∫ (f + κ S) e^{−κt} dt = 1 − S(T_os) e^{−κ T_os}: crash or VMM crash, whichever comes first.
  c.pf = std::max(0.0, 1 - c.pr - kappa * c.mean);
  return c;
}

// P(C ≥ x) for C = min(X, T): S(x) up to T, 0 beyond.
double at_least(const std::optional<AgingLaw>& law, Seconds T, Seconds x) {
  if (x > T) return 0.0;
  return law ? law->survival(x) : 1.0;
}

// E[OS rejuvenations] and E[OS crashes] in the OS window C − D of one cold VMM cycle.
struct WindowCounts {
  double R = 0, K = 0;
};

// Without OS aging: E[⌊(C − D)/T_os⌋] = Σ_k P(C ≥ D + k T_os), exactly ⌊N_c⌋ when C = T_vmm.
WindowCounts counts_without_os_aging(const std::optional<AgingLaw>& vmm, Seconds T, Seconds T_os, Seconds D) {
  if (std::isinf(T_os) || T <= T_os) return {};  // seed 003 §3.2: ⌊N_c⌋ = 0 when T_vmm ≤ T_os
  if (!vmm) return {std::floor(std::max(0.0, (T - D) / T_os)), 0};
  double sum = 0;
  for (long long k = 1;; ++k) {
    const double x = D + double(k) * T_os;
    const double s = at_least(vmm, T, x);
    sum += s;
    if (s == 0 || s < 1e-17 * sum || k > 10'000'000) break;
  }
  return {sum, 0};
}

// With OS aging: the renewal function of the OS window, averaged over the cycle length.
WindowCounts counts_with_os_aging(const std::optional<AgingLaw>& vmm, Seconds T, const OsWindow& w, Seconds D) {
  if (!vmm) return {w.rejuvenations(T - D), w.crashes(T - D)};
  WindowCounts c;
  const Seconds end = std::min(T, D + w.horizon());
  const Seconds h = w.step();
  // ∫_{[D, T)} g(x − D) dF(x): R is constant on each grid cell of the window, K linear (midpoint).
  double S_prev = vmm->survival(D);
  for (long long j = 0;; ++j) {
    const Seconds a = D + double(j) * h;
    if (a >= end) break;
    const Seconds b = std::min(end, a + h);
    const double S_b = vmm->survival(b);
    const double mass = S_prev - S_b;
    const Seconds mid = 0.5 * (a + b) - D;
    c.R += mass * w.rejuvenations(mid);
    c.K += mass * w.crashes(mid);
    S_prev = S_b;
  }
  if (!std::isinf(T)) {  // the cycles that reach their rejuvenation
    const double sT = vmm->survival(T);
    c.R += sT * w.rejuvenations(T - D);
    c.K += sT * w.crashes(T - D);
  }
  return c;
}

}  // namespace

CycleEnd rejuvenation_end(const Params& p, Strategy s) {
  const double k = moves_per_cycle(p);
  switch (s) {
    case Strategy::Warm: return {p.warm.downtime, p.warm.degradation * p.warm.degraded_period, p.warm.downtime, false};
    case Strategy::Cold: return {p.cold.downtime, p.cold.degradation * p.cold.degraded_period, p.cold.downtime, true};
    case Strategy::Migration: {
      const double Dm = p.migration.downtime;
      return {k * Dm, k * gamma(p) * (p.vms_per_host - 1) * Dm, k * Dm, false};
    }
    case Strategy::Live:
    case Strategy::LiveRateControl: {
      const LiveMigration& l = s == Strategy::Live ? p.live : p.live_rate_control;
      return {0, k * gamma_prime(p, l) * l.total_time, 0, false};
    }
  }
  return {};
}

CycleEnd vmm_crash_end(const Params& p, const AgingModel& a) {
  const Seconds down = a.vmm_detection + p.cold.downtime;
  return {down, p.cold.degradation * p.cold.degraded_period, down, true};
}

CycleEnd os_rejuvenation_end(const Params& p) {
  return {p.os.downtime, p.os.degradation * p.os.degraded_period, p.os.downtime, true};
}

CycleEnd os_crash_end(const Params& p, const AgingModel& a) {
  const Seconds down = a.os_detection + p.os.downtime;
  return {down, p.os.degradation * p.os.degraded_period, down, true};
}

double os_loss_rate(const Params& p, const AgingModel& a, Seconds T_os, double kappa, double downtime_weight) {
  const CycleEnd r = os_rejuvenation_end(p), f = os_crash_end(p, a);
  const Cycle o = os_cycle(a.os, T_os, kappa);
  return ((downtime_weight * r.down + r.degraded) * o.pr + (downtime_weight * f.down + f.degraded) * o.pf) / o.mean;
}

AgingTerms aging_terms(const Params& p, Strategy s, const AgingModel& a) {
  AgingTerms t;
  t.strategy = s;
  const Seconds T = p.T_vmm, T_os = p.T_os;
  const CycleEnd r = rejuvenation_end(p, s), f = vmm_crash_end(p, a);
  const CycleEnd o_r = os_rejuvenation_end(p), o_f = os_crash_end(p, a);
  const Cycle v = cycle(a.vmm, T);
  t.vmm_cycle = v.mean;
  t.vmm_crash_share = v.pf;
  const bool vmm_events = !std::isinf(v.mean);
  if (vmm_events) t.vmm_crashes_per_year = v.pf / v.mean * kYear;

  if (s != Strategy::Cold || !vmm_events) {
    // The VMM's cycles, then the OS's long-run rate over the time its VM runs.
    double down_v = 0, deg_v = 0, stop_v = 0;
    if (vmm_events) {
      down_v = (r.down * v.pr + f.down * v.pf) / v.mean;
      deg_v = (r.degraded * v.pr + f.degraded * v.pf) / v.mean;
      stop_v = (r.stopped * v.pr + f.stopped * v.pf) / v.mean;
    }
    const double runs = 1 - stop_v;  // the share of time the VMs run, so their OS clocks count
    // A VMM crash cold-boots the VMs, renewing their OSes and OS timers. Seen from an OS, these
    // crashes come at rate κ per unit of its clock; taken as a Poisson process (exact for an
    // exponential VMM law, and close while κ·E[OS cycle] is small), they cut each OS cycle at an
    // exponential time E: cycle min(X_os, T_os, E), free when E comes first.
    const double kappa = vmm_events && v.pf > 0 && runs > 0 ? v.pf / v.mean / runs : 0.0;
    const Cycle o = os_cycle(a.os, T_os, kappa);
    const double down_o = (o_r.down * o.pr + o_f.down * o.pf) / o.mean;
    const double deg_o = (o_r.degraded * o.pr + o_f.degraded * o.pf) / o.mean;
    t.unavailability = down_v + runs * down_o;
    t.availability = 1 - t.unavailability;
    t.vmm_degradation = deg_v;
    t.os_degradation = runs * deg_o;
    t.N_os = vmm_events ? runs * v.mean * (o.pr / o.mean) : kNever;
    if (!std::isinf(o.mean)) t.os_crashes_per_year = runs * o.pf / o.mean * kYear;
    return t;
  }

  // Cold: one fresh OS window per VMM cycle, of length C − D.
  WindowCounts from_rejuvenation, from_crash;
  if (a.os) {
    const Seconds longest = std::isinf(T) ? a.vmm->quantile(kTailQuantile) : T;
    const OsWindow w(*a.os, T_os, std::max(0.0, longest - std::min(r.down, f.down)));
    if (v.pr > 0) from_rejuvenation = counts_with_os_aging(a.vmm, T, w, r.down);
    if (v.pf > 0) from_crash = counts_with_os_aging(a.vmm, T, w, f.down);
  } else {
    if (v.pr > 0) from_rejuvenation = counts_without_os_aging(a.vmm, T, T_os, r.down);
    if (v.pf > 0) from_crash = counts_without_os_aging(a.vmm, T, T_os, f.down);
  }
  const double R = v.pr * from_rejuvenation.R + v.pf * from_crash.R;
  const double K = v.pr * from_rejuvenation.K + v.pf * from_crash.K;
  t.N_os = R;
  t.unavailability = (r.down * v.pr + f.down * v.pf + o_r.down * R + o_f.down * K) / v.mean;
  t.availability = 1 - t.unavailability;
  t.vmm_degradation = (r.degraded * v.pr + f.degraded * v.pf) / v.mean;
  t.os_degradation = (o_r.degraded * R + o_f.degraded * K) / v.mean;
  t.os_crashes_per_year = K / v.mean * kYear;
  return t;
}

double aging_index(const Params& p, const AgingTerms& t, double m) {
  return t.per_host() * serving_hosts(p, t.strategy, m) / m;
}

}  // namespace rejuv
