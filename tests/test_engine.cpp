#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "sim/engine.hpp"

namespace {

using rejuv::sim::Engine;
using rejuv::sim::EventId;
using rejuv::sim::HandlerId;

// Records (time, subject) of every event that fires.
struct Log {
  std::vector<std::pair<double, uint32_t>> fired;
  HandlerId attach(Engine& engine) {
    return engine.add_handler(
        [this](Engine& e, uint32_t subject, uint32_t) { fired.emplace_back(e.now(), subject); });
  }
  std::vector<uint32_t> subjects() const {
    std::vector<uint32_t> out;
    for (const auto& f : fired) out.push_back(f.second);
    return out;
  }
};

TEST(Engine, RunsTiesFirstInFirstOut) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  for (uint32_t i = 0; i < 50; ++i) engine.schedule_at(10.0, h, i);
  engine.run_until(10.0);
  std::vector<uint32_t> expected(50);
  for (uint32_t i = 0; i < 50; ++i) expected[i] = i;
  EXPECT_EQ(log.subjects(), expected);
}

TEST(Engine, RunsEventsInTimeOrderWhateverTheSchedulingOrder) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  const std::vector<double> times{5, 1, 4, 1, 3, 0, 2, 4};
  for (uint32_t i = 0; i < times.size(); ++i) engine.schedule_at(times[i], h, i);
  engine.run_until(100);
  ASSERT_EQ(log.fired.size(), times.size());
  for (size_t i = 1; i < log.fired.size(); ++i)
    EXPECT_LE(log.fired[i - 1].first, log.fired[i].first);
  // Ties keep scheduling order: subject 1 (t=1) before 3 (t=1), 2 (t=4) before 7 (t=4).
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{5, 1, 3, 6, 4, 2, 7, 0}));
}

TEST(Engine, EventsScheduledFromAHandlerAtTheSameTimeRunAfterTheCurrentOnes) {
  Engine engine;
  std::vector<uint32_t> order;
  HandlerId h;
  h = engine.add_handler([&](Engine& e, uint32_t subject, uint32_t) {
    order.push_back(subject);
    if (subject == 0) e.schedule_in(0.0, h, 99);
  });
  engine.schedule_at(1, h, 0);
  engine.schedule_at(1, h, 1);
  engine.run_until(1);
  EXPECT_EQ(order, (std::vector<uint32_t>{0, 1, 99}));
}

TEST(Engine, RandomScheduleMatchesASortByTimeThenInsertion) {
  // Property, fixed pseudo-random times (an LCG): the engine's order is a stable sort by time.
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  std::vector<std::pair<double, uint32_t>> expected;
  uint64_t x = 12345;
  for (uint32_t i = 0; i < 5000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const double t = static_cast<double>(x >> 54);  // 0..1023: many ties
    engine.schedule_at(t, h, i);
    expected.emplace_back(t, i);
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  engine.run_until(2000);
  EXPECT_EQ(log.fired, expected);
}

TEST(Engine, PassesSubjectAndTagToTheHandler) {
  Engine engine;
  uint32_t seen_subject = 0, seen_tag = 0;
  const HandlerId h = engine.add_handler([&](Engine&, uint32_t subject, uint32_t tag) {
    seen_subject = subject;
    seen_tag = tag;
  });
  engine.schedule_in(1, h, 7, 42);
  engine.run_until(2);
  EXPECT_EQ(seen_subject, 7u);
  EXPECT_EQ(seen_tag, 42u);
}

TEST(Engine, AcceptsAFunctionPointerWithContext) {
  Engine engine;
  int counter = 0;
  const HandlerId h =
      engine.add_handler([](Engine&, void* context, uint32_t subject,
                            uint32_t) { *static_cast<int*>(context) += static_cast<int>(subject); },
                         &counter);
  engine.schedule_at(1, h, 3);
  engine.schedule_at(2, h, 4);
  engine.run_until(5);
  EXPECT_EQ(counter, 7);
}

TEST(Engine, CancelledEventNeverRunsAndIsNotCounted) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  engine.schedule_at(1, h, 1);
  const EventId doomed = engine.schedule_at(2, h, 2);
  engine.schedule_at(3, h, 3);
  EXPECT_EQ(engine.pending(), 3u);
  engine.cancel(doomed);
  EXPECT_EQ(engine.pending(), 2u);
  engine.run_until(10);
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(engine.events_processed(), 2u);
  EXPECT_EQ(engine.pending(), 0u);
}

TEST(Engine, CancelTwiceIsHarmless) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  const EventId id = engine.schedule_at(2, h, 2);
  engine.schedule_at(3, h, 3);
  engine.cancel(id);
  engine.cancel(id);
  EXPECT_EQ(engine.pending(), 1u);
  engine.run_until(10);
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{3}));
  EXPECT_EQ(engine.pending(), 0u);
  engine.cancel(id);  // and again after it would have fired
  EXPECT_EQ(engine.pending(), 0u);
}

TEST(Engine, CancelOfAnEmptyIdDoesNothing) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  engine.schedule_at(1, h, 1);
  EventId none;
  EXPECT_TRUE(none.empty());
  engine.cancel(none);
  EXPECT_EQ(engine.pending(), 1u);
  engine.run_until(2);
  EXPECT_EQ(log.fired.size(), 1u);
}

TEST(Engine, CancelAfterFiringDoesNotAffectLaterEvents) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  const EventId early = engine.schedule_at(1, h, 1);
  engine.schedule_at(5, h, 5);
  engine.run_until(2);
  engine.cancel(early);
  EXPECT_EQ(engine.pending(), 1u);
  engine.run_until(10);
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{1, 5}));
}

TEST(Engine, AHandlerCanCancelAPendingEvent) {
  // A crash cancels the pending rejuvenation of the same host.
  Engine engine;
  Log log;
  const HandlerId rejuvenate = log.attach(engine);
  EventId planned = engine.schedule_at(10, rejuvenate, 1);
  const HandlerId crash =
      engine.add_handler([&](Engine& e, uint32_t, uint32_t) { e.cancel(planned); });
  engine.schedule_at(4, crash, 1);
  engine.run_until(20);
  EXPECT_TRUE(log.fired.empty());
  EXPECT_EQ(engine.events_processed(), 1u);
}

TEST(Engine, RunUntilStopsAtTheHorizonInclusiveAndSetsNow) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  engine.schedule_at(1, h, 1);
  engine.schedule_at(5, h, 5);
  engine.schedule_at(5.000001, h, 6);
  EXPECT_TRUE(engine.run_until(5));
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{1, 5}));
  EXPECT_EQ(engine.now(), 5.0);
  EXPECT_EQ(engine.pending(), 1u);
  EXPECT_TRUE(engine.run_until(7.5));
  EXPECT_EQ(engine.now(), 7.5);
  EXPECT_EQ(log.fired.size(), 3u);
  EXPECT_TRUE(engine.run_until(9));  // an empty queue still advances the clock
  EXPECT_EQ(engine.now(), 9.0);
}

TEST(Engine, RunUntilRejectsAHorizonInThePast) {
  Engine engine;
  engine.run_until(10);
  EXPECT_THROW(engine.run_until(9), std::logic_error);
}

TEST(Engine, StepProcessesOneEventAtATime) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  const EventId first = engine.schedule_at(1, h, 1);
  engine.schedule_at(2, h, 2);
  engine.cancel(first);
  EXPECT_TRUE(engine.step());
  EXPECT_EQ(engine.now(), 2.0);
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{2}));
  EXPECT_FALSE(engine.step());
  EXPECT_EQ(engine.events_processed(), 1u);
}

TEST(Engine, StopFromAHandlerEndsRunUntilAfterThatEvent) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  const HandlerId stopper = engine.add_handler([](Engine& e, uint32_t, uint32_t) { e.stop(); });
  engine.schedule_at(1, h, 1);
  engine.schedule_at(2, stopper);
  engine.schedule_at(3, h, 3);
  EXPECT_FALSE(engine.run_until(10));
  EXPECT_EQ(engine.now(), 2.0);
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{1}));
  EXPECT_TRUE(engine.run_until(10));  // resumes where it stopped
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{1, 3}));
}

TEST(Engine, SchedulingInThePastThrows) {
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  engine.run_until(100);
  EXPECT_THROW(engine.schedule_at(99.9, h), std::logic_error);
  EXPECT_THROW(engine.schedule_in(-1, h), std::logic_error);
  EXPECT_THROW(engine.schedule_at(std::numeric_limits<double>::quiet_NaN(), h), std::logic_error);
  EXPECT_THROW(engine.schedule_at(std::numeric_limits<double>::infinity(), h), std::logic_error);
  EXPECT_NO_THROW(engine.schedule_at(100, h));  // "now" is not the past
  EXPECT_EQ(engine.pending(), 1u);
}

TEST(Engine, SchedulingAnUnregisteredHandlerThrows) {
  Engine engine;
  EXPECT_THROW(engine.schedule_at(1, HandlerId{}), std::logic_error);
  EXPECT_THROW(engine.schedule_at(1, HandlerId{3}), std::logic_error);
}

TEST(Engine, RunUntilFromInsideAHandlerThrows) {
  Engine engine;
  bool threw = false;
  const HandlerId h = engine.add_handler([&](Engine& e, uint32_t, uint32_t) {
    try {
      e.run_until(50);
    } catch (const std::logic_error&) {
      threw = true;
    }
  });
  engine.schedule_at(1, h);
  engine.run_until(10);
  EXPECT_TRUE(threw);
  EXPECT_EQ(engine.now(), 10.0);
}

TEST(Engine, AHandlerThatThrowsLeavesTheQueueConsistent) {
  Engine engine;
  Log log;
  const HandlerId ok = log.attach(engine);
  const HandlerId bad =
      engine.add_handler([](Engine&, uint32_t, uint32_t) { throw std::runtime_error("boom"); });
  engine.schedule_at(1, bad);
  engine.schedule_at(2, ok, 2);
  EXPECT_THROW(engine.run_until(10), std::runtime_error);
  EXPECT_EQ(engine.pending(), 1u);
  engine.run_until(10);
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{2}));
}

TEST(Engine, TwoEnginesInOneProcessAreIndependent) {
  Engine a, b;
  Log log_a, log_b;
  const HandlerId ha = log_a.attach(a);
  const HandlerId hb = log_b.attach(b);
  const EventId a1 = a.schedule_at(1, ha, 1);
  b.schedule_at(1, hb, 1);
  b.schedule_at(3, hb, 3);
  a.cancel(a1);
  a.run_until(5);
  EXPECT_EQ(b.now(), 0.0);
  EXPECT_EQ(b.pending(), 2u);
  b.run_until(2);
  EXPECT_TRUE(log_a.fired.empty());
  EXPECT_EQ(log_b.subjects(), (std::vector<uint32_t>{1}));
  EXPECT_EQ(a.now(), 5.0);
  EXPECT_EQ(b.now(), 2.0);
}

TEST(Engine, ManyCancellationsAmongManyEventsKeepCountsExact) {
  // Property, fixed pattern: cancel every third of 30000 interleaved events, some of them from
  // handlers; exactly the others run, in order.
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  std::vector<EventId> ids;
  for (uint32_t i = 0; i < 30000; ++i) ids.push_back(engine.schedule_at((i * 7919) % 1000, h, i));
  uint64_t cancelled = 0;
  for (uint32_t i = 0; i < ids.size(); i += 3, ++cancelled) engine.cancel(ids[i]);
  EXPECT_EQ(engine.pending(), ids.size() - cancelled);
  engine.run_until(1000);
  EXPECT_EQ(engine.events_processed(), ids.size() - cancelled);
  for (const auto& f : log.fired) EXPECT_NE(f.second % 3, 0u);
  for (size_t i = 1; i < log.fired.size(); ++i)
    ASSERT_LE(log.fired[i - 1].first, log.fired[i].first);
}

TEST(Engine, SchedulingBetweenTheHorizonAndTheNextEventAfterRunUntilRunsItFirst) {
  // run_until(horizon) looks at the next event without passing the horizon, so the gap between
  // the horizon and the next pending event stays open for scheduling.
  Engine engine;
  Log log;
  const HandlerId h = log.attach(engine);
  engine.schedule_at(1, h, 1);
  engine.schedule_at(100, h, 100);
  engine.run_until(5);
  engine.schedule_at(6, h, 6);
  engine.schedule_at(5, h, 5);  // now() itself
  engine.run_until(200);
  EXPECT_EQ(log.subjects(), (std::vector<uint32_t>{1, 5, 6, 100}));
}

TEST(Engine, PendingInsideAHandlerCountsOnlyWhatIsStillToRun) {
  Engine engine;
  std::vector<size_t> seen;
  HandlerId h;
  h = engine.add_handler([&](Engine& e, uint32_t subject, uint32_t) {
    seen.push_back(e.pending());
    if (subject == 0) e.schedule_in(1, h, 1);
  });
  engine.schedule_at(1, h, 0);
  engine.schedule_at(3, h, 2);
  engine.run_until(10);
  EXPECT_EQ(seen, (std::vector<size_t>{1, 1, 0}));
}

TEST(Engine, AMovedEngineKeepsItsEvents) {
  Engine a;
  Log log;
  const HandlerId h = log.attach(a);
  for (uint32_t i = 0; i < 300; ++i) a.schedule_at(i % 3, h, i);
  const EventId doomed = a.schedule_at(1, h, 999);
  Engine b = std::move(a);
  b.cancel(doomed);
  EXPECT_EQ(b.pending(), 300u);
  b.run_until(10);
  ASSERT_EQ(log.fired.size(), 300u);
  EXPECT_EQ(log.fired[0].second, 0u);
  EXPECT_EQ(log.fired[100].second, 1u);  // time 1 in scheduling order: 1, 4, 7, ...
  EXPECT_EQ(log.fired[299].second, 299u);
}

TEST(Engine, HandlersReschedulingAndCancellingMatchAReferenceOrder) {
  // Property, fixed LCG, the simulator's pattern: each firing reschedules its subject (delays
  // from 0 to a year, many ties) and sometimes cancels another subject's pending event and
  // reschedules it. The order must be a sort by (time, scheduling order) of what was not cancelled.
  Engine engine;
  constexpr uint32_t kSubjects = 2000;
  std::vector<EventId> pending(kSubjects);
  std::vector<std::pair<double, uint64_t>> fired;  // (time, scheduling number)
  std::vector<uint64_t> number(kSubjects);
  uint64_t scheduled = 0, cancelled = 0, x = 99;
  auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  };
  HandlerId h;
  auto arm = [&](Engine& e, uint32_t s) {
    const uint64_t r = next();
    const double delay = r % 5 == 0 ? 0.0 : static_cast<double>(r % 86400) * (r % 3 == 0 ? 365 : 1);
    pending[s] = e.schedule_in(delay, h, s);
    number[s] = scheduled++;
  };
  h = engine.add_handler([&](Engine& e, uint32_t s, uint32_t) {
    fired.emplace_back(e.now(), number[s]);
    if (fired.size() < 60000) arm(e, s);
    const uint32_t other = static_cast<uint32_t>(next() % kSubjects);
    if (other != s && next() % 4 == 0 && !pending[other].empty() && pending[other].time() > e.now()) {
      e.cancel(pending[other]);
      e.cancel(pending[other]);  // twice is harmless
      ++cancelled;
      arm(e, other);
    }
  });
  for (uint32_t s = 0; s < kSubjects; ++s) arm(engine, s);
  engine.run_until(1e12);
  ASSERT_GE(fired.size(), 60000u);
  for (size_t i = 1; i < fired.size(); ++i) ASSERT_LT(fired[i - 1], fired[i]) << "at " << i;
  EXPECT_EQ(engine.pending(), 0u);
  EXPECT_EQ(engine.events_processed(), fired.size());
  EXPECT_EQ(fired.size(), scheduled - cancelled);
  EXPECT_GT(cancelled, 1000u);
}

}  // namespace
