// The reference workload of bench/workload.hpp (N hosts, each up for 3600 + (i mod 100) s and
// then rebooting for 60 s, about 17 million events at every N; 17,002,830 at N = 1000) on
// rejuvkit's engine, then on a bare std::priority_queue so the cost of the engine's features (FIFO
// ties, cancellation, handler dispatch) is visible. bench/compare runs it beside other engines.
//
// Usage: engine_workload --hosts N [--json-line [--bare-heap]]
//   --json-line  print one JSON line (bench/workload.hpp's format) for rejuvkit's engine only and
//                skip the bare heap, so the process's peak RSS is the engine's (bench/compare)
//   --bare-heap  with --json-line: the bare heap only, as engine "bare-heap" (bench/compare's
//                baseline row)
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <vector>

#include "bench/workload.hpp"
#include "sim/engine.hpp"

namespace {

using rejuv::bench::kReboot;
using rejuv::bench::seconds_since;
using rejuv::bench::up_time;
using rejuv::sim::Engine;
using rejuv::sim::HandlerId;

struct Result {
  uint64_t events;
  double seconds;
  double bytes_per_pending;
};

struct Cluster {
  HandlerId went_down;
  HandlerId came_up;
};

void on_went_down(Engine& engine, void* context, uint32_t host, uint32_t) {
  engine.schedule_in(kReboot, static_cast<Cluster*>(context)->came_up, host);
}

void on_came_up(Engine& engine, void* context, uint32_t host, uint32_t) {
  engine.schedule_in(up_time(host), static_cast<Cluster*>(context)->went_down, host);
}

Result run_rejuvkit(uint32_t hosts, double horizon) {
  const auto start = std::chrono::steady_clock::now();
  Engine engine;
  Cluster cluster;
  cluster.went_down = engine.add_handler(&on_went_down, &cluster);
  cluster.came_up = engine.add_handler(&on_came_up, &cluster);
  for (uint32_t h = 0; h < hosts; ++h) engine.schedule_at(up_time(h), cluster.went_down, h);
  engine.run_until(horizon);
  return {engine.events_processed(), seconds_since(start),
          static_cast<double>(engine.queue_bytes()) / static_cast<double>(engine.pending())};
}

// The baseline: a bare binary heap of {time, host, state}, no ties order, no cancellation.
Result run_bare_heap(uint32_t hosts, double horizon) {
  struct Ev {
    double time;
    uint32_t host;
    bool going_down;
    bool operator>(const Ev& o) const { return time > o.time; }
  };
  const auto start = std::chrono::steady_clock::now();
  std::priority_queue<Ev, std::vector<Ev>, std::greater<Ev>> queue;
  for (uint32_t h = 0; h < hosts; ++h) queue.push({up_time(h), h, true});
  uint64_t events = 0;
  while (!queue.empty() && queue.top().time <= horizon) {
    const Ev ev = queue.top();
    queue.pop();
    ++events;
    queue.push({ev.time + (ev.going_down ? kReboot : up_time(ev.host)), ev.host, !ev.going_down});
  }
  return {events, seconds_since(start), static_cast<double>(sizeof(Ev))};
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t hosts = 1000;
  bool json_line = false, bare_only = false;
  for (int i = 1; i < argc; ++i) {
    if (rejuv::bench::parse_hosts(argc, argv, i, hosts, "engine_workload")) continue;
    if (std::strcmp(argv[i], "--json-line") == 0) {
      json_line = true;
    } else if (std::strcmp(argv[i], "--bare-heap") == 0) {
      bare_only = true;
    } else {
      std::fprintf(stderr, "usage: engine_workload --hosts N [--json-line [--bare-heap]]\n");
      return 2;
    }
  }
  if (bare_only && !json_line) {
    std::fprintf(stderr, "engine_workload: --bare-heap goes with --json-line\n");
    return 2;
  }
  const double horizon = rejuv::bench::horizon_for(hosts);
  if (bare_only) {
    const Result bare = run_bare_heap(hosts, horizon);
    rejuv::bench::print_json_line("bare-heap", hosts, horizon, bare.events, bare.seconds);
    return 0;
  }

  const Result ours = run_rejuvkit(hosts, horizon);
  if (json_line) {
    rejuv::bench::print_json_line("rejuvkit", hosts, horizon, ours.events, ours.seconds);
    return 0;
  }
  const long rss = peak_rss_kib();
  const Result bare = run_bare_heap(hosts, horizon);

  std::printf("hosts                  %u\n", hosts);
  std::printf("horizon_s              %.0f\n", horizon);
  std::printf("events                 %llu\n", static_cast<unsigned long long>(ours.events));
  std::printf("wall_s                 %.3f\n", ours.seconds);
  std::printf("events_per_s           %.3g\n", ours.events / ours.seconds);
  std::printf("peak_rss_kib           %ld\n", rss);
  std::printf("bytes_per_pending      %.1f (event struct %zu)\n", ours.bytes_per_pending,
              Engine::kEventBytes);
  std::printf("bare_heap_events       %llu\n", static_cast<unsigned long long>(bare.events));
  std::printf("bare_heap_wall_s       %.3f\n", bare.seconds);
  std::printf("bare_heap_events_per_s %.3g\n", bare.events / bare.seconds);
  std::printf("engine_vs_bare         %.2f (events/s ratio)\n",
              (ours.events / ours.seconds) / (bare.events / bare.seconds));
  return ours.events == bare.events ? 0 : 1;
}
