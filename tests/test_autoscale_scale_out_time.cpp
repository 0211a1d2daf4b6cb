// The scale-out time model's pieces (seed 004 §4.3, §5.3): the copy of a sparse template's used
// blocks, the boot, and start-ups sharing the new VM's vCPUs.
#include <gtest/gtest.h>

#include "sim/autoscale/scale_out_time.hpp"

namespace rejuv::sim::autoscale {
namespace {

TEST(CopyTime, IsUsedBytesOverTheBandwidth) {
  EXPECT_DOUBLE_EQ(copy_time(4e9, 50e6), 80);
  EXPECT_DOUBLE_EQ(copy_time(8e9, 50e6), 2 * copy_time(4e9, 50e6));
  EXPECT_DOUBLE_EQ(copy_time(4e9, 25e6), 2 * copy_time(4e9, 50e6));
  EXPECT_EQ(copy_time(0, 50e6), 0);
  EXPECT_THROW(copy_time(1, 0), std::invalid_argument);
}

TEST(BootTime, TakesItsWallTimeButNoLessThanItsCpuAllows) {
  EXPECT_EQ(boot_time(4, 4, 1), 4);
  EXPECT_EQ(boot_time(4, 12, 1), 12);  // the CPU work on one vCPU is the bound
  EXPECT_EQ(boot_time(4, 12, 4), 4);
}

TEST(StartupMakespan, StartUpsShareTheVcpus) {
  // Seed 004 §5.3: the VM-level clone starts Apache, nginx and WildFly on its one vCPU.
  EXPECT_DOUBLE_EQ(startup_makespan({3, 1, 167}, 1), 171);
  // Alone, a start-up takes its CPU seconds whatever the vCPUs.
  EXPECT_DOUBLE_EQ(startup_makespan({3}, 1), 3);
  EXPECT_DOUBLE_EQ(startup_makespan({3}, 4), 3);
  // Two on two vCPUs do not compete; three on two do: 2 s at 2/3 each, then 1 s alone at full
  // speed.
  EXPECT_DOUBLE_EQ(startup_makespan({2, 3}, 2), 3);
  EXPECT_DOUBLE_EQ(startup_makespan({2, 2, 3}, 2), 3 + 1);
  EXPECT_EQ(startup_makespan({}, 1), 0);
}

TEST(StartupMakespan, GrowsWithEveryServiceStartedOnTheSameVcpus) {
  std::vector<double> work = {3};
  double last = startup_makespan(work, 2);
  for (int k = 0; k < 6; ++k) {
    work.push_back(1.5);
    const double now = startup_makespan(work, 2);
    EXPECT_GE(now, last);
    if (work.size() > 2) {
      EXPECT_GT(now, last) << work.size() << " start-ups";
    }
    last = now;
  }
}

}  // namespace
}  // namespace rejuv::sim::autoscale
