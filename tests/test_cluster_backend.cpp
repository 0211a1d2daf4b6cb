// The cluster simulator acts on its world through the backend interface: every reboot, migration,
// failure and repair is an operation there, a world handed in is left as it was found, and the
// results on a world of one's own and on a handed-in one are the same to the bit.
#include <gtest/gtest.h>

#include "scenario_fixture.hpp"
#include "sim/backends/fault_injection.hpp"
#include "sim/backends/recording.hpp"
#include "sim/backends/simulated_backend.hpp"

namespace rejuv::sim {
namespace {

using backends::Op;
using testing::scenario;

size_t count(const backends::Recording& rec, Op op) {
  size_t n = 0;
  for (const auto& r : rec.log()) n += r.op == op;
  return n;
}

class EveryStrategyThroughTheBackend : public ::testing::TestWithParam<Strategy> {};

TEST_P(EveryStrategyThroughTheBackend, EachRejuvenationIsAnOperationAndTheWorldIsLeftClean) {
  const Strategy s = GetParam();
  const RejuvenationScenario sc = scenario({{"hosts", 6}, {"detail", "vm"}, {"horizon", "60d"}});
  backends::SimulatedBackend world;
  backends::Recording rec(world);
  const RunResult on_given = simulate(sc, s, 0, {}, &rec);
  const RunResult on_own = simulate(sc, s, 0);
  EXPECT_EQ(on_given.index, on_own.index);  // bit for bit
  EXPECT_EQ(on_given.events, on_own.events);
  EXPECT_EQ(on_given.backend_failures, 0u);

  const int n = sc.params.vms_per_host;
  EXPECT_EQ(count(rec, Op::reboot), on_given.os_rejuvenations);
  if (uses_spares(s)) {
    // Every VMM rejuvenation moves a group, one VM at a time, then reboots the emptied host.
    EXPECT_EQ(count(rec, Op::migrate), size_t(n) * on_given.vmm_rejuvenations);
    EXPECT_EQ(count(rec, Op::host_reboot), on_given.vmm_rejuvenations);
    for (const auto& r : rec.log()) {
      if (r.op == Op::migrate) {
        EXPECT_EQ(r.outcome.duration, r.planned);
      }
    }
  } else {
    EXPECT_EQ(count(rec, Op::host_reboot), on_given.vmm_rejuvenations);
    EXPECT_EQ(count(rec, Op::migrate), 0u);
  }
  // Left as found: the run's domains are gone, every host is up.
  EXPECT_EQ(world.host_count(), 6u);
  for (backends::DomainId d = 0; d < world.domain_count(); ++d)
    EXPECT_EQ(world.info(d).state, backends::DomainState::undefined);
}

INSTANTIATE_TEST_SUITE_P(All, EveryStrategyThroughTheBackend, ::testing::ValuesIn(kStrategies),
                         [](const auto& info) { return std::string(name(info.param)); });

TEST(ClusterThroughTheBackend, HostFailuresCrashDomainsThatAreRestartedElsewhere) {
  const RejuvenationScenario sc = scenario({{"hosts", 40},
                                           {"detail", "vm"},
                                           {"horizon", "365d"},
                                           {"failures", {{"annual_rate", 0.5}}}});
  backends::SimulatedBackend world;
  backends::Recording rec(world);
  const RunResult r = simulate(sc, Strategy::Migration, 0, {}, &rec);
  ASSERT_GT(r.host_failures, 3u);
  EXPECT_EQ(count(rec, Op::host_fail), r.host_failures);
  EXPECT_GE(count(rec, Op::restart_on), size_t(sc.params.vms_per_host));  // at least one group came back
  EXPECT_EQ(r.backend_failures, 0u);  // the simulator never asks for what the world refuses
  EXPECT_EQ(r.index, simulate(sc, Strategy::Migration, 0).index);
}

TEST(ClusterThroughTheBackend, OperationsTheWorldFailsAreCountedAndTheRunGoesOn) {
  const RejuvenationScenario sc = scenario({{"hosts", 4}, {"detail", "vm"}, {"horizon", "30d"}});
  backends::SimulatedBackend world;
  Streams streams(1);
  backends::FaultInjection faults(world, streams);
  // Every OS reboot of the first VM (domain 0) fails after taking its time.
  faults.add({.target = backends::Fault::Target::domain, .id = 0, .op = Op::reboot});
  const RunResult r = simulate(sc, Strategy::Warm, 0, {}, &faults);
  EXPECT_GT(r.backend_failures, 0u);
  EXPECT_EQ(r.backend_failures, faults.injected());
  EXPECT_GT(r.index, 0.99);
}

}  // namespace
}  // namespace rejuv::sim
