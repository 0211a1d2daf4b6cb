#include "sim/worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace rejuv::sim {

void run_parallel(const std::vector<size_t>& todo, unsigned workers, const std::function<void(size_t)>& work,
                  const std::function<void(size_t)>& done) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::exception_ptr error;
  auto loop = [&] {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= todo.size()) return;
      try {
        work(todo[i]);
        std::lock_guard lock(mu);
        if (!error && done) done(todo[i]);
      } catch (...) {
        std::lock_guard lock(mu);
        if (!error) error = std::current_exception();
        next = todo.size();  // hand out nothing more
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  const unsigned n = std::max(1u, std::min<unsigned>(workers, unsigned(std::max<size_t>(todo.size(), 1))));
  for (unsigned w = 0; w < n; ++w) threads.emplace_back(loop);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace rejuv::sim
