// The index extended with aging crashes (models/aging.hpp): without aging it is seed 003's closed
// forms; with aging each strategy's cycles follow renewal–reward, and cold's OS windows restart
// with every cold reboot.
#include <gtest/gtest.h>

#include <cmath>

#include "models/aging.hpp"
#include "models/os_window.hpp"
#include "paper_params.hpp"

namespace rejuv {
namespace {

using testing::paper_params;
constexpr double kDay = 86400;

void expect_equal_terms(const Params& p, Strategy s, const AgingModel& a, double tol) {
  SCOPED_TRACE(std::string(name(s)) + " T_vmm " + std::to_string(p.T_vmm) + " T_os " + std::to_string(p.T_os));
  const Terms c = terms(p, s);
  const AgingTerms t = aging_terms(p, s, a);
  EXPECT_NEAR(t.availability, c.availability, tol);
  EXPECT_NEAR(t.vmm_degradation, c.vmm_degradation, tol);
  EXPECT_NEAR(t.os_degradation, c.os_degradation, tol);
  EXPECT_NEAR(t.per_host(), c.per_host(), tol);
  EXPECT_NEAR(t.N_os, c.N_os, tol * c.N_os + tol);
  for (double m : {2.0, 10.0, 11249.0, 1e6}) EXPECT_NEAR(aging_index(p, t, m), index(p, c, m), tol);
}

TEST(AgingTerms, WithoutAgingEqualSeed003ClosedFormsToOneInATrillion) {
  // The "Done when": no aging, the extended index is today's closed forms to 1e-12, for
  // the paper's T_vmm = 28 d, T_os = 7 d (§4.3) and schedules around it (cold's ⌊N_c⌋ = 3, 0, 13).
  for (MigrationMode mode : {MigrationMode::StayOn, MigrationMode::ReturnBack})
    for (auto [T_vmm, T_os] : {std::pair{28 * kDay, 7 * kDay}, {3 * kDay, 7 * kDay}, {5 * kDay, 0.37 * kDay},
                               {90 * kDay, 1.5 * kDay}, {28 * kDay, kNever}}) {
      Params p = paper_params();
      p.migration_mode = mode;
      p.T_vmm = T_vmm;
      p.T_os = T_os;
      for (Strategy s : kStrategies) expect_equal_terms(p, s, AgingModel{}, 1e-12);
    }
}

TEST(AgingTerms, AVmmThatNeverCrashesIsNoAging) {
  // A Weibull whose scale is 10^6 years never crashes within a cycle: the closed forms again.
  AgingModel a;
  a.vmm = AgingLaw::weibull(3, 1e6 * 365 * kDay);
  a.os = AgingLaw::weibull(3, 1e6 * 365 * kDay);
  const Params p = paper_params();
  for (Strategy s : kStrategies) expect_equal_terms(p, s, a, 1e-9);
}

TEST(AgingTerms, WarmPaysRejuvenationOrCrashByRenewalReward) {
  // Huang et al. 1995: per cycle min(X, T), the rejuvenation's cost with probability S(T) and the
  // crash's (a cold reboot, with detection) with F(T), over E[min(X, T)] = ∫_0^T S.
  Params p = paper_params();
  AgingModel a;
  a.vmm = AgingLaw::weibull(3, 60 * kDay);
  a.vmm_detection = 600;
  p.T_os = kNever;  // no OS term, to see the VMM's alone
  const double T = p.T_vmm, S = std::exp(-std::pow(T / (60 * kDay), 3)), F = 1 - S;
  const double EC = a.vmm->integral_survival(T);
  const AgingTerms t = aging_terms(p, Strategy::Warm, a);
  EXPECT_NEAR(t.availability, 1 - (59 * S + (600 + 219) * F) / EC, 1e-15);
  EXPECT_NEAR(t.vmm_degradation, (0.61 * 25 * S + 0.72 * 397 * F) / EC, 1e-15);
  EXPECT_NEAR(t.vmm_crash_share, F, 1e-15);
  EXPECT_NEAR(t.vmm_crashes_per_year, F / EC * 365 * kDay, 1e-12);
}

TEST(AgingTerms, ReturnBackMovesEachGroupTwicePerCycle) {
  // Machida et al. 2013's return-back: twice the migration's cost, and twice its stop of the OS clock.
  Params p = paper_params();
  const Terms stay = terms(p, Strategy::Migration);
  p.migration_mode = MigrationMode::ReturnBack;
  const Terms back = terms(p, Strategy::Migration);
  EXPECT_NEAR(back.vmm_degradation, 2 * stay.vmm_degradation, 1e-18);
  EXPECT_NEAR(back.N_os, (p.T_vmm - 2 * 15) / p.T_os, 1e-12);
  EXPECT_NEAR(1 - back.availability, (2 * 15 + back.N_os * 41) / p.T_vmm, 1e-15);
  EXPECT_NEAR(terms(p, Strategy::Live).vmm_degradation, 2 * 0.5757 * 181 / p.T_vmm, 1e-7);
}

TEST(AgingTerms, ColdCountsTheOsRejuvenationsThatFitBeforeACrash) {
  // Cold boots the OSes with each VMM reboot: a cycle cut short by a crash at age x holds
  // ⌊(x − D)/T_os⌋ OS rejuvenations, so E[R] = Σ_k P(C ≥ D + k T_os) = Σ_k S(D + k T_os).
  Params p = paper_params();
  AgingModel a;
  a.vmm = AgingLaw::weibull(2, 30 * kDay);
  const AgingTerms t = aging_terms(p, Strategy::Cold, a);
  const double S_T = a.vmm->survival(p.T_vmm);
  double expected = 0;
  for (int k = 1; k <= 3; ++k) {
    expected += S_T * a.vmm->survival(219 + k * 7 * kDay);         // cycles begun by a cold rejuvenation
    expected += (1 - S_T) * a.vmm->survival(219 + k * 7 * kDay);  // and by a crash (same reboot, no detection)
  }
  EXPECT_NEAR(t.N_os, expected, 1e-12);
  EXPECT_LT(t.N_os, 3.0);
}

TEST(OsWindow, WithoutCrashesCountsFloorOfWindowOverTos) {
  // An OS that does not age within the window: rejuvenations at T_os, 2 T_os, … (seed 003's ⌊N_c⌋).
  const OsWindow w(AgingLaw::weibull(4, 1e9 * kDay), 7 * kDay, 28 * kDay);
  EXPECT_DOUBLE_EQ(w.rejuvenations(28 * kDay - 219), 3.0);
  EXPECT_DOUBLE_EQ(w.rejuvenations(7 * kDay - 1), 0.0);
  EXPECT_DOUBLE_EQ(w.rejuvenations(14 * kDay + 1), 2.0);
  EXPECT_NEAR(w.crashes(28 * kDay), 0.0, 1e-12);
}

TEST(OsWindow, ExponentialCrashesArePoissonWithoutRejuvenation) {
  // With a constant hazard and no rejuvenation the renewal function is exactly ℓ/mean; the grid
  // places each crash at most a step late, a relative error of order step/mean.
  const double mean = 10 * kDay;
  const OsWindow w(AgingLaw::exponential(mean), kNever, 30 * kDay);
  EXPECT_NEAR(w.crashes(30 * kDay), 3.0, 3.0 * 2 * w.step() / mean);
  EXPECT_NEAR(w.crashes(15 * kDay), 1.5, 1.5 * 2 * w.step() / mean);
  EXPECT_EQ(w.rejuvenations(30 * kDay), 0.0);
}

TEST(OsWindow, RejuvenationsAndCrashesShareTheRenewals) {
  // Each renewal is a rejuvenation or a crash; over a long window their rate tends to the
  // renewal–reward rate 1/E[min(X, T_os)], split S(T_os) : F(T_os).
  const AgingLaw os = AgingLaw::weibull(2.5, 12 * kDay);
  const double T_os = 6 * kDay, L = 600 * kDay;
  const OsWindow w(os, T_os, L, 512);
  const double rate = 1 / os.integral_survival(T_os);
  EXPECT_NEAR(w.rejuvenations(L) / L, rate * os.survival(T_os), 0.01 * rate);
  EXPECT_NEAR(w.crashes(L) / L, rate * os.cdf(T_os), 0.01 * rate);
}

TEST(AgingTerms, ColdOsWindowsRenewWithEveryColdReboot) {
  // With OS aging, warm's OS runs on across VMM cycles (its long-run rate), cold's starts afresh
  // with every cold reboot: at T_os = never, cold's OSes crash less than warm's when T_vmm is well
  // below the OS's scale (an increasing hazard: young OSes seldom crash).
  Params p = paper_params();
  p.T_os = kNever;
  AgingModel a;
  a.os = AgingLaw::weibull(3, 30 * kDay);
  p.T_vmm = 10 * kDay;
  const AgingTerms warm = aging_terms(p, Strategy::Warm, a), cold = aging_terms(p, Strategy::Cold, a);
  EXPECT_LT(cold.os_crashes_per_year, 0.2 * warm.os_crashes_per_year);
  // Warm's OS crashes at its long-run rate: 1/mean per unit of the time its VMs run.
  EXPECT_NEAR(warm.os_crashes_per_year, (1 - 59 / p.T_vmm) / a.os->mean() * 365 * kDay, 1e-9);
  // Cold's: the renewal function over each 10-day window; P(crash in 10 d) = 1 − e^{−1/27} ≈ 0.036.
  const double windows_per_year = 365 * kDay / p.T_vmm;
  EXPECT_NEAR(cold.os_crashes_per_year, windows_per_year * a.os->cdf(p.T_vmm - 219), 0.002 * windows_per_year);
}

}  // namespace
}  // namespace rejuv
