#include "sim/cluster/pending_ends.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace {

using rejuv::sim::PendingEnds;

std::vector<uint32_t> units_until(PendingEnds& ends, uint32_t group, double t) {
  std::vector<uint32_t> out;
  while (ends.due(group, t)) out.push_back(ends.pop(group).unit);
  return out;
}

TEST(PendingEnds, ComeOutInTimeOrderAndTiesInTheOrderAdded) {
  PendingEnds ends(3);
  ends.add(1, 50, 10, PendingEnds::kVmUp);
  ends.add(1, 20, 11, PendingEnds::kContentionEnd);
  ends.add(1, 50, 12, PendingEnds::kContentionEnd);
  ends.add(1, 20, 13, PendingEnds::kVmUp);
  ends.add(2, 5, 20, PendingEnds::kVmUp);  // another group's list is its own
  EXPECT_FALSE(ends.due(1, 19.9));
  EXPECT_EQ(units_until(ends, 1, 20), (std::vector<uint32_t>{11, 13}));
  EXPECT_FALSE(ends.due(1, 49));
  const PendingEnds::End e = ends.pop(1);
  EXPECT_EQ(e.time, 50);
  EXPECT_EQ(e.unit, 10u);
  EXPECT_EQ(e.kind, PendingEnds::kVmUp);
  EXPECT_EQ(ends.pop(1).kind, PendingEnds::kContentionEnd);
  EXPECT_FALSE(ends.due(1, std::numeric_limits<double>::infinity()));
  EXPECT_EQ(units_until(ends, 2, 100), (std::vector<uint32_t>{20}));
  EXPECT_FALSE(ends.due(0, 1e300));
}

TEST(PendingEnds, ClearDropsAGroupsEndsAndNodesAreReused) {
  // A group whose VMs are lost drops its ends; the pool does not grow with the number of ends
  // ever added, only with the most pending at once.
  PendingEnds ends(2);
  for (int round = 0; round < 1000; ++round) {
    for (uint32_t u = 0; u < 8; ++u) ends.add(round % 2, round + u * 0.5, u, PendingEnds::kVmUp);
    if (round % 3 == 0) {
      ends.clear(round % 2);
    } else {
      EXPECT_EQ(units_until(ends, round % 2, round + 10).size(), 8u);
    }
    EXPECT_FALSE(ends.due(round % 2, 1e300));
  }
  EXPECT_LE(ends.bytes(), 2 * sizeof(uint32_t) + 16 * 16);
}

}  // namespace
