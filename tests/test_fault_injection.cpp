// Injected faults around a backend: they strike the operations they name, on the host or domain
// they name, once, always or with a probability drawn from a named stream, and say whom to blame.
#include <gtest/gtest.h>

#include "sim/backends/fault_injection.hpp"
#include "sim/backends/recording.hpp"
#include "sim/backends/simulated_backend.hpp"

namespace rejuv::sim::backends {
namespace {

struct Faults : ::testing::Test {
  SimulatedBackend world;
  Streams streams{7};
  FaultInjection faults{world, streams};
  HostId a = faults.add_host({.name = "ibm34"});
  HostId b = faults.add_host({.name = "ibm42"});
};

TEST_F(Faults, AlwaysFailsEveryDeployOnTheHostAndTakesThePlannedTime) {
  faults.add({.target = Fault::Target::host, .id = a, .op = Op::define, .mode = Fault::Mode::always});
  for (int k = 0; k < 3; ++k) {
    auto [d, o] = faults.define(a, {}, 12);
    EXPECT_EQ(d, kNoId);
    EXPECT_EQ(o.code, codes::kInjected);
    EXPECT_EQ(o.duration, 12);
    EXPECT_EQ(o.blame, Blame::host);
  }
  EXPECT_TRUE(faults.define(b, {}, 12).second.ok());
  EXPECT_EQ(faults.injected(), 3u);
  EXPECT_EQ(world.domain_count(), 1u);  // the failed attempts never reached the world
}

TEST_F(Faults, OnceStrikesTheFirstMatchingOperationOnly) {
  const DomainId d = faults.define(a, {.name = "34-1"}, 0).first;
  faults.add({.target = Fault::Target::domain, .id = d, .op = Op::start, .mode = Fault::Mode::once});
  const Outcome first = faults.start(d, 5);
  EXPECT_EQ(first.code, codes::kInjected);
  EXPECT_EQ(first.blame, Blame::domain);
  EXPECT_TRUE(faults.start(d, 5).ok());
}

TEST_F(Faults, AHostFaultHitsMigrationsToItAndBlamesTheTarget) {
  const DomainId d = faults.define(b, {}, 0).first;
  ASSERT_TRUE(faults.start(d, 0).ok());
  faults.add({.target = Fault::Target::host, .id = a, .op = Op::migrate});
  const Outcome o = faults.migrate(d, a, {}, {.total = 20});
  EXPECT_EQ(o.blame, Blame::target_host);
  EXPECT_NE(o.message.find("ibm34"), std::string::npos);
  EXPECT_EQ(world.info(d).host, b);
}

TEST_F(Faults, ProbabilityDrawsFromItsStreamSoTheSameSeedFailsTheSameOperations) {
  auto pattern = [](uint64_t seed) {
    SimulatedBackend w;
    Streams s{seed};
    FaultInjection f{w, s};
    const HostId h = f.add_host({});
    f.add({.target = Fault::Target::host, .id = h, .mode = Fault::Mode::probability, .probability = 0.3});
    std::string bits;
    for (int k = 0; k < 200; ++k) bits += f.define(h, {}, 1).second.ok() ? '.' : 'x';
    return bits;
  };
  const std::string p = pattern(1);
  EXPECT_EQ(p, pattern(1));
  EXPECT_NE(p, pattern(2));
  const auto failed = std::count(p.begin(), p.end(), 'x');
  EXPECT_GT(failed, 35);  // 60 expected; binomial sd 6.5
  EXPECT_LT(failed, 85);
}

TEST(Recording, LogsEachOperationAndSummarisesByKind) {
  SimulatedBackend world;
  Recording rec{world};
  const HostId h = rec.add_host({.name = "h"});
  const DomainId d = rec.define(h, {.name = "vm"}, 1).first;
  rec.start(d, 10);
  for (double t : {1.0, 2.0, 3.0, 4.0, 5.0}) rec.reboot(d, t);
  rec.resume(d, 1);  // fails: running
  ASSERT_EQ(rec.log().size(), 8u);
  EXPECT_EQ(rec.log()[0].subject, "vm");
  EXPECT_EQ(rec.log()[0].target, "h");
  const auto stats = summarize(rec.log());
  ASSERT_EQ(stats.size(), 4u);  // define, start, reboot, resume
  const OpStats& reboot = stats[2];
  EXPECT_EQ(reboot.op, Op::reboot);
  EXPECT_EQ(reboot.count, 5u);
  EXPECT_DOUBLE_EQ(reboot.mean_s, 3);
  EXPECT_DOUBLE_EQ(reboot.p50_s, 3);
  EXPECT_DOUBLE_EQ(reboot.p95_s, 4.8);
  EXPECT_EQ(stats[3].failures, 1u);
}

}  // namespace
}  // namespace rejuv::sim::backends
