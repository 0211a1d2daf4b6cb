// Micro-benchmarks of the engine's operations at 10^3..10^6 pending events (Google Benchmark), so
// that a regression in one operation shows as a number: `make bench`, then
//   build-bench/bench/engine_micro [--benchmark_filter=Pop]
// Never part of the tests. Every benchmark keeps the pending count at N: the N events are spread
// over the next 3,700 s (the reference workload's span), and each batch of kBatch operations is
// undone outside the timed region.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <vector>

#include "sim/engine.hpp"

namespace {

using rejuv::sim::Engine;
using rejuv::sim::EventId;
using rejuv::sim::HandlerId;

constexpr int kBatch = 1024;

// Fixed delays in [0, 3700) s, whole and fractional seconds, from an LCG: the same every run.
const std::array<double, 4096>& delays() {
  static const auto table = [] {
    std::array<double, 4096> d{};
    uint64_t x = 7;
    for (double& v : d) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      v = static_cast<double>((x >> 40) % 3700000) / 1000.0;
    }
    return d;
  }();
  return table;
}

struct Fixture {
  Engine engine;
  HandlerId nothing, hold;
  size_t next = 0;
  double delay() { return delays()[next++ & 4095]; }
  explicit Fixture(int64_t pending) {
    nothing = engine.add_handler([](Engine&, void*, uint32_t, uint32_t) {});
    hold = engine.add_handler(
        [](Engine& e, void* self, uint32_t subject, uint32_t) {
          auto* f = static_cast<Fixture*>(self);
          e.schedule_in(f->delay(), f->hold, subject);
        },
        this);
    engine.reserve(static_cast<size_t>(pending) + 2 * kBatch);
    for (int64_t i = 0; i < pending; ++i) engine.schedule_in(delay(), nothing);
  }
};

// One event taken out and one scheduled, as in a simulation at a steady state (the classic "hold"
// model): the events are the handler's own reschedules.
void BM_Hold(benchmark::State& state) {
  Fixture f(0);
  for (int64_t i = 0; i < state.range(0); ++i) f.engine.schedule_in(f.delay(), f.hold);
  for (auto _ : state) f.engine.step();
  state.SetItemsProcessed(state.iterations());
}

// schedule_in at now + [0, 3700) s.
void BM_Schedule(benchmark::State& state) {
  Fixture f(state.range(0));
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) f.engine.schedule_in(f.delay(), f.nothing);
    state.PauseTiming();
    for (int i = 0; i < kBatch; ++i) f.engine.step();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// Taking out the next event and calling its (empty) handler.
void BM_Pop(benchmark::State& state) {
  Fixture f(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < kBatch; ++i) f.engine.schedule_in(f.delay(), f.nothing);
    state.ResumeTiming();
    for (int i = 0; i < kBatch; ++i) f.engine.step();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// cancel() of pending events; the cancelled events are skipped later, outside the timed region.
void BM_Cancel(benchmark::State& state) {
  Fixture f(state.range(0));
  std::vector<EventId> ids(kBatch);
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < kBatch; ++i) ids[size_t(i)] = f.engine.schedule_in(f.delay(), f.nothing);
    state.ResumeTiming();
    for (const EventId& id : ids) f.engine.cancel(id);
    state.PauseTiming();
    for (int i = 0; i < kBatch; ++i) {
      f.engine.schedule_in(f.delay(), f.nothing);
      f.engine.step();  // keeps the live count at N; also skips cancelled events that come up
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// What a cancellation costs in all: cancel() plus skipping the event when it comes out.
void BM_CancelAndSkip(benchmark::State& state) {
  Fixture f(state.range(0));
  std::vector<EventId> ids(kBatch);
  for (auto _ : state) {
    state.PauseTiming();
    // Due before every pending event, so the run below takes out exactly these.
    for (int i = 0; i < kBatch; ++i) ids[size_t(i)] = f.engine.schedule_in(0, f.nothing);
    const double now = f.engine.now();
    state.ResumeTiming();
    for (const EventId& id : ids) f.engine.cancel(id);
    f.engine.run_until(now);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

#define AT_EACH_SIZE ->RangeMultiplier(10)->Range(1000, 1000000)
BENCHMARK(BM_Hold) AT_EACH_SIZE;
BENCHMARK(BM_Schedule) AT_EACH_SIZE;
BENCHMARK(BM_Pop) AT_EACH_SIZE;
BENCHMARK(BM_Cancel) AT_EACH_SIZE;
BENCHMARK(BM_CancelAndSkip) AT_EACH_SIZE;

}  // namespace

BENCHMARK_MAIN();
