#include "sim/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <utility>
#include <vector>

namespace {

using rejuv::sim::EventQueue;

constexpr double kInf = std::numeric_limits<double>::infinity();

EventQueue::Event ev(double time, uint64_t key) { return EventQueue::Event{time, key, 0, 0}; }

// Takes everything out; returns the keys in the order they came.
std::vector<uint64_t> drain(EventQueue& q, double limit = kInf) {
  std::vector<uint64_t> keys;
  while (q.front_within(limit)) {
    keys.push_back(q.front().key);
    q.pop_front();
  }
  return keys;
}

TEST(EventQueue, PopsInTimeOrderAndTiesInPushOrder) {
  EventQueue q;
  const std::vector<double> times{5, 1, 4, 1, 3, 0, 2, 4, 1e9, 1e-300, 0};
  for (uint64_t i = 0; i < times.size(); ++i) q.push(ev(times[i], i));
  EXPECT_EQ(q.size(), times.size());
  EXPECT_EQ(drain(q), (std::vector<uint64_t>{5, 10, 9, 1, 3, 6, 4, 2, 7, 0, 8}));
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, InterleavedPushesAndPopsMatchAStableSortByTime) {
  // Property, fixed LCG: a monotone workload (every push at or after the last time taken out,
  // many ties, a span over many binary orders) comes out as a stable sort by time, through
  // thousands of bucket refills and chunk boundaries.
  EventQueue q;
  std::multimap<double, uint64_t> reference;  // equal keys keep insertion order
  uint64_t x = 2024, key = 0;
  double now = 0;
  std::vector<uint64_t> got, want;
  for (int round = 0; round < 40000; ++round) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const int pushes = static_cast<int>(x >> 62);  // 0..3: the queue grows and shrinks
    for (int k = 0; k < pushes; ++k) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      const double delay = (x >> 60) < 4 ? 0.0 : static_cast<double>(x >> 44) / 64.0;
      q.push(ev(now + delay, key));
      reference.emplace(now + delay, key);
      ++key;
    }
    if (q.front_within(kInf)) {
      now = q.front().time;
      got.push_back(q.front().key);
      q.pop_front();
      want.push_back(reference.begin()->second);
      reference.erase(reference.begin());
    }
  }
  const auto rest = drain(q);
  got.insert(got.end(), rest.begin(), rest.end());
  for (const auto& r : reference) want.push_back(r.second);
  EXPECT_EQ(got, want);
  EXPECT_GT(key, 50000u);
}

TEST(EventQueue, FrontWithinNeverMovesPastTheLimit) {
  // The engine's run_until(horizon) asks for events up to the horizon; afterwards an event may
  // be scheduled between the horizon and the next pending one, and must come out first.
  EventQueue q;
  q.push(ev(10, 1));
  q.push(ev(100, 2));
  EXPECT_EQ(drain(q, 50), (std::vector<uint64_t>{1}));
  EXPECT_FALSE(q.front_within(50));
  EXPECT_EQ(q.size(), 1u);
  q.push(ev(60, 3));
  q.push(ev(50, 4));
  EXPECT_EQ(drain(q), (std::vector<uint64_t>{4, 3, 2}));
}

TEST(EventQueue, ManyTiesAcrossChunksStayInPushOrder) {
  // 1000 events at one time fill several 170-event chunks; ties pushed while they are being
  // taken out go behind them.
  EventQueue q;
  for (uint64_t i = 0; i < 1000; ++i) q.push(ev(7, i));
  std::vector<uint64_t> got;
  uint64_t next = 1000;
  while (q.front_within(kInf)) {
    got.push_back(q.front().key);
    q.pop_front();
    if (next < 1500) q.push(ev(7, next++));
  }
  ASSERT_EQ(got.size(), 1500u);
  for (uint64_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], i);
}

TEST(EventQueue, MemoryIsTheEventsPlusOnePartChunkPerBucket) {
  // 10,000 pending events cycled a million times: chunks are returned and reused, so the memory
  // touched stays at the pending events' chunks plus at most one partial chunk per bucket in use
  // (fewer than 64 for a span of 3,700 s; 16 more for the first slab's rounding), however long
  // the run.
  EventQueue q;
  constexpr uint64_t kPending = 10000;
  for (uint64_t i = 0; i < kPending; ++i) q.push(ev(3600.0 + static_cast<double>(i % 100), i));
  for (int i = 0; i < 1000000; ++i) {
    ASSERT_TRUE(q.front_within(kInf));
    const EventQueue::Event e = q.front();
    q.pop_front();
    q.push(ev(e.time + 60.0 + static_cast<double>(e.key % 3600), e.key));
  }
  EXPECT_EQ(q.size(), kPending);
  const size_t chunk_events = (4096 - 16) / 24;
  const size_t bound = ((kPending + chunk_events - 1) / chunk_events + 64 + 16) * 4096;
  EXPECT_LE(q.bytes(), bound + 256 * 32);  // the bucket table
  EXPECT_GE(q.bytes(), kPending * 24);
}

TEST(EventQueue, ReserveKeepsOrderAndAvoidsGrowingWhilePushing) {
  EventQueue q;
  q.push(ev(1, 0));
  q.reserve(5000);
  const size_t before = q.bytes();
  for (uint64_t i = 1; i <= 5000; ++i) q.push(ev(static_cast<double>(5000 - i), i));
  EXPECT_GT(q.bytes(), before);  // chunks are touched as they are used, not on reserve
  const auto keys = drain(q);
  ASSERT_EQ(keys.size(), 5001u);
  EXPECT_EQ(keys.front(), 5000u);  // time 0
  EXPECT_EQ(keys[1], 0u);          // time 1: pushed first
  EXPECT_EQ(keys[2], 4999u);       // time 1 as well
  EXPECT_EQ(keys.back(), 1u);      // time 4999
}

TEST(EventQueue, MovingTakesTheEventsAndLeavesTheSourceEmpty) {
  EventQueue a;
  for (uint64_t i = 0; i < 500; ++i) a.push(ev(static_cast<double>(i % 7), i));
  EventQueue b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_FALSE(a.front_within(kInf));
  a.push(ev(1, 9999));  // still usable
  EXPECT_EQ(drain(a), (std::vector<uint64_t>{9999}));
  const auto keys = drain(b);
  ASSERT_EQ(keys.size(), 500u);
  EXPECT_EQ(keys[0], 0u);
  EXPECT_EQ(keys[1], 7u);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end(),
                             [](uint64_t l, uint64_t r) { return l % 7 < r % 7; }));
}

}  // namespace
