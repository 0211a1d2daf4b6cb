// LineageList's operations of seed 000 Table 1 and §4 without failures, and lazy evaluation
// (§3.2.3): nothing runs before a terminal operation, and a filter sees the state at evaluation.
#include <gtest/gtest.h>

#include "sim/lineage/lineage_list.hpp"

namespace rejuv::sim::lineage {
namespace {

std::vector<int> range(int n) {
  std::vector<int> v(size_t(n), 0);
  for (int i = 0; i < n; ++i) v[size_t(i)] = i;
  return v;
}

TEST(LineageList, Table1OperationsGiveScalasResults) {
  Lineage lin;
  auto xs = lin.of(range(10));
  EXPECT_EQ(xs.filter([](int x) { return x % 2 == 0; }).eval(), (std::vector<int>{0, 2, 4, 6, 8}));
  EXPECT_EQ(xs.map([](int x) { return x * 10; }).take(3).eval(), (std::vector<int>{0, 10, 20}));
  EXPECT_EQ(xs.sort_by([](int x) { return -x; }).take(3).eval(), (std::vector<int>{9, 8, 7}));
  EXPECT_EQ(xs.take(3).eval(), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(xs.reduce_left([](int a, int b) { return a + b; }), 45);
  EXPECT_TRUE(xs.exists([](int x) { return x == 7; }));
  EXPECT_FALSE(xs.exists([](int x) { return x > 9; }));
  EXPECT_EQ(xs.count([](int x) { return x > 5; }), 4u);
  int sum = 0;
  xs.foreach ([&](int x) { sum += x; });
  EXPECT_EQ(sum, 45);
  EXPECT_THROW(lin.of(std::vector<int>{}).reduce_left([](int a, int b) { return a + b; }),
               std::out_of_range);
  EXPECT_EQ(xs.fold_left(std::string(),
                         [](const std::string& a, int x) { return a + std::to_string(x); }),
            "0123456789");
}

TEST(LineageList, Table2ExtractionFunctionsGiveScalasResultsWithoutFailures) {
  Lineage lin;
  auto xs = lin.of(range(10));
  EXPECT_EQ(xs.drop(7).eval(), (std::vector<int>{7, 8, 9}));
  EXPECT_EQ(xs.take_right(2).eval(), (std::vector<int>{8, 9}));
  EXPECT_EQ(xs.drop_right(8).eval(), (std::vector<int>{0, 1}));
  EXPECT_EQ(xs.take_while([](int x) { return x < 3; }).eval(), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(xs.drop_while([](int x) { return x < 8; }).eval(), (std::vector<int>{8, 9}));
  // accumulateWhile: the predicate sees the prefix taken so far and the next element (§3.2.2).
  auto sum_below_10 = [](const std::vector<int>& prefix, int next) {
    int s = next;
    for (int p : prefix) s += p;
    return s < 10;
  };
  EXPECT_EQ(xs.accumulate_while(sum_below_10).eval(), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(xs.take(100).eval().size(), 10u);
  EXPECT_TRUE(xs.drop(100).eval().empty());
}

TEST(LineageList, BeyondThePaperOperations) {
  Lineage lin;
  auto xs = lin.of(range(6));
  auto [even, odd] = xs.partition([](int x) { return x % 2 == 0; });
  EXPECT_EQ(even.eval(), (std::vector<int>{0, 2, 4}));
  EXPECT_EQ(odd.eval(), (std::vector<int>{1, 3, 5}));
  auto [left, right] = xs.split_at(4);
  EXPECT_EQ(left.eval(), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(right.eval(), (std::vector<int>{4, 5}));
  auto pairs = xs.zip(lin.of(std::vector<std::string>{"a", "b", "c"})).eval();
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[2], (std::pair<int, std::string>{2, "c"}));
  EXPECT_EQ(xs.flat_map([](int x) { return std::vector<int>(size_t(x % 3), x); }).eval(),
            (std::vector<int>{1, 2, 2, 4, 5, 5}));
  EXPECT_EQ(xs.take_by_score(2, [](int x) { return double((x * 7) % 6); }).eval(),
            (std::vector<int>{4, 5}));
  const auto r1 = xs.take_by_random(3, Rng(11)).eval();
  const auto r2 = xs.take_by_random(3, Rng(11)).eval();
  EXPECT_EQ(r1, r2);  // the same stream draws the same elements
  EXPECT_EQ(r1.size(), 3u);
  EXPECT_TRUE(std::is_sorted(r1.begin(), r1.end()));  // in list order
  EXPECT_EQ(xs.reverse().take(2).eval(), (std::vector<int>{5, 4}));
}

TEST(LazyEvaluation, NothingRunsBeforeTheTerminalOperation) {
  Lineage lin;
  int predicate_calls = 0, source_calls = 0, map_calls = 0;
  auto chain = lin.from<int>([&] {
                    ++source_calls;
                    return range(10);
                  })
                   .filter([&](int x) {
                     ++predicate_calls;
                     return x > 2;
                   })
                   .take(3)
                   .map([&](int x) {
                     ++map_calls;
                     return x;
                   });
  EXPECT_EQ(source_calls + predicate_calls + map_calls, 0);
  EXPECT_FALSE(chain.evaluated());
  EXPECT_EQ(chain.eval(), (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(source_calls, 1);
  EXPECT_EQ(predicate_calls, 10);
  EXPECT_EQ(map_calls, 3);
}

TEST(LazyEvaluation, AFilterSeesTheStateAtEvaluationNotWhenTheChainWasWritten) {
  Lineage lin;
  std::vector<double> cpu_ratio = {0.9, 0.9, 0.9, 0.9};
  auto idle = lin.from<int>([&] { return range(4); }).filter([&](int h) {
    return cpu_ratio[size_t(h)] < 0.3;
  });
  cpu_ratio[2] = 0.1;  // changes after the chain was written, before it runs
  EXPECT_EQ(idle.eval(), (std::vector<int>{2}));
}

}  // namespace
}  // namespace rejuv::sim::lineage
