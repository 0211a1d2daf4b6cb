// The best schedule under aging (models/optimal.hpp), against brute force and the classic results:
// Huang et al. (FTCS 1995) and Dohi et al. (PRDC 2000) for one interval, seed 003's coupling of
// cold reboots and OS timers, spares that must keep up, an availability target.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "models/optimal.hpp"
#include "paper_params.hpp"

namespace rejuv {
namespace {

using testing::paper_params;
constexpr double kDay = 86400;

double loss_at(Params p, Strategy s, const AgingModel& a, Seconds T_vmm, Seconds T_os) {
  p.T_vmm = T_vmm;
  p.T_os = T_os;
  return aging_terms(p, s, a).loss();
}

// Brute force: a log-spaced grid over [lo, hi], then a finer grid around its best point, until
// the grid's spacing is below `spacing` relative. No derivative, no minimiser.
double scan_minimum(const std::function<double(double)>& f, double lo, double hi, int n = 400,
                    double spacing = 1e-9) {
  for (int round = 0; round < 40; ++round) {
    double best_x = lo, best_f = f(lo);
    const double ratio = std::pow(hi / lo, 1.0 / n);
    for (int k = 1; k <= n; ++k) {
      const double x = lo * std::pow(ratio, k), v = f(x);
      if (v < best_f) best_f = v, best_x = x;
    }
    if (ratio - 1 < spacing) return best_x;
    lo = best_x / ratio / ratio;
    hi = best_x * ratio * ratio;
  }
  return lo;
}

AgingModel weibull_vmm(double shape = 3, double scale_days = 60, Seconds detection = 600) {
  AgingModel a;
  a.vmm = AgingLaw::weibull(shape, scale_days * kDay);
  a.vmm_detection = detection;
  return a;
}

TEST(Optimum, WeibullVmmIntervalMatchesABruteForceScanToOneInAMillion) {
  // The "Done when": Weibull aging, the optimum T_vmm* equals a brute-force scan of the same
  // formula to 1e-6 relative, for each strategy whose optimum is finite.
  const Params p = paper_params();
  const AgingModel a = weibull_vmm();
  for (Strategy s : {Strategy::Warm, Strategy::Migration, Strategy::Live, Strategy::LiveRateControl}) {
    SCOPED_TRACE(std::string(name(s)));
    const StrategyPlan plan = optimise(p, s, a, 1000, {});
    ASSERT_TRUE(std::isfinite(plan.T_vmm));
    EXPECT_EQ(plan.T_os, p.T_os);  // no OS law: held at the file's 7 d
    const double scanned = scan_minimum([&](double T) { return loss_at(p, s, a, T, p.T_os); }, 3600, 365 * kDay);
    EXPECT_NEAR(plan.T_vmm / scanned, 1.0, 1e-6);
    EXPECT_GT(plan.index, index(p, s, 1000) - 1.0);  // a sanity bound: a real index
  }
}

TEST(Optimum, WeibullOsIntervalMatchesABruteForceScanToOneInAMillion) {
  Params p = paper_params();
  AgingModel a;
  a.os = AgingLaw::weibull(2.5, 20 * kDay);
  a.os_detection = 1800;  // an OS crash is noticed after half an hour: it costs more than a reboot
  const StrategyPlan plan = optimise(p, Strategy::Live, a, 1000, {});
  ASSERT_TRUE(std::isfinite(plan.T_os));
  EXPECT_EQ(plan.T_vmm, p.T_vmm);
  const double scanned = scan_minimum([&](double T) { return loss_at(p, Strategy::Live, a, p.T_vmm, T); }, 3600, 365 * kDay);
  EXPECT_NEAR(plan.T_os / scanned, 1.0, 1e-6);
}

TEST(Optimum, SatisfiesHuangsFirstOrderCondition) {
  // d/dT (a S + b F)/∫S = 0  ⇔  h(T) ∫_0^T S − F(T) = a/(b − a) (Huang et al. 1995; Dohi et al. 2000).
  // With no OS rejuvenation the loss is exactly that ratio (with one, a VMM crash's renewal of the
  // OS timers couples the two, and the condition holds to first order).
  Params p = paper_params();
  p.T_os = kNever;
  const AgingModel a = weibull_vmm(2, 45, 1200);
  const StrategyPlan plan = optimise(p, Strategy::Warm, a, 100, {});
  const auto c = vmm_ttt_costs(p, Strategy::Warm, a, p.T_os);
  ASSERT_TRUE(c && c->beta());
  const double T = plan.T_vmm, lambda = 45 * kDay;
  const double h = 2 / lambda * (T / lambda);  // Weibull hazard, shape 2
  EXPECT_NEAR(h * a.vmm->integral_survival(T) - a.vmm->cdf(T), *c->beta(), 1e-6 * *c->beta());
}

TEST(Optimum, ExponentialAgingNeverBeatsNeverRejuvenating) {
  // A constant hazard does not age: no finite interval beats never rejuvenating (the plan says
  // never: T_vmm = kNever), and a scan confirms every finite interval loses more.
  const Params p = paper_params();
  AgingModel a;
  a.vmm = AgingLaw::exponential(40 * kDay);
  a.vmm_detection = 3600;
  for (Strategy s : kStrategies) {
    SCOPED_TRACE(std::string(name(s)));
    const StrategyPlan plan = optimise(p, s, a, 1000, {});
    EXPECT_TRUE(std::isinf(plan.T_vmm));
    const double never = loss_at(p, s, a, kNever, p.T_os);
    // Up to 10 means: beyond, e^{−T/mean} is below the digits of the loss and the two are equal.
    for (double T = 3600; T < 400 * kDay; T *= 1.3) EXPECT_GT(loss_at(p, s, a, T, p.T_os), never) << T;
  }
}

TEST(Optimum, ACrashThatCostsNoMoreThanARejuvenationMeansNever) {
  // Cold's rejuvenation is a cold reboot, and so is the recovery from a VMM crash (no detection
  // delay): with no OS rejuvenation to save, rejuvenating only moves the same reboot earlier.
  Params p = paper_params();
  p.T_os = kNever;
  EXPECT_TRUE(std::isinf(optimise(p, Strategy::Cold, weibull_vmm(3, 60, 0), 1000, {}).T_vmm));
  // With T_os = 7 d a cold reboot also saves the OS rejuvenation it replaces (seed 003 §3.2's
  // coupling), so a finite interval pays: the VMM's 4th week ends with a cold reboot, not an OS one.
  p.T_os = 7 * kDay;
  const StrategyPlan plan = optimise(p, Strategy::Cold, weibull_vmm(3, 60, 0), 1000, {});
  EXPECT_TRUE(std::isfinite(plan.T_vmm));
  EXPECT_LT(plan.terms.N_os, std::floor((plan.T_vmm - 219) / p.T_os) + 1e-9);
}

TEST(Optimum, ColdSpacesItsOsRejuvenationsEvenlyBetweenColdReboots) {
  // Every cold reboot boots the OSes: the k OS rejuvenations of a VMM cycle are best evenly spaced,
  // T_os = (T_vmm − D_c)/(k + 1), and the k found beats its neighbours at their own best T_vmm.
  const Params p = paper_params();
  AgingModel a = weibull_vmm(3, 60, 1800);
  a.os = AgingLaw::weibull(3, 15 * kDay);
  a.os_detection = 1800;
  const StrategyPlan plan = optimise(p, Strategy::Cold, a, 1000, {});
  ASSERT_TRUE(std::isfinite(plan.T_vmm));
  const int k = plan.os_between_cold_reboots;
  ASSERT_GE(k, 1);
  EXPECT_NEAR(plan.T_os, (plan.T_vmm - 219) / (k + 1), 1e-6 * plan.T_os);
  const double best = 1 - plan.terms.per_host();
  for (int other : {k - 1, k + 1}) {
    const double l = scan_minimum(
        [&](double T) { return loss_at(p, Strategy::Cold, a, T, other == 0 ? kNever : (T - 219) / (other + 1) * (1 + 1e-9)); },
        3600, 365 * kDay, 40, 1e-3);
    const double T_os = other == 0 ? kNever : (l - 219) / (other + 1) * (1 + 1e-9);
    EXPECT_GE(loss_at(p, Strategy::Cold, a, l, T_os), best - 1e-15) << "k = " << other;
  }
  // Warm cannot renew its OSes for free: with the same laws its OS crashes are more frequent.
  const StrategyPlan warm = optimise(p, Strategy::Warm, a, 1000, {});
  EXPECT_GT(warm.terms.os_crashes_per_year, plan.terms.os_crashes_per_year);
}

TEST(Optimum, MigrationTakesMoreSparesWhenOneCannotKeepUp) {
  // One spare serves T_vmm / (n·D_m + D_c) hosts (165 s + 219 s per host). With crashes found only
  // after 4 hours, never rejuvenating is costly, and at 10^5 hosts the plan buys spares to keep a
  // few weeks' T_vmm; the choice equals a brute-force search over spares and intervals.
  const Params p = paper_params();
  const AgingModel a = weibull_vmm(3, 60, 4 * 3600);
  const double busy = 11 * 15 + 219;
  const StrategyPlan small = optimise(p, Strategy::Migration, a, 1000, {});
  EXPECT_EQ(small.spares, 1);
  EXPECT_FALSE(small.spare_limited);
  const long long m = 100000;
  const StrategyPlan big = optimise(p, Strategy::Migration, a, m, {});
  EXPECT_GT(big.spares, 1);
  EXPECT_GE(big.T_vmm, m * busy / big.spares * (1 - 1e-12));
  double brute = 0;
  for (int s = 1; s <= 60; ++s) {
    Params q = p;
    q.spares = s;
    const double T_min = m * busy / s;
    const double T = scan_minimum([&](double x) { return loss_at(q, Strategy::Migration, a, std::max(x, T_min), p.T_os); },
                                  3600, 365 * kDay, 200, 1e-7);
    q.T_vmm = std::max(T, T_min);
    brute = std::max(brute, aging_index(q, aging_terms(q, Strategy::Migration, a), double(m)));
  }
  EXPECT_NEAR(big.index, brute, 1e-12);
  EXPECT_GE(big.spares, 10) << "T_vmm " << big.T_vmm / 86400 << " d";
  // Capped at half as many spares, the schedule is as fast as they allow, and says so.
  PlanSettings capped;
  capped.spares_max = big.spares / 2;
  const StrategyPlan half = optimise(p, Strategy::Migration, a, m, capped);
  EXPECT_EQ(half.spares, capped.spares_max);
  EXPECT_TRUE(half.spare_limited);
  EXPECT_NEAR(half.T_vmm, m * busy / half.spares, 1e-6);
  EXPECT_LT(half.index, big.index);
}

TEST(Optimum, AMinimumAvailabilityIsMetOrDeclaredInfeasible) {
  const Params p = paper_params();
  const AgingModel a = weibull_vmm(3, 60, 3 * 3600);  // crashes found after 3 hours: costly downtime
  const StrategyPlan free = optimise(p, Strategy::Warm, a, 1000, {});
  PlanSettings o;
  o.min_availability = 0.99999999;  // 0.3 s a year: not with a 59 s reboot every few weeks
  const StrategyPlan none = optimise(p, Strategy::Warm, a, 1000, o);
  EXPECT_FALSE(none.feasible);
  EXPECT_GT(none.terms.availability, free.terms.availability);  // the most available schedule there is
  // Halfway between the index's optimum and the most available schedule: met, at some index.
  o.min_availability = 0.5 * (free.terms.availability + none.terms.availability);
  const StrategyPlan held = optimise(p, Strategy::Warm, a, 1000, o);
  EXPECT_TRUE(held.feasible);
  EXPECT_GE(held.terms.availability, *o.min_availability);
  EXPECT_LT(held.index, free.index);
  EXPECT_GT(held.downtime_weight, 1);
}

TEST(Optimum, WithoutAgingLawsTheFileScheduleIsKept) {
  const Params p = paper_params();
  for (Strategy s : kStrategies) {
    const StrategyPlan plan = optimise(p, s, AgingModel{}, 1000, {});
    EXPECT_EQ(plan.T_vmm, p.T_vmm);
    EXPECT_EQ(plan.T_os, p.T_os);
    EXPECT_NEAR(plan.index, index(p, s, 1000), 1e-12);
  }
}

TEST(Optimum, RefusesADecreasingHazard) {
  EXPECT_THROW(optimise(paper_params(), Strategy::Warm, weibull_vmm(0.7), 1000, {}), std::invalid_argument);
}

TEST(Optimum, CostObjectiveChargesSparesByTheHour) {
  // With a spare host priced, the cost objective takes fewer spares than the index would, and
  // reports lost requests × price + spares × price.
  const Params p = paper_params();
  const AgingModel a = weibull_vmm();
  PlanSettings o;
  o.objective = Objective::Cost;
  o.request_price = 1e-6;
  o.spare_host_price = 5;
  const StrategyPlan cheap = optimise(p, Strategy::Migration, a, 100000, o);
  const StrategyPlan by_index = optimise(p, Strategy::Migration, a, 100000, {});
  EXPECT_LE(cheap.spares, by_index.spares);
  EXPECT_NEAR(cheap.cost_per_hour,
              1e-6 * 3600 * 100000 * 560 * (1 - cheap.index) + 5 * cheap.spares, 1e-9 * cheap.cost_per_hour);
}

}  // namespace
}  // namespace rejuv
