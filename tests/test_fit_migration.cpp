// Migration fits: per-i points from Table 1 of seed 003 (data/kourai2007.json) come back as Table
// 1's forms and coefficients; a synthetic migration curve set gives M(i), V_s, V_d, V_m, γ and D_m;
// and the seeded bootstrap is repeatable and brackets its estimates.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "cli_runner.hpp"
#include "fitting/migration_fit.hpp"
#include "fitting/random_draw.hpp"
#include "fitting/synthetic_curves.hpp"
#include "fitting/uncertainty.hpp"
#include "models/input_error.hpp"
#include "paper_params.hpp"

namespace rejuv::testing {
namespace {

using namespace rejuv::fitting;
constexpr int n = 11;  // §4: 11 VMs
constexpr double p = 560;

// Table 1's curves at i (V_s for i < n, V_d for i ≥ 2), plus normal noise of sd `noise`
// (requests/s, or seconds for M).
MigrationPoints table1_points(const MigrationCurves& c, bool live, double noise, uint64_t seed) {
  std::mt19937_64 g(seed);
  auto draw = [&](const Curve& f, int i) { return f(i) + noise * standard_normal(g); };
  MigrationPoints pts;
  pts.n = n;
  pts.p = p;
  for (int i = 1; i <= n; ++i) {
    if (i < n) pts.V_s.add(i, draw(*c.V_s, i));
    if (live) pts.V_m.add(i, draw(*c.V_m, i));
    if (i >= 2) pts.V_d.add(i, draw(*c.V_d, i));
    pts.M.add(i, draw(*c.M, i));
  }
  return pts;
}

TEST(MigrationFitTable1, NormalMigrationPicksLinearAndConstantThenExp) {
  const Params paper = paper_params();
  const MigrationFit f = fit_migration(table1_points(paper.migration.curves, false, 0.05, 42),
                                       MigrationKind::Migration);
  ASSERT_EQ(f.V_s.form, "linear");  // 4.4i + 21
  EXPECT_NEAR(f.V_s.pieces[0].coef[0], 4.4, 0.05);
  EXPECT_NEAR(f.V_s.pieces[0].coef[1], 21, 0.5);
  EXPECT_GT(f.V_s.r2, 0.999);
  ASSERT_EQ(f.V_d.form, "piecewise(constant|exp)");  // 22 (i = 2), e^(−0.71i + 5.7) (i > 2)
  EXPECT_EQ(f.V_d.breakpoint, 2);
  EXPECT_NEAR(f.V_d.pieces[0].coef[0], 22, 0.5);
  EXPECT_NEAR(f.V_d.pieces[1].coef[0], -0.71, 0.02);
  EXPECT_NEAR(f.V_d.pieces[1].coef[1], 5.7, 0.05);
  ASSERT_EQ(f.M.form, "linear");  // 0.61i + 12
  EXPECT_NEAR(f.M.pieces[0].coef[0], 0.61, 0.02);
  EXPECT_NEAR(f.M.pieces[0].coef[1], 12, 0.2);
  for (const auto& se : f.V_s.pieces[0].se) EXPECT_GT(se, 0);
  EXPECT_NEAR(f.gamma, 0.602, 0.005);  // §4.2: γ = 0.60
  EXPECT_NEAR(f.downtime, f.total_time / n, 1e-12);
}

TEST(MigrationFitTable1, RateControlPicksTwoConstantPiecesAtTheTableBreakpoints) {
  const Params paper = paper_params();
  const MigrationFit f = fit_migration(table1_points(paper.live_rate_control.curves, true, 0.1, 43),
                                       MigrationKind::LiveRateControl);
  ASSERT_EQ(f.V_s.form, "piecewise(constant|constant)");  // 50 (i < 6), 34 (i ≥ 6)
  EXPECT_EQ(f.V_s.breakpoint, 5);
  EXPECT_NEAR(f.V_s.pieces[0].coef[0], 50, 0.3);
  EXPECT_NEAR(f.V_s.pieces[1].coef[0], 34, 0.3);
  ASSERT_EQ(f.V_m.form, "piecewise(constant|constant)");  // 48 (i < 6), 29 (i ≥ 6)
  EXPECT_EQ(f.V_m.breakpoint, 5);
  ASSERT_EQ(f.V_d.form, "piecewise(constant|constant)");  // 48 (i < 5), 30 (i ≥ 5)
  EXPECT_EQ(f.V_d.breakpoint, 4);
  ASSERT_EQ(f.M.form, "linear") << to_json(f.M).dump();  // −0.55i + 89
  EXPECT_NEAR(f.M.pieces[0].coef[0], -0.55, 0.05);
  EXPECT_NEAR(f.gamma, 0.237, 0.005);  // §4.2: γ′ = 0.23
}

TEST(MigrationFitTable1, ExactPointsTieAndTheSimplestFormWins) {
  const Params paper = paper_params();
  const MigrationFit f =
      fit_migration(table1_points(paper.live.curves, true, 0, 1), MigrationKind::Live);
  EXPECT_EQ(f.V_s.form, "linear");  // 4.2i + 19
  EXPECT_EQ(f.V_m.form, "linear");  // 3.9i + 19
  EXPECT_NEAR(f.V_m.pieces[0].coef[0], 3.9, 1e-9);
  EXPECT_EQ(f.V_d.form, "piecewise(constant|exp)");
  EXPECT_NEAR(f.gamma, gamma_prime_derived(paper, paper.live), 1e-9);
}

TEST(MigrationFitCurves, SyntheticSetGivesMovesCurvesAndGamma) {
  const Params paper = paper_params();
  TempDir dir;
  SyntheticOptions o;
  o.dt = 0.5;
  o.noise = 0.002;
  o.jitter = 0.2;
  o.shuffle = true;
  o.seed = 5;
  write_migration_set(dir.path(), MigrationKind::Migration, n, p, paper.migration.curves, o);
  const MigrationFit f =
      fit_migration(measure_migration(read_curve_set(dir.path()), MigrationKind::Migration),
                    MigrationKind::Migration);
  ASSERT_EQ(f.points.n, n);
  EXPECT_EQ(f.points.moves[2].vm, "vm3");
  EXPECT_NEAR(f.points.p, p, 2);
  EXPECT_NEAR(f.total_time, 172.26, 1e-6);  // Σ(0.61i + 12), i = 1..11
  EXPECT_NEAR(f.downtime, 172.26 / n, 1e-6);
  EXPECT_EQ(f.V_s.form, "linear");
  EXPECT_NEAR(f.V_s.pieces[0].coef[0], 4.4, 0.05);
  EXPECT_EQ(f.M.form, "linear");
  EXPECT_NEAR(f.gamma, 0.602, 0.01);
}

TEST(MigrationFitCurves, LiveFromSrcDstTotalsWhenVmColumnsAreAbsentIsRefusedForVm) {
  // Without per-VM columns the moving VM's throughput V_m cannot be measured: the error names it.
  TempDir dir;
  write_file(dir / "throughput.csv",
             "time_s,src,dst\n0,560,0\n1,560,0\n2,560,0\n3,300,10\n4,300,10\n5,200,20\n6,0,560\n");
  write_file(dir / "events.csv",
             "time_s,event,subject\n3,migration_start,vm1\n4,migration_end,vm1\n4,migration_start,"
             "vm2\n5,migration_end,vm2\n");
  const CurveSet cs = read_curve_set(dir.path());
  EXPECT_NO_THROW(measure_migration(cs, MigrationKind::Migration));
  try {
    measure_migration(cs, MigrationKind::Live);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), (dir / "throughput.csv").string() + ":1:1");
    EXPECT_NE(e.message().find("\"vm1\""), std::string::npos);
  }
}

// Property (fixed seed 9): the same seed gives the same intervals, and each interval holds its
// point estimate.
TEST(Bootstrap, SameSeedSameIntervalsAndIntervalsBracketEstimates) {
  const Params paper = paper_params();
  const MigrationFit f =
      fit_migration(table1_points(paper.migration.curves, false, 0.5, 7), MigrationKind::Migration);
  BootstrapOptions o;
  o.replicates = 40;
  o.seed = 9;
  o.hosts = {1000, 100000};
  const auto a = bootstrap(paper, {f}, o), b = bootstrap(paper, {f}, o);
  EXPECT_EQ(to_json(a).dump(), to_json(b).dump());
  bool saw_crossover = false;
  for (const auto& iv : a.intervals) {
    if (!iv.estimate || !iv.lo || !iv.hi) continue;
    EXPECT_LE(*iv.lo, *iv.hi) << iv.quantity;
    if (iv.quantity.starts_with("gamma") || iv.quantity.starts_with("index/migration")) {
      EXPECT_TRUE(*iv.lo <= *iv.estimate && *iv.estimate <= *iv.hi) << iv.quantity;
    }
    if (iv.quantity == "crossover_hosts/migration>cold") {
      saw_crossover = true;
      EXPECT_LT(*iv.lo, *iv.hi);
    }
    if (iv.quantity.starts_with("index/warm")) {
      EXPECT_DOUBLE_EQ(*iv.lo, *iv.hi);  // nothing of warm is resampled
    }
  }
  EXPECT_TRUE(saw_crossover);
  o.seed = 10;
  EXPECT_NE(to_json(bootstrap(paper, {f}, o)).dump(), to_json(a).dump());
}

TEST(RandomDraw, PinsTheFirstDrawsOfSeedOne) {
  std::mt19937_64 g(1);
  EXPECT_EQ(uniform_index(g, 10),
            2469588189546311528ULL % 10);  // mt19937_64's first output for seed 1
  std::mt19937_64 h(1);
  EXPECT_DOUBLE_EQ(uniform_open(h), (double(2469588189546311528ULL >> 11) + 0.5) * 0x1.0p-53);
}

}  // namespace
}  // namespace rejuv::testing
