// Pacing on the wall clock (sim/backends/pacing.hpp): the simulated time between operations is
// waited for, scaled; the operations' own durations are not scaled.
#include <gtest/gtest.h>

#include <chrono>

#include "sim/backends/pacing.hpp"
#include "sim/backends/safety.hpp"
#include "sim/backends/simulated_backend.hpp"
#include "sim/engine.hpp"

namespace rejuv::sim::backends {
namespace {

struct Paced : ::testing::Test {
  Engine engine;
  SimulatedBackend world;
  std::vector<double> waits;
  Pacing paced{world, 1e-5, [this](Seconds s) { waits.push_back(s); }};
  HostId h = world.add_host({});
  Paced() { paced.attach(&engine); }
  // Runs `f` at simulated time t.
  template <class F>
  void at(double t, F f) {
    engine.schedule_at(t, engine.add_handler([f](Engine&, uint32_t, uint32_t) { f(); }));
  }
};

TEST_F(Paced, WaitsTheScaledIdleTimeBetweenOperations) {
  DomainId d = kNoId;
  at(0, [&] { d = paced.define(h, {}, 10).first; });             // busy until t = 10
  at(86400 + 10, [&] { EXPECT_TRUE(paced.start(d, 5).ok()); });  // one idle day: 0.864 s at 1e-5
  at(86400 + 20, [&] { EXPECT_TRUE(paced.reboot(d, 1).ok()); });
  std::vector<std::pair<double, double>> announced;
  paced.on_wait([&](Seconds wait, Seconds until) { announced.emplace_back(wait, until); });
  engine.run_until(2 * 86400);
  ASSERT_EQ(waits.size(), 2u);  // nothing before the first operation at t = 0
  ASSERT_EQ(announced.size(), 2u);
  EXPECT_DOUBLE_EQ(announced[0].first, 0.864);
  EXPECT_DOUBLE_EQ(announced[0].second, 86400 + 10);
  EXPECT_DOUBLE_EQ(waits[0], 0.864);
  EXPECT_DOUBLE_EQ(waits[1], 5 * 1e-5);  // the start took 5 s of the 10 between them
  EXPECT_DOUBLE_EQ(paced.waited_s(), 0.864 + 5e-5);
  EXPECT_EQ(paced.time_scale(), 1e-5);
}

TEST_F(Paced, OverlappingOperationsRunBackToBackWithoutWaiting) {
  // Two hosts' reboots overlap in simulated time; a synchronous backend runs them one after
  // another.
  HostId g = world.add_host({});
  at(100, [&] { paced.host_reboot(h, HostReboot::warm, 60); });
  at(130, [&] { paced.host_reboot(g, HostReboot::warm, 60); });  // h is busy until 160
  at(200, [&] {
    paced.host_reboot(h, HostReboot::warm, 60);
  });  // 40 s idle after 160 (g ended at 190: 10 s)
  engine.run_until(1000);
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_DOUBLE_EQ(waits[0], 100 * 1e-5);
  EXPECT_DOUBLE_EQ(waits[1], 10 * 1e-5);
}

TEST(Pacing, ARateOfZeroNeverWaitsAndANegativeOneIsRefused) {
  SimulatedBackend world;
  Engine engine;
  int calls = 0;
  Pacing paced{world, 0, [&](Seconds) { ++calls; }};
  paced.attach(&engine);
  const HostId h = paced.add_host({});
  engine.schedule_at(
      1e6, engine.add_handler([&](Engine&, uint32_t, uint32_t) { paced.define(h, {}, 1); }));
  engine.run_until(2e6);
  EXPECT_EQ(calls, 0);
  EXPECT_THROW(Pacing(world, -1), std::invalid_argument);
}

TEST(InterruptibleSleep, StopsWithInterruptedOnceAnInterruptIsRequested) {
  clear_interrupt();
  const auto t0 = std::chrono::steady_clock::now();
  interruptible_sleep(0.01);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(10));
  request_interrupt();
  EXPECT_THROW(interruptible_sleep(3600), Interrupted);  // at once, not after an hour
  clear_interrupt();
}

}  // namespace
}  // namespace rejuv::sim::backends
