#include "models/optimal.hpp"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

namespace rejuv {

namespace {

constexpr int kScanPoints = 48;
constexpr int kMaxEmpiricalCandidates = 4000;
constexpr int kMaxColdK = 64;
// Where a parametric law's search range ends: beyond this quantile an interval is never reached.
constexpr double kUpperQuantile = 1 - 1e-9;
// Cold places its (k+1)-th OS rejuvenation just past the next cold reboot, which renews the OS.
constexpr double kPastTheReboot = 1 + 1e-9;

using Objective1d = std::function<double(Seconds)>;

struct Min1d {
  Seconds x = kNever;
  double f = std::numeric_limits<double>::infinity();
};

// The minimum of f over [lo, hi] and "never" (f(kNever)); never wins ties: a finite interval has
// to beat it. With a Kaplan–Meier law the ratio is tried at every observed crash time, the points
// of the scaled TTT plot (models/ttt.hpp), where ties go to the later one as there.
Min1d minimise(const Objective1d& f, Seconds lo, Seconds hi, const AgingLaw* law, bool allow_never = true,
               int scan_points = kScanPoints) {
  Min1d best;
  auto consider = [&](Seconds x) {
    const double v = f(x);
    if (v <= best.f) best = {x, v};
  };
  if (!(hi > lo)) {
    if (lo > 0 && std::isfinite(lo)) consider(lo);
  } else if (law && law->steps()) {
    std::vector<Seconds> xs;
    for (Seconds x : law->steps()->times)
      if (x >= lo && x <= hi) xs.push_back(x);
    const size_t stride = std::max<size_t>(1, xs.size() / kMaxEmpiricalCandidates);
    for (size_t k = 0; k < xs.size(); k += stride) consider(xs[k]);
  } else {
    const size_t n = size_t(scan_points);
    std::vector<Seconds> x(n);
    std::vector<double> v(n);
    size_t i_best = 0;
    for (size_t k = 0; k < n; ++k) {
      x[k] = lo * std::pow(hi / lo, double(k) / double(n - 1));
      v[k] = f(x[k]);
      if (v[k] < v[i_best]) i_best = k;
    }
    const Seconds a = x[i_best == 0 ? 0 : i_best - 1], b = x[std::min(i_best + 1, n - 1)];
    std::uintmax_t iterations = 500;
    const auto r = boost::math::tools::brent_find_minima(f, a, b, std::numeric_limits<double>::digits / 2, iterations);
    best = {x[i_best], v[i_best]};
    if (r.second < best.f) best = {r.first, r.second};
  }
  if (allow_never) consider(kNever);
  return best;
}

double loss(const AgingTerms& t, double downtime_weight) {
  return downtime_weight * t.unavailability + t.vmm_degradation + t.os_degradation;
}

AgingTerms terms_at(Params q, Strategy s, const AgingModel& a, Seconds T_vmm, Seconds T_os) {
  q.T_vmm = T_vmm;
  q.T_os = T_os;
  return aging_terms(q, s, a);
}

Seconds upper_end(const AgingLaw& law) {
  if (law.steps()) return law.steps()->times.back();
  return law.quantile(kUpperQuantile);
}

void refuse_decreasing(const std::optional<AgingLaw>& law, const char* what) {
  if (law && law->hazard() == AgingLaw::Hazard::Decreasing)
    throw std::invalid_argument(std::string(what) +
                                " aging has a decreasing hazard: rejuvenating can only lose, there is no optimum");
}

// The schedule for one downtime weight, before spares are chosen: T_os*, then T_vmm* (or cold's k).
struct Schedule {
  Seconds T_vmm = 0, T_os = 0;
  int cold_k = -1;
};

}  // namespace

// The search itself. The schedule for a downtime weight does not depend on the host count (only the
// spares do), so it is kept: a crossover scan over host counts finds each one once.
class StrategyOptimiser::Impl {
 public:
  Impl(const Params& p, Strategy s, const AgingModel& a, const PlanSettings& o) : p_(p), s_(s), a_(a), o_(o) {
    const CycleEnd r = rejuvenation_end(p, s);
    T_lo_ = std::max(60.0, s == Strategy::Warm   ? p.warm.downtime + p.warm.degraded_period
                           : s == Strategy::Cold ? p.cold.downtime + p.cold.degraded_period
                                                 : std::max(r.down, spare_busy(p, s, o)));
    T_os_lo_ = std::max(60.0, p.os.downtime + p.os.degraded_period);
  }

  // The downtime weight at which the spare-free schedule meets the availability target (seed 003's
  // A is per host, so it does not depend on m): bisected once, to 1 % of the target's unavailability.
  double weight_for(double target) const {
    if (weight_) return *weight_;
    auto A = [&](double wd) {
      const Schedule& sc = schedule_for(wd);
      return terms_at(p_, s_, a_, sc.T_vmm, sc.T_os).availability;
    };
    double w = 1;
    if (A(1) < target) {
      double lo = 0, hi = 1;
      while (A(1 + hi) < target && hi < 1e12) {
        lo = hi;
        hi *= 8;
      }
      for (int it = 0; it < 40 && A(1 + hi) >= target && A(1 + hi) > target + 0.01 * (1 - target); ++it) {
        const double mid = 0.5 * (lo + hi);
        (A(1 + mid) >= target ? hi : lo) = mid;
      }
      w = 1 + hi;
    }
    weight_ = w;
    return w;
  }

  StrategyPlan solve(double wd, long long m) const {
    const Schedule sc = schedule_for(wd);
    StrategyPlan best;
    if (!uses_spares(s_)) {
      best = finish(sc.T_vmm, sc.T_os, 0, wd, m);
      best.feasible = meets(best);
      best.os_between_cold_reboots = sc.cold_k;
      return best;
    }
    // Spares: the fewest that let the schedule keep T_vmm*, or fewer with a longer T_vmm.
    const Seconds busy = spare_busy(p_, s_, o_);
    const long long cap = std::min<long long>(o_.spares_max > 0 ? o_.spares_max : m - 1, m - 1);
    bool have = false;
    auto keep = [&](StrategyPlan c) {
      c.feasible = meets(c);
      if (!have || better(c, best)) best = std::move(c);
      have = true;
    };
    for (long long sp = 1; sp <= cap; ++sp) {
      const Seconds T_min = double(m) * busy / double(sp);
      if (sc.T_vmm >= T_min) {  // these spares keep T_vmm*; more would only serve fewer hosts
        keep(finish(sc.T_vmm, sc.T_os, int(sp), wd, m));
        break;
      }
      // The spares cannot keep T_vmm*: as fast as they allow, or never (when aging is known).
      StrategyPlan limited = finish(T_min, sc.T_os, int(sp), wd, m);
      limited.spare_limited = true;
      keep(std::move(limited));
      if (a_.vmm) keep(finish(kNever, sc.T_os, int(sp), wd, m));
    }
    return best;
  }

  StrategyPlan finish(Seconds T_vmm, Seconds T_os, int spares, double wd, long long m) const {
    StrategyPlan r;
    r.strategy = s_;
    r.T_vmm = T_vmm;
    r.T_os = T_os;
    r.spares = spares;
    r.T_vmm_searched = bool(a_.vmm);
    r.T_os_searched = bool(a_.os);
    r.downtime_weight = wd;
    Params q = p_;
    q.spares = spares;
    r.terms = terms_at(q, s_, a_, T_vmm, T_os);
    r.index = aging_index(q, r.terms, double(m));
    r.cost_per_hour = cost_per_hour(q, r.index, m, spares, o_);
    return r;
  }

  bool meets(const StrategyPlan& x) const {
    return !o_.min_availability || x.terms.availability >= *o_.min_availability;
  }

  // Feasible first; among feasible ones the objective; among the rest, the most available.
  bool better(const StrategyPlan& x, const StrategyPlan& y) const {
    if (x.feasible != y.feasible) return x.feasible;
    if (!x.feasible) return x.terms.availability > y.terms.availability;
    if (o_.objective == Objective::Cost) return x.cost_per_hour < y.cost_per_hour;
    return x.index > y.index;
  }

 private:
  double f(Seconds T_vmm, Seconds T_os, double wd) const { return loss(terms_at(p_, s_, a_, T_vmm, T_os), wd); }

  const Schedule& schedule_for(double wd) const {
    auto it = schedules_.find(wd);
    if (it == schedules_.end()) it = schedules_.emplace(wd, schedule(wd)).first;
    return it->second;
  }

  Schedule schedule(double wd) const {
    const AgingLaw* vlaw = a_.vmm ? &*a_.vmm : nullptr;
    const AgingLaw* olaw = a_.os ? &*a_.os : nullptr;
    const Seconds T_hi = vlaw ? std::max(T_lo_, upper_end(*vlaw)) : 0;
    Schedule sc{p_.T_vmm, p_.T_os, -1};
    if (s_ == Strategy::Cold && olaw) return cold_schedule(wd, vlaw, T_hi);
    auto best_T_os = [&](Seconds T) {
      return minimise([&](Seconds x) { return f(T, x, wd); }, T_os_lo_, std::max(T_os_lo_, upper_end(*olaw)), olaw).x;
    };
    auto best_T_vmm = [&](Seconds T_os) { return minimise([&](Seconds x) { return f(x, T_os, wd); }, T_lo_, T_hi, vlaw).x; };
    if (olaw && vlaw) {
      // Nearly separable: T_vmm reaches the OS only through the rate of VMM crashes that renew it.
      // Each interval at the other's optimum, a few rounds, settles both.
      auto same = [](Seconds x, Seconds y) { return x == y || std::abs(x - y) <= 1e-7 * std::abs(y); };
      for (int round = 0; round < 8; ++round) {
        const Seconds T_os = best_T_os(sc.T_vmm), T = best_T_vmm(T_os);
        const bool settled = same(T_os, sc.T_os) && same(T, sc.T_vmm);
        sc.T_os = T_os;
        sc.T_vmm = T;
        if (settled) break;
      }
    } else if (olaw) {
      sc.T_os = best_T_os(sc.T_vmm);
    } else if (vlaw) {
      sc.T_vmm = best_T_vmm(sc.T_os);
    }
    return sc;
  }

  Schedule cold_schedule(double wd, const AgingLaw* vlaw, Seconds T_hi) const {
    const Seconds D = p_.cold.downtime;
    auto tau = [&](Seconds T, int k) { return k == 0 || std::isinf(T) ? kNever : (T - D) / (k + 1) * kPastTheReboot; };
    Schedule best{p_.T_vmm, kNever, 0};
    double best_f = std::numeric_limits<double>::infinity();
    int worse_in_a_row = 0;
    for (int k = 0; k <= kMaxColdK && worse_in_a_row < 3; ++k) {
      const Seconds lo = std::max(T_lo_, D + (k + 1) * T_os_lo_);
      Min1d r;
      if (vlaw) {
        // Cold's OS windows are the costly part of the model: a coarser scan before Brent.
        r = minimise([&](Seconds T) { return f(T, tau(T, k), wd); }, lo, std::max(lo, T_hi), vlaw, k == 0, 20);
      } else if (p_.T_vmm >= lo || k == 0) {
        r = {p_.T_vmm, f(p_.T_vmm, tau(p_.T_vmm, k), wd)};
      }
      if (r.f < best_f) {
        best_f = r.f;
        best = {r.x, tau(r.x, k), std::isinf(r.x) ? 0 : k};
        worse_in_a_row = 0;
      } else {
        ++worse_in_a_row;
      }
    }
    return best;
  }

  const Params p_;
  Strategy s_;
  const AgingModel a_;
  const PlanSettings o_;
  Seconds T_lo_ = 0, T_os_lo_ = 0;
  mutable std::map<double, Schedule> schedules_;
  mutable std::optional<double> weight_;
};

std::optional<double> TttCosts::beta() const {
  if (!(b > a) || !(a > 0)) return std::nullopt;
  return a / (b - a);
}

TttCosts os_ttt_costs(const Params& p, const AgingModel& a, double downtime_weight) {
  const CycleEnd r = os_rejuvenation_end(p), f = os_crash_end(p, a);
  return {downtime_weight * r.down + r.degraded, downtime_weight * f.down + f.degraded};
}

std::optional<TttCosts> vmm_ttt_costs(const Params& p, Strategy s, const AgingModel& a, Seconds T_os,
                                      double downtime_weight) {
  if (s == Strategy::Cold) return std::nullopt;
  // The OS's loss per unit of its clock at T_os: what stopping the VMs' OS clocks saves. A VMM crash
  // also renews the OSes (models/aging.hpp); to first order in the crash rate κ that credits each
  // crash with dℓ/dκ at κ = 0 (negative: a fresh OS costs less), taken by a finite difference.
  const double rate = os_loss_rate(p, a, T_os, 0, downtime_weight);
  const Seconds os_cycle = a.os ? a.os->integral_survival(T_os) : T_os;
  double credit = 0;
  if (std::isfinite(os_cycle) && os_cycle > 0) {
    const double dk = 1e-4 / os_cycle;
    credit = (os_loss_rate(p, a, T_os, dk, downtime_weight) - rate) / dk;
  }
  const CycleEnd r = rejuvenation_end(p, s), f = vmm_crash_end(p, a);
  return TttCosts{downtime_weight * r.down + r.degraded - rate * r.stopped,
                  downtime_weight * f.down + f.degraded - rate * f.stopped + credit};
}

Seconds spare_busy(const Params& p, Strategy s, const PlanSettings& o) {
  const double k = moves_per_cycle(p);
  const Seconds reboot = o.spare_reboot.value_or(p.cold.downtime);
  switch (s) {
    case Strategy::Migration: return k * p.vms_per_host * p.migration.downtime + reboot;
    case Strategy::Live: return k * p.live.total_time + reboot;
    case Strategy::LiveRateControl: return k * p.live_rate_control.total_time + reboot;
    default: return 0;
  }
}

double cost_per_hour(const Params& p, double index, long long m, int spares, const PlanSettings& o) {
  return o.request_price * 3600 * double(m) * p.host_throughput * (1 - index) + o.spare_host_price * spares;
}

StrategyOptimiser::StrategyOptimiser(const Params& p, Strategy s, const AgingModel& a, const PlanSettings& o) {
  refuse_decreasing(a.vmm, "VMM");
  refuse_decreasing(a.os, "OS");
  impl_ = std::make_shared<Impl>(p, s, a, o);
  min_availability_ = o.min_availability;
  spares_ = uses_spares(s);
}

StrategyPlan optimise(const Params& p, Strategy s, const AgingModel& a, long long m, const PlanSettings& o) {
  return StrategyOptimiser(p, s, a, o).at(m);
}

StrategyPlan StrategyOptimiser::at(long long m) const {
  if (m < 1 || (spares_ && m < 2))
    throw std::invalid_argument("optimise: a migration strategy needs at least 2 hosts (one is the spare)");
  // An availability target weighs downtime more (a Lagrange multiplier) until the schedule meets it;
  // the spares are then chosen among those that still meet it.
  const double wd = min_availability_ ? impl_->weight_for(*min_availability_) : 1.0;
  return impl_->solve(wd, m);
}

}  // namespace rejuv
