// The queues considered for the engine, each bare (no handler dispatch, no cancellation) on the
// reference workload of bench/workload.hpp, so the choice in sim/event_queue.hpp can be checked:
//
//   radix      sim/event_queue.hpp: radix heap over the bits of the times (the engine's queue)
//   heap4      the engine's previous queue: 4-ary heap ordered by (time, sequence), prefetching
//   calendar   calendar queue (R. Brown, CACM 31(10), 1988) with resizing, FIFO ties
//   binary     std::priority_queue of {time, host, state}: the baseline of bench/compare
//
// Usage: queue_candidates [--hosts N]... (default 10^3 10^4 10^5 10^6); one line per queue and N.
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <queue>
#include <vector>

#include "bench/workload.hpp"
#include "sim/event_queue.hpp"

namespace {

using rejuv::bench::kReboot;
using rejuv::bench::seconds_since;
using rejuv::bench::up_time;

// Every queue stores the same 24-byte event: time, FIFO sequence, host, state (1 = going down).
struct Ev {
  double time;
  uint64_t seq;
  uint32_t host;
  uint32_t going_down;
};

unsigned __int128 order(const Ev& e) {
  return static_cast<unsigned __int128>(std::bit_cast<uint64_t>(e.time)) << 64 | e.seq;
}
bool before(const Ev& a, const Ev& b) { return order(a) < order(b); }

Ev next_of(const Ev& ev, uint64_t seq) {
  return {ev.time + (ev.going_down ? kReboot : up_time(ev.host)), seq, ev.host, !ev.going_down};
}

// --- the engine's previous queue --------------------------------------------------------------
class Heap4 {
 public:
  bool empty() const { return h_.empty(); }
  const Ev& top() const { return h_[0]; }
  void push(const Ev& ev) {
    size_t hole = h_.size();
    h_.push_back(ev);
    while (hole > 0) {
      const size_t parent = (hole - 1) / 4;
      if (!before(ev, h_[parent])) break;
      h_[hole] = h_[parent];
      hole = parent;
    }
    h_[hole] = ev;
  }
  // Pop and push in one sift-down, as the engine did when a handler rescheduled.
  void replace_top(const Ev& ev) { sift_down(0, ev); }

 private:
  void sift_down(size_t hole, const Ev& ev) {
    Ev* h = h_.data();
    const size_t n = h_.size();
    const bool prefetch = n > (size_t{1} << 16);
    for (;;) {
      const size_t first = 4 * hole + 1;
      if (first >= n) break;
      if (prefetch && 4 * first + 1 < n) {
        const char* g = reinterpret_cast<const char*>(h + 4 * first + 1);
        for (size_t b = 0; b < 16 * sizeof(Ev); b += 64) __builtin_prefetch(g + b);
      }
      size_t best = first;
      const size_t end = std::min(first + 4, n);
      for (size_t c = first + 1; c < end; ++c) best = before(h[c], h[best]) ? c : best;
      if (!before(h[best], ev)) break;
      h[hole] = h[best];
      hole = best;
    }
    h[hole] = ev;
  }
  std::vector<Ev> h_;
};

// --- calendar queue ---------------------------------------------------------------------------
// Buckets of width w cover one "year" of nb·w; each bucket is kept sorted, earliest first, and read
// from a moving head, so an event later than all of its bucket (the common case, and every tie:
// the times are whole seconds, so at 10^6 hosts ~270 share each second) is appended. Resized (nb
// doubled or halved, w re-estimated) when the size crosses 2·nb or nb/2, as Brown describes, and
// once after the first fill. Brown estimates w from the separation of the earliest events; here
// those are ties (ten hosts share each second at 10^3), which makes the year far shorter than the
// pending span, so w is three times the mean separation over the whole queue instead.
class Calendar {
 public:
  explicit Calendar(size_t expected) { rebuild(std::bit_ceil(std::max<size_t>(expected / 2, 2)), 1.0); }
  void retune() { resize(buckets_.size()); }
  void push(const Ev& ev) {
    insert(ev);
    if (++size_ > 2 * buckets_.size()) resize(buckets_.size() * 2);
  }
  Ev pop() {
    for (;;) {
      for (size_t k = 0; k < buckets_.size(); ++k) {
        Bucket& b = buckets_[current_];
        if (b.head < b.v.size() && b.v[b.head].time < top_) {
          const Ev ev = b.v[b.head++];
          if (b.head == b.v.size()) {
            b.v.clear();
            b.head = 0;
          }
          --size_;
          if (buckets_.size() > 2 && size_ < buckets_.size() / 2) resize(buckets_.size() / 2);
          return ev;
        }
        current_ = (current_ + 1) & (buckets_.size() - 1);
        top_ += width_;
      }
      // A whole year without an event: jump to the least one directly.
      const Ev* least = nullptr;
      for (const Bucket& b : buckets_)
        if (b.head < b.v.size() && (least == nullptr || before(b.v[b.head], *least))) least = &b.v[b.head];
      seek(least->time);
    }
  }

 private:
  struct Bucket {
    std::vector<Ev> v;
    size_t head = 0;
  };
  size_t index(double t) const { return static_cast<size_t>(t / width_) & (buckets_.size() - 1); }
  void seek(double t) {
    current_ = index(t);
    top_ = (std::floor(t / width_) + 1) * width_;
  }
  void insert(const Ev& ev) {
    Bucket& b = buckets_[index(ev.time)];
    if (b.v.size() == b.head || !before(ev, b.v.back())) {
      b.v.push_back(ev);
    } else {
      b.v.insert(std::upper_bound(b.v.begin() + static_cast<long>(b.head), b.v.end(), ev, before), ev);
    }
    if (ev.time < top_ - width_) seek(ev.time);  // earlier than the current bucket's window
  }
  void resize(size_t nb) {
    std::vector<Ev> all;
    all.reserve(size_);
    for (Bucket& b : buckets_) all.insert(all.end(), b.v.begin() + static_cast<long>(b.head), b.v.end());
    std::sort(all.begin(), all.end(), before);  // reinserted in order: every insert appends
    double width = width_;
    if (all.size() >= 2 && all.back().time > all.front().time)
      width = 3.0 * (all.back().time - all.front().time) / static_cast<double>(all.size() - 1);
    rebuild(nb, width);
    for (const Ev& ev : all) buckets_[index(ev.time)].v.push_back(ev);
    if (!all.empty()) seek(all.front().time);
  }
  void rebuild(size_t nb, double width) {
    buckets_.assign(nb, {});
    width_ = width;
    current_ = 0;
    top_ = width;
  }
  std::vector<Bucket> buckets_;
  double width_ = 1, top_ = 1;
  size_t current_ = 0, size_ = 0;
};

struct Run {
  uint64_t events;
  double seconds;
};

Run run_radix(uint32_t hosts, double horizon) {
  const auto start = std::chrono::steady_clock::now();
  rejuv::sim::EventQueue q;
  uint64_t seq = 0, events = 0;
  for (uint32_t h = 0; h < hosts; ++h) q.push({up_time(h), seq++, h, 1});
  while (q.front_within(horizon)) {
    const auto e = q.front();
    q.pop_front();
    ++events;
    const Ev n = next_of({e.time, e.key, e.subject, e.tag}, seq++);
    q.push({n.time, n.seq, n.host, n.going_down});
  }
  return {events, seconds_since(start)};
}

Run run_heap4(uint32_t hosts, double horizon) {
  const auto start = std::chrono::steady_clock::now();
  Heap4 q;
  uint64_t seq = 0, events = 0;
  for (uint32_t h = 0; h < hosts; ++h) q.push({up_time(h), seq++, h, 1});
  while (!q.empty() && q.top().time <= horizon) {
    ++events;
    q.replace_top(next_of(q.top(), seq++));
  }
  return {events, seconds_since(start)};
}

Run run_calendar(uint32_t hosts, double horizon) {
  const auto start = std::chrono::steady_clock::now();
  Calendar q(hosts);
  uint64_t seq = 0, events = 0;
  for (uint32_t h = 0; h < hosts; ++h) q.push({up_time(h), seq++, h, 1});
  q.retune();
  for (;;) {
    const Ev ev = q.pop();
    if (ev.time > horizon) break;  // every host always has one event pending
    ++events;
    q.push(next_of(ev, seq++));
  }
  return {events, seconds_since(start)};
}

Run run_binary(uint32_t hosts, double horizon) {
  struct Bare {
    double time;
    uint32_t host;
    bool going_down;
    bool operator>(const Bare& o) const { return time > o.time; }
  };
  const auto start = std::chrono::steady_clock::now();
  std::priority_queue<Bare, std::vector<Bare>, std::greater<Bare>> q;
  for (uint32_t h = 0; h < hosts; ++h) q.push({up_time(h), h, true});
  uint64_t events = 0;
  while (!q.empty() && q.top().time <= horizon) {
    const Bare ev = q.top();
    q.pop();
    ++events;
    q.push({ev.time + (ev.going_down ? kReboot : up_time(ev.host)), ev.host, !ev.going_down});
  }
  return {events, seconds_since(start)};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<uint32_t> sizes;
  for (int i = 1; i < argc; ++i) {
    uint32_t n = 0;
    if (!rejuv::bench::parse_hosts(argc, argv, i, n, "queue_candidates")) {
      std::fprintf(stderr, "usage: queue_candidates [--hosts N]...\n");
      return 2;
    }
    sizes.push_back(n);
  }
  if (sizes.empty()) sizes = {1000, 10000, 100000, 1000000};
  std::printf("%-9s %9s %11s %8s %10s %9s\n", "queue", "pending", "events", "wall_s", "events/s",
              "vs_binary");
  int status = 0;
  for (const uint32_t n : sizes) {
    const double horizon = rejuv::bench::horizon_for(n);
    const Run binary = run_binary(n, horizon);
    const struct {
      const char* name;
      Run run;
    } rows[] = {{"radix", run_radix(n, horizon)},
                {"heap4", run_heap4(n, horizon)},
                {"calendar", run_calendar(n, horizon)},
                {"binary", binary}};
    for (const auto& r : rows) {
      const double rate = static_cast<double>(r.run.events) / r.run.seconds;
      std::printf("%-9s %9u %11llu %8.3f %10.3g %9.2f\n", r.name, n,
                  static_cast<unsigned long long>(r.run.events), r.run.seconds, rate,
                  rate / (static_cast<double>(binary.events) / binary.seconds));
      if (r.run.events != binary.events) status = 1;  // not the same workload: void
    }
    std::fflush(stdout);
  }
  return status;
}
