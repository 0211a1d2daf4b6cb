// The closed forms of seed 003 §3 against the figures the paper reports in §4.
#include <gtest/gtest.h>

#include "models/throughput.hpp"
#include "paper_params.hpp"

namespace rejuv {
namespace {

using testing::paper_params;

TEST(Gamma, FromTable1IsPointSixAsThePaperReports) {
  // §4.2: "the degradation ratio γ of normal migration is 0.60", from the Table 1 curves.
  EXPECT_NEAR(gamma_derived(paper_params()), 0.60, 0.005);
}

TEST(GammaPrime, LiveMigrationFromTable1) {
  // The paper's text for live migration's γ' is garbled in this copy; Table 1 (V_s = 4.2i+19,
  // V_m = 3.9i+19, V_d = 19 | e^(−0.57i+5.2), M = 0.57i+13) gives 0.5757.
  const Params p = paper_params();
  EXPECT_NEAR(gamma_prime_derived(p, p.live), 0.5757, 0.0005);
}

TEST(GammaPrime, RateControlImprovesToAboutPointTwoThree) {
  // §4.2: with adaptive rate control γ' "improves to 0.23". Table 1 itself gives 0.2367.
  const Params p = paper_params();
  const double g = gamma_prime_derived(p, p.live_rate_control);
  EXPECT_NEAR(g, 0.23, 0.01);
  EXPECT_NEAR(g, 0.2367, 0.0005);
  EXPECT_LT(g, gamma_prime_derived(p, p.live));
}

TEST(Gamma, MeasuredValueOverridesTheDerivedOne) {
  Params p = paper_params();
  p.migration.gamma = 0.5;
  EXPECT_DOUBLE_EQ(terms(p, Strategy::Migration).gamma.value(), 0.5);
  p.live.gamma = 0.1;
  EXPECT_DOUBLE_EQ(terms(p, Strategy::Live).gamma.value(), 0.1);
}

TEST(Gamma, WeightsByMigrationTimeOfEachVm) {
  // With V_s, V_d constant the weights M(i)/M_t decide V_c: check against a hand sum for n = 3.
  Params p = paper_params();
  p.vms_per_host = 3;
  p.host_throughput = 30;
  p.migration.curves.V_s = Curve::constant(10);
  p.migration.curves.V_d = Curve::values({0, 4, 8});
  p.migration.curves.M = Curve::values({1, 2, 3});
  // Σ M(i)/6 ((3−i)·10 + (i−1)·V_d(i)) = (1·20 + 2·(10+4) + 3·(0+16)) / 6 = 96/6 = 16
  EXPECT_DOUBLE_EQ(V_c(p), 16.0);
  EXPECT_DOUBLE_EQ(gamma_derived(p), 1.0 - 16.0 / (2.0 / 3.0 * 30));
}

TEST(ColdReboot, FloorsNcToThreeForPaperValues) {
  // §3.2: N_c = (T_vmm − D_c(n)) / T_os = (28 d − 219 s) / 7 d = 3.9996, floored to 3.
  const Params p = paper_params();
  EXPECT_NEAR(N_c(p), 3.9996, 1e-4);
  EXPECT_EQ(N_c_floor(p), 3.0);
  EXPECT_EQ(terms(p, Strategy::Cold).N_os, 3.0);
}

TEST(ColdReboot, NcIsZeroWhenTvmmIsAtMostTos) {
  Params p = paper_params();
  p.T_os = p.T_vmm;
  p.cold.downtime = 0;  // (T_vmm − 0)/T_os = 1 exactly, yet the OS timer never fires (§3.2, fig. 2b)
  EXPECT_EQ(N_c_floor(p), 0.0);
  p.T_os = 2 * p.T_vmm;
  EXPECT_EQ(N_c_floor(p), 0.0);
}

TEST(WarmReboot, TermsMatchEquationsOneAndTwo) {
  const Params p = paper_params();
  const double T = 28 * 86400.0, Nw = (T - 59) / (7 * 86400.0);
  const Terms t = terms(p, Strategy::Warm);
  EXPECT_DOUBLE_EQ(t.N_os, Nw);
  EXPECT_NEAR(t.availability, 1 - (59 + Nw * 41) / T, 1e-15);
  EXPECT_NEAR(t.vmm_degradation, 0.61 * 25 / T, 1e-15);
  EXPECT_NEAR(t.os_degradation, Nw * 0.35 * 410 / T, 1e-15);
  EXPECT_NEAR(P_w(p, 10), (t.availability - t.vmm_degradation - t.os_degradation) * 10 * 560, 1e-9);
}

TEST(Index, WarmIsHighestOfTheFiveForEveryHostCountUpToAMillion) {
  // §4.3, figure 7: "the index of Warm-VM reboot is always the highest".
  const Params p = paper_params();
  std::vector<Terms> all;
  for (Strategy s : kStrategies) all.push_back(terms(p, s));
  for (long long m = 2; m <= 1'000'000; ++m) {
    const double warm = index(p, all[0], double(m));
    for (size_t k = 1; k < all.size(); ++k)
      ASSERT_GT(warm, index(p, all[k], double(m))) << name(all[k].strategy) << " at m = " << m;
  }
}

TEST(Crossover, MigrationOvertakesColdAtAboutElevenThousandHosts) {
  // §4.3, figure 7: migration beats Cold-VM reboot above "about 11,000" hosts.
  const auto m = crossover(paper_params(), Strategy::Migration, Strategy::Cold);
  ASSERT_TRUE(m.has_value());
  EXPECT_GE(*m, 10'500);
  EXPECT_LE(*m, 12'000);
  // With N_m = (T_vmm − D_m)/T_os (README) the closed form gives exactly 11,249.
  EXPECT_EQ(*m, 11'249);
}

TEST(Crossover, IsTheSmallestHostCountThatWins) {
  const Params p = paper_params();
  for (Strategy a : {Strategy::Migration, Strategy::Live, Strategy::LiveRateControl}) {
    const auto m = crossover(p, a, Strategy::Cold);
    ASSERT_TRUE(m.has_value()) << name(a);
    EXPECT_GT(index(p, a, double(*m)), index(p, Strategy::Cold, double(*m)));
    EXPECT_LE(index(p, a, double(*m - 1)), index(p, Strategy::Cold, double(*m - 1)));
  }
}

TEST(Crossover, NeverWhenTheOtherStrategyAlwaysWins) {
  const Params p = paper_params();
  EXPECT_FALSE(crossover(p, Strategy::Migration, Strategy::Warm).has_value());
  EXPECT_FALSE(crossover(p, Strategy::Cold, Strategy::Warm).has_value());
  // Cold beats migration on small clusters, where the spare costs most.
  EXPECT_EQ(crossover(p, Strategy::Cold, Strategy::Migration), 2);
}

Params zero_cost(Params p) {
  for (Reboot* r : {&p.os, &p.warm, &p.cold}) *r = Reboot{0, 0, 0};
  p.migration.downtime = 0;
  p.migration.gamma = 0;
  p.live.total_time = p.live_rate_control.total_time = 0;
  return p;
}

TEST(Index, LimitsWithoutAnyCostAreOneAndMMinusSOverM) {
  const Params p = zero_cost(paper_params());
  for (double m : {2.0, 7.0, 1000.0}) {
    EXPECT_DOUBLE_EQ(index(p, Strategy::Warm, m), 1.0);
    EXPECT_DOUBLE_EQ(index(p, Strategy::Cold, m), 1.0);
    EXPECT_DOUBLE_EQ(index(p, Strategy::Migration, m), (m - 1) / m);
    EXPECT_DOUBLE_EQ(index(p, Strategy::Live, m), (m - 1) / m);
  }
}

TEST(Index, MigrationServesWithMMinusSpares) {
  Params p = zero_cost(paper_params());
  p.spares = 3;
  EXPECT_DOUBLE_EQ(index(p, Strategy::Migration, 10), 0.7);
  EXPECT_DOUBLE_EQ(P(p, Strategy::LiveRateControl, 10), 7 * p.host_throughput);
  EXPECT_DOUBLE_EQ(index(p, Strategy::Migration, 2), 0.0);  // every host is a spare: nothing serves
}

TEST(Strategy, NamesRoundTrip) {
  for (Strategy s : kStrategies) EXPECT_EQ(parse_strategy(name(s)), s);
  EXPECT_FALSE(parse_strategy("lukewarm").has_value());
}

}  // namespace
}  // namespace rejuv
