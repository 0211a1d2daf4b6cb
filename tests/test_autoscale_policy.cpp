// The autoscaler's decisions: which container the threshold policy scales out (seed 004 §3), and
// Kubernetes' proportional formula.
#include <gtest/gtest.h>

#include "sim/autoscale/policy.hpp"

namespace rejuv::sim::autoscale {
namespace {

using Reason = ContainerChoice::Reason;

TEST(ChooseContainer, TheHottestWhenItStandsOut) {
  // Seed 004 §5.2: Apache alone climbs; nginx and WildFly stay low.
  const auto c = choose_container({{0, {0.56}}, {1, {0.02}}, {2, {0.28}}}, 1.5, 2);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->service, 0);
  EXPECT_EQ(c->reason, Reason::hottest);
  // A single candidate stands out by itself.
  EXPECT_EQ(choose_container({{4, {0.1}}}, 1.5, 2)->service, 4);
}

TEST(ChooseContainer, WaitsForATrendWhenNoneStandsOut) {
  // Seed 004 §3: three containers at 30 % each make a VM at 90 %; none is the cause.
  EXPECT_FALSE(choose_container({{0, {0.30}}, {1, {0.31}}, {2, {0.29}}}, 1.5, 2));
}

TEST(ChooseContainer, TheOneRisingFastestWhenNoneStandsOut) {
  const auto c =
      choose_container({{0, {0.30, 0.30}}, {1, {0.33, 0.31}}, {2, {0.22, 0.29}}}, 1.5, 2);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->service, 2);
  EXPECT_EQ(c->reason, Reason::rising_fastest);
  // The slope is a least-squares fit over the last trend_samples usages.
  const auto d =
      choose_container({{0, {0.10, 0.30, 0.32, 0.34}}, {1, {0.30, 0.30, 0.25, 0.36}}}, 1.5, 3);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->service, 1);  // slope 0.03 against 0.02
  // Equal slopes: the hotter.
  EXPECT_EQ(choose_container({{0, {0.25, 0.5}}, {1, {0.375, 0.625}}}, 1.5, 2)->service, 1);
}

TEST(ChooseContainer, RefusesWhatItCannotDecideOn) {
  EXPECT_THROW(choose_container({}, 1.5, 2), std::invalid_argument);
  EXPECT_THROW(choose_container({{0, {}}}, 1.5, 2), std::invalid_argument);
}

TEST(HpaDesired, IsCurrentTimesUtilisationOverTargetRoundedUp) {
  // Kubernetes' documentation: 200m used against 100m wanted doubles the replicas; 50m halves them.
  EXPECT_EQ(hpa_desired(3, 2.0, 1.0, 0.1, 1, 10), 6);
  EXPECT_EQ(hpa_desired(4, 0.5, 1.0, 0.1, 1, 10), 2);
  EXPECT_EQ(hpa_desired(1, 0.56, 0.5, 0.1, 1, 10), 2);  // ⌈1.12⌉
  EXPECT_EQ(hpa_desired(3, 0.9, 0.6, 0.1, 1, 10), 5);   // ⌈4.5⌉
}

TEST(HpaDesired, KeepsTheCountWithinTheToleranceAndTheBounds) {
  EXPECT_EQ(hpa_desired(4, 0.84, 0.8, 0.1, 1, 10), 4);  // ratio 1.05
  EXPECT_EQ(hpa_desired(4, 0.73, 0.8, 0.1, 1, 10), 4);  // ratio 0.91
  EXPECT_EQ(hpa_desired(4, 0.96, 0.8, 0.1, 1, 10), 5);  // ratio 1.2
  EXPECT_EQ(hpa_desired(4, 8.0, 0.8, 0.1, 1, 10), 10);
  EXPECT_EQ(hpa_desired(4, 0.0, 0.8, 0.1, 2, 10), 2);
}

}  // namespace
}  // namespace rejuv::sim::autoscale
