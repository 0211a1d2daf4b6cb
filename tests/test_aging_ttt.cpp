// The nonparametric optimum of Dohi, Goševa-Popstojanova and Trivedi (PRDC 2000), models/ttt.hpp:
// Kaplan–Meier, the scaled TTT plot, the steepest line from (−β, 0), and its convergence on the
// analytic optimum as crash times accumulate.
#include <gtest/gtest.h>

#include <cmath>

#include "models/optimal.hpp"
#include "models/ttt.hpp"
#include "paper_params.hpp"
#include "sim/distribution.hpp"
#include "sim/random.hpp"

namespace rejuv {
namespace {

using testing::paper_params;
constexpr double kDay = 86400;

TEST(KaplanMeier, WithoutCensoringStepsByOneOverN) {
  const StepSurvival s = kaplan_meier({{3, true}, {1, true}, {2, true}, {2, true}});
  ASSERT_EQ(s.times, (std::vector<double>{1, 2, 3}));
  EXPECT_DOUBLE_EQ(s.surv[0], 0.75);
  EXPECT_DOUBLE_EQ(s.surv[1], 0.25);
  EXPECT_DOUBLE_EQ(s.surv[2], 0.0);
  EXPECT_EQ(s.crashes, 4);
}

TEST(KaplanMeier, CensoredTimesLeaveTheRiskSetWithoutAStep) {
  // Crashes at 1, 3, 5; censored at 2 and 4 (rejuvenated first): S = 4/5, then ×2/3, then ×0/1.
  const StepSurvival s = kaplan_meier({{1, true}, {2, false}, {3, true}, {4, false}, {5, true}});
  ASSERT_EQ(s.times, (std::vector<double>{1, 3, 5}));
  EXPECT_DOUBLE_EQ(s.surv[0], 0.8);
  EXPECT_NEAR(s.surv[1], 0.8 * 2 / 3, 1e-15);
  EXPECT_EQ(s.surv[2], 0.0);
  EXPECT_EQ(s.censored, 2);
  // The largest time censored: the estimate is closed there (Efron), so the mean is finite.
  const StepSurvival t = kaplan_meier({{1, true}, {2, true}, {6, false}});
  EXPECT_EQ(t.times.back(), 6);
  EXPECT_EQ(t.surv.back(), 0);
  EXPECT_THROW(kaplan_meier({{1, false}, {2, false}}), std::invalid_argument);
  EXPECT_THROW(kaplan_meier({{1, true}, {-2, true}}), std::invalid_argument);
}

TEST(ScaledTtt, IsDohisPsiOverPsiNWithoutCensoring) {
  // ψ_j = Σ_{i≤j} (n − i + 1)(x_(i) − x_(i−1)), points (j/n, ψ_j/ψ_n): for x = 2, 3, 7, 10,
  // ψ = 8, 11, 19, 22.
  const auto pts = scaled_ttt(kaplan_meier({{7, true}, {2, true}, {10, true}, {3, true}}));
  ASSERT_EQ(pts.size(), 5u);
  const double psi[] = {0, 8, 11, 19, 22};
  for (size_t j = 0; j < pts.size(); ++j) {
    EXPECT_NEAR(pts[j].p, j / 4.0, 1e-15);
    EXPECT_NEAR(pts[j].phi, psi[j] / 22, 1e-15);
  }
}

TEST(ScaledTtt, SteepestLineFromMinusBetaPicksThePoint) {
  // With β → 0 the line from the origin is steepest at the first point; with β large the slope
  // tends to φ/β, largest at (1, 1): never rejuvenate.
  const auto pts = scaled_ttt(kaplan_meier({{7, true}, {2, true}, {10, true}, {3, true}}));
  EXPECT_EQ(ttt_optimum(pts, 1e-9).k, 1u);
  EXPECT_TRUE(ttt_optimum(pts, 1e9).never);
  // β = 0.5: slopes (8/22)/0.75 = 0.485, (11/22)/1 = 0.5, (19/22)/1.25 = 0.691, 1/1.5 = 0.667.
  const TttOptimum o = ttt_optimum(pts, 0.5);
  EXPECT_EQ(o.k, 3u);
  EXPECT_EQ(o.point.t, 7);
  EXPECT_NEAR(o.slope, (19.0 / 22) / 1.25, 1e-15);
}

TEST(ScaledTtt, OfAParametricLawIsItsTransform) {
  // Exponential: φ(p) = p (the diagonal: no aging). Weibull shape 2 lies above it (concave, IFR).
  const AgingLaw e = AgingLaw::exponential(10 * kDay);
  for (double p : {0.1, 0.5, 0.9}) EXPECT_NEAR(scaled_ttt(e, p), p, 1e-12);
  const AgingLaw w = AgingLaw::weibull(2, 10 * kDay);
  for (double p : {0.1, 0.5, 0.9}) EXPECT_GT(scaled_ttt(w, p), p);
}

// n simulated crash ages from Weibull(2.5, 30 d), each censored by a rejuvenation at a uniform age
// on (0, 90 d) when that comes first: crash data a site would have.
std::vector<CrashObservation> simulated(size_t n, uint64_t replication) {
  const sim::Streams streams(12, replication);
  sim::Rng crash = streams.get("test/crash_age"), rejuvenation = streams.get("test/censoring_age");
  const auto law = sim::Distribution::weibull(2.5, 30 * kDay);
  std::vector<CrashObservation> obs;
  for (size_t k = 0; k < n; ++k) {
    const double x = law.sample(crash), c = rejuvenation.uniform(0, 90 * kDay);
    obs.push_back({std::min(x, c), x <= c});
  }
  return obs;
}

TEST(TttEstimate, ConvergesOnTheAnalyticOptimumAsCrashTimesAccumulate) {
  // The "Done when": 10, 100, 1,000, 10,000 simulated crash times (with censoring); the
  // mean relative error of the TTT estimate of T_vmm* (6.5 d) over 20 replications shrinks each
  // time: 135 %, 30 %, 14 %, 7 % here, about n^(−1/3), the rate of an argmax over a noisy curve.
  // Warm's costs: a rejuvenation 59 s down and 0.61·25 s degraded, a crash (found after 30 min) a
  // cold reboot: β = 0.033.
  const Params p = paper_params();
  AgingModel a;
  a.vmm = AgingLaw::weibull(2.5, 30 * kDay);
  a.vmm_detection = 1800;
  const double T_star = optimise(p, Strategy::Warm, a, 1000, {}).T_vmm;
  const double beta = *vmm_ttt_costs(p, Strategy::Warm, a, p.T_os)->beta();
  double previous = std::numeric_limits<double>::infinity(), first = 0;
  for (size_t n : {10, 100, 1000, 10000}) {
    double error = 0;
    const int replications = 20;
    for (int r = 0; r < replications; ++r) {
      const TttOptimum o = ttt_optimum(scaled_ttt(kaplan_meier(simulated(n, uint64_t(r)))), beta);
      error += std::abs((o.never ? 1e9 : o.point.t) - T_star) / T_star / replications;
    }
    SCOPED_TRACE(n);
    EXPECT_LT(error, previous);
    if (n == 10) first = error;
    previous = error;
  }
  EXPECT_LT(previous, 0.1);
  EXPECT_GT(first / previous, 10);
}

TEST(TttEstimate, ThePlanWithAKaplanMeierLawTakesTheTttPoint) {
  // Plugged into the planner, the estimated law gives the same interval as the TTT plot.
  const Params p = paper_params();
  AgingModel a;
  a.vmm = AgingLaw::empirical(kaplan_meier(simulated(500, 7)));
  a.vmm_detection = 1800;
  for (Strategy s : {Strategy::Warm, Strategy::Live}) {
    const double beta = *vmm_ttt_costs(p, s, a, p.T_os)->beta();
    const TttOptimum o = ttt_optimum(scaled_ttt(*a.vmm->steps()), beta);
    ASSERT_FALSE(o.never);
    EXPECT_EQ(optimise(p, s, a, 1000, {}).T_vmm, o.point.t) << name(s);
  }
}

}  // namespace
}  // namespace rejuv
