// The worker pool (sim/worker_pool.hpp) that runs `rejuv run`'s runs and `rejuv sweep`'s points.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>

#include "sim/worker_pool.hpp"

namespace rejuv::sim {
namespace {

TEST(WorkerPool, RunsEveryJobOnceAndReportsEachDoneOneAtATime) {
  std::vector<size_t> todo{4, 8, 15, 16, 23, 42};
  std::vector<std::atomic<int>> runs(43);
  std::multiset<size_t> done;
  int inside = 0, most_inside = 0;
  run_parallel(todo, 4, [&](size_t k) { ++runs[k]; },
               [&](size_t k) {
                 most_inside = std::max(most_inside, ++inside);  // done() is serialised: never two at once
                 done.insert(k);
                 --inside;
               });
  for (size_t k : todo) EXPECT_EQ(runs[k], 1) << k;
  EXPECT_EQ(done, std::multiset<size_t>(todo.begin(), todo.end()));
  EXPECT_EQ(most_inside, 1);
}

TEST(WorkerPool, TheFirstExceptionStopsHandingOutWorkAndIsRethrown) {
  std::vector<size_t> todo(1000);
  for (size_t k = 0; k < todo.size(); ++k) todo[k] = k;
  std::atomic<size_t> ran{0};
  EXPECT_THROW(run_parallel(
                   todo, 2,
                   [&](size_t k) {
                     ++ran;
                     if (k == 3) throw std::runtime_error("point 3 failed");
                   },
                   {}),
               std::runtime_error);
  EXPECT_LT(ran.load(), todo.size());
}

TEST(WorkerPool, NoJobsIsNothingToDo) {
  int calls = 0;
  run_parallel({}, 4, [&](size_t) { ++calls; }, {});
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace rejuv::sim
