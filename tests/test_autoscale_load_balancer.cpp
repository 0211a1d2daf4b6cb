// Requests as a fluid: round robin over a service's instances, a VM's CPU shared by its
// instances, and what exceeds capacity queued up to a bound or lost.
#include <gtest/gtest.h>

#include "sim/autoscale/load_balancer.hpp"

namespace rejuv::sim::autoscale {
namespace {

TEST(RoundRobin, SpreadsRequestsEvenlyOverServingInstances) {
  EXPECT_EQ(round_robin_share(5, 2), 2.5);  // seed 004 §5.5: 5 requests/s over two instances
  EXPECT_EQ(round_robin_share(5, 1), 5);
  EXPECT_EQ(round_robin_share(5, 0), 0);
}

TEST(ServeOnVm, ServesEverythingWhileCapacityExceedsTheLoad) {
  std::vector<InstanceServed> out;
  serve_on_vm(0.68, {{5, 0.112, 0}}, 0, 1.0, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].served_rps, 5);
  EXPECT_EQ(out[0].lost, 0);
  EXPECT_NEAR(out[0].cpu, 0.56, 1e-12);
  EXPECT_NEAR(out[0].capacity_rps, 0.68 / 0.112, 1e-12);
}

TEST(ServeOnVm, LosesWhatExceedsCapacityWithoutAQueue) {
  std::vector<InstanceServed> out;
  serve_on_vm(0.5, {{10, 0.1, 0}}, 0, 2.0, out);
  EXPECT_DOUBLE_EQ(out[0].served_rps, 5);
  EXPECT_DOUBLE_EQ(out[0].lost, 10);  // 5 requests/s over 2 s
  EXPECT_EQ(out[0].queue, 0);
}

TEST(ServeOnVm, QueuesUpToTheBoundThenDrainsTheBacklog) {
  std::vector<InstanceServed> out;
  serve_on_vm(0.5, {{10, 0.1, 0}}, 8, 2.0, out);  // 10 requests too many: 8 queued, 2 lost
  EXPECT_DOUBLE_EQ(out[0].queue, 8);
  EXPECT_DOUBLE_EQ(out[0].lost, 2);
  serve_on_vm(1.0, {{2, 0.1, 8}}, 8, 2.0, out);  // capacity 10/s: the arrivals and the backlog
  EXPECT_DOUBLE_EQ(out[0].served_rps, 6);
  EXPECT_DOUBLE_EQ(out[0].queue, 0);
  EXPECT_EQ(out[0].lost, 0);
}

TEST(ServeOnVm, InstancesShareTheCpuInProportionToWhatTheyAsk) {
  std::vector<InstanceServed> out;
  serve_on_vm(1.0, {{10, 0.1, 0}, {10, 0.2, 0}}, 0, 1.0, out);  // asking 1 and 2 vCPUs of 1
  EXPECT_NEAR(out[0].cpu, 1.0 / 3, 1e-12);
  EXPECT_NEAR(out[1].cpu, 2.0 / 3, 1e-12);
  EXPECT_NEAR(out[0].served_rps + out[1].served_rps, 10.0 / 3 + 10.0 / 3, 1e-12);
  EXPECT_NEAR(out[0].capacity_rps, out[0].served_rps, 1e-12);  // saturated: it serves what it can
  serve_on_vm(1.0, {{2, 0.1, 0}, {0, 0.2, 0}}, 0, 1.0, out);   // the other asks nothing
  EXPECT_NEAR(out[0].capacity_rps, 10, 1e-12);
  EXPECT_NEAR(out[1].capacity_rps, (1.0 - 0.2) / 0.2, 1e-12);
  serve_on_vm(0, {{1, 0.1, 0}}, 0, 1.0, out);  // no CPU left (a start-up takes it all)
  EXPECT_EQ(out[0].served_rps, 0);
  EXPECT_EQ(out[0].lost, 1);
}

}  // namespace
}  // namespace rejuv::sim::autoscale
