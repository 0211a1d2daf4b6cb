// Reboot fits recover the §4.1 values of seed 003 from synthetic curves made with them (seeded
// noise, jittered and shuffled samples, gaps), and the reader copes with such files.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "fitting/reboot_fit.hpp"
#include "fitting/synthetic_curves.hpp"

namespace rejuv::testing {
namespace {

using namespace rejuv::fitting;

SyntheticOptions messy(uint64_t seed) {
  SyntheticOptions o;
  o.dt = 1;
  o.jitter = 0.3;
  o.noise = 0.01;
  o.gaps = 0.05;
  o.shuffle = true;
  o.seed = seed;
  return o;
}

TEST(CurveSetReader, SortsShuffledRowsAndSkipsEmptyCells) {
  TempDir dir;
  write_file(dir / "throughput.csv", "# a comment\ntime_s,host,vm1\n3,30,\n1,10,1\n\n2,,2\n");
  write_file(dir / "events.csv",
             "time_s,event,subject\n2,os_reboot_start,vm1\n1,vmm_reboot_start,\n");
  const CurveSet cs = read_curve_set(dir.path());
  EXPECT_EQ(cs.header_line, 2);
  EXPECT_EQ(cs.series("host").t, (std::vector<double>{1, 3}));
  EXPECT_EQ(cs.series("vm1").y, (std::vector<double>{1, 2}));
  EXPECT_EQ(cs.events.front().event, "vmm_reboot_start");
  EXPECT_DOUBLE_EQ(time_mean(cs.series("host"), 1, 3), 20);
}

// §4.1: D_w(11) = 59 s, R_vmm = 25 s, ω = 0.61, p = 560 requests/s.
TEST(RebootFit, WarmRecoversDowntimePeriodAndDegradation) {
  TempDir dir;
  write_reboot_set(dir.path(), RebootKind::Warm, {59, 25, 0.61}, 560, 11, messy(11));
  const RebootFit f = fit_reboot(read_curve_set(dir.path()), RebootKind::Warm);
  EXPECT_NEAR(f.baseline, 560, 560 * 0.01);
  EXPECT_NEAR(f.reboot.downtime, 59, 1.5);
  EXPECT_NEAR(f.reboot.degraded_period, 25, 1.5);
  EXPECT_NEAR(f.reboot.degradation, 0.61, 0.03);
  EXPECT_NEAR(f.edges.event_time, 100, 1e-9);
  EXPECT_DOUBLE_EQ(f.edges.recovery_threshold, 0.10 * f.baseline);
  EXPECT_DOUBLE_EQ(f.edges.band_threshold, 0.95 * f.baseline);
}

// §4.1: D_c(11) = 219 s, R'_vmm = 397 s, ω' = 0.72.
TEST(RebootFit, ColdRecoversDowntimePeriodAndDegradation) {
  TempDir dir;
  SyntheticOptions o = messy(12);
  o.dt = 2;
  write_reboot_set(dir.path(), RebootKind::Cold, {219, 397, 0.72}, 560, 11, o);
  const RebootFit f = fit_reboot(read_curve_set(dir.path()), RebootKind::Cold);
  EXPECT_NEAR(f.reboot.downtime, 219, 3);
  EXPECT_NEAR(f.reboot.degraded_period, 397, 3);
  EXPECT_NEAR(f.reboot.degradation, 0.72, 0.03);
}

// §4.1: D_os = 41 s; the other VMs lose δ = 0.35 while it reboots, over (n − 1)·D_os = 410 s in
// all; no cache-miss degradation afterwards at 50 requests/s.
TEST(RebootFit, OsTakesRosAsNMinusOneTimesDos) {
  TempDir dir;
  write_reboot_set(dir.path(), RebootKind::Os, {41, 0, 0.35}, 560, 11, messy(13));
  const RebootFit f = fit_reboot(read_curve_set(dir.path()), RebootKind::Os);
  EXPECT_EQ(f.vms, 11);
  EXPECT_NEAR(f.reboot.downtime, 41, 1.5);
  EXPECT_NEAR(f.reboot.degraded_period, 10 * f.reboot.downtime, 1e-9);
  EXPECT_NEAR(f.reboot.degradation, 0.35, 0.03);
  EXPECT_NEAR(f.cache_period, 0, 1e-9);
}

// With a cache-miss period after the reboot, R_os adds it and δ is the period-weighted mean.
TEST(RebootFit, OsAddsTheRebootedVmsOwnDegradedPeriod) {
  TempDir dir;
  SyntheticOptions o = messy(14);
  o.noise = 0.005;
  write_reboot_set(dir.path(), RebootKind::Os, {41, 0, 0.35}, 560, 11, o, {0, 100, 0.5});
  const RebootFit f = fit_reboot(read_curve_set(dir.path()), RebootKind::Os);
  EXPECT_NEAR(f.cache_period, 100, 2);
  EXPECT_NEAR(f.cache_degradation, 0.5, 0.03);
  EXPECT_NEAR(f.reboot.degraded_period, 410 + 100, 17);
  EXPECT_NEAR(f.reboot.degradation, (410 * 0.35 + 100 * 0.5) / 510, 0.03);
}

}  // namespace
}  // namespace rejuv::testing
