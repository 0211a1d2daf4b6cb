#pragma once
// The discrete-event engine: a simulated clock and a queue of small events, nothing else.
// It knows no cluster; models register handlers once and schedule (handler, subject, tag).
//
//   Engine engine;
//   HandlerId reboot_done = engine.add_handler([&](Engine& e, uint32_t host, uint32_t) {...});
//   EventId id = engine.schedule_in(60.0, reboot_done, host);
//   engine.cancel(id);  // safe twice, after firing, or on an empty EventId
//   engine.run_until(365 * 86400.0);
//
// Events are 24-byte structs in a 4-ary heap ordered by (time, insertion sequence), so events at
// the same time run first-in first-out. Dispatch is one indirect call. There is no global state.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <unordered_set>
#include <vector>

namespace rejuv::sim {

class Engine;

// A handler is called as fn(engine, context, subject, tag); subject and tag are whatever the
// scheduler passed (typically a host index and a small code).
using HandlerFn = void (*)(Engine& engine, void* context, uint32_t subject, uint32_t tag);

struct HandlerId {
  uint16_t value = std::numeric_limits<uint16_t>::max();
  bool valid() const { return value != std::numeric_limits<uint16_t>::max(); }
  friend bool operator==(HandlerId, HandlerId) = default;
};

// Names one scheduled event of one engine. Default-constructed means "no event".
class EventId {
 public:
  EventId() = default;
  bool empty() const { return seq_ == 0; }
  double time() const { return time_; }
  friend bool operator==(const EventId&, const EventId&) = default;

 private:
  friend class Engine;
  EventId(double time, uint64_t seq) : time_(time), seq_(seq) {}
  double time_ = 0;
  uint64_t seq_ = 0;  // 0 is never issued
};

class Engine {
 public:
  Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  Engine(Engine&&) = default;
  Engine& operator=(Engine&&) = default;

  // Registers fn once; `context` is passed back on every call and must outlive the engine's use.
  HandlerId add_handler(HandlerFn fn, void* context = nullptr);
  // Registers any callable f(Engine&, uint32_t subject, uint32_t tag); the engine keeps a copy.
  template <class F>
  requires std::is_invocable_v < std::decay_t<F>
  &, Engine&, uint32_t, uint32_t > HandlerId add_handler(F&& f);

  // Throws std::logic_error for a time before now() or not finite, or an unknown handler.
  EventId schedule_at(double time, HandlerId handler, uint32_t subject = 0, uint32_t tag = 0);
  EventId schedule_in(double delay, HandlerId handler, uint32_t subject = 0, uint32_t tag = 0) {
    return schedule_at(now_ + delay, handler, subject, tag);
  }

  // O(1): a cancelled event stays in the heap and is skipped when it reaches the top. Cancelling
  // an empty id, an event that already fired, or the same event twice does nothing.
  void cancel(EventId id);

  // Processes every event with time <= horizon, in order, then sets now() = horizon. Returns
  // false if a handler called stop(); now() is then the time of that handler's event.
  bool run_until(double horizon);
  // Processes the next event, if any; returns whether there was one.
  bool step();
  // Asks run_until() to return after the current handler. Only meaningful inside a handler.
  void stop() { stop_requested_ = true; }

  double now() const { return now_; }
  // Events scheduled and neither fired nor cancelled.
  size_t pending() const { return heap_.size() - cancelled_.size() - (top_fired_ ? 1 : 0); }
  // Events whose handler ran; cancelled events are not counted.
  uint64_t events_processed() const { return processed_; }

  void reserve(size_t events) { heap_.reserve(events); }
  // Bytes the queue holds in memory (for benchmarks): heap capacity, not counting cancellations.
  size_t queue_bytes() const { return heap_.capacity() * sizeof(Event); }
  static constexpr size_t kEventBytes = 24;

 private:
  // `key` packs the insertion sequence (high 48 bits) over the handler index (low 16 bits);
  // sequences are unique, so comparing keys compares sequences.
  struct Event {
    double time;
    uint64_t key;
    uint32_t subject;
    uint32_t tag;
  };
  static_assert(sizeof(Event) == kEventBytes);
  struct Handler {
    HandlerFn fn;
    void* context;
  };
  // Measured with bench/engine_workload: 2 is fastest up to ~10^4 pending but 3x slower than 4 at
  // 10^6; 8 is slower below 10^5. 4 is the compromise.
  static constexpr size_t kArity = 4;
  static constexpr size_t kPrefetchAbove = size_t{1} << 16;  // 1.5 MB of events
  static constexpr unsigned kHandlerBits = 16;

  // (time, seq) as one 128-bit integer: the bits of a non-negative double order like the double,
  // and one wide comparison has no branch to mispredict on ties.
  static bool before(const Event& a, const Event& b) { return order(a) < order(b); }
  static unsigned __int128 order(const Event& e) {
    return static_cast<unsigned __int128>(std::bit_cast<uint64_t>(e.time)) << 64 | e.key;
  }
  void push(const Event& ev);
  void sift_down(size_t hole, const Event& ev);
  void pop_top();
  bool skip_cancelled();
  void dispatch_top();
  [[noreturn]] void throw_bad_schedule(double time, HandlerId handler) const;

  std::vector<Event> heap_;
  std::vector<Handler> handlers_;
  std::vector<std::shared_ptr<void>> owned_;  // callables registered by value
  std::unordered_set<uint64_t> cancelled_;    // sequences of cancelled, still-queued events
  double now_ = 0;
  // The last event taken off the queue; events pop in increasing (time, seq), so an event at or
  // before it has fired (or was skipped) and cancelling it must do nothing.
  double last_time_ = -1;
  uint64_t last_seq_ = 0;
  uint64_t next_seq_ = 1;
  uint64_t processed_ = 0;
  // While a handler runs, its event is still heap_[0]: the handler's first schedule replaces it
  // (one sift-down instead of a pop and a push), otherwise it is popped when the handler returns.
  bool top_fired_ = false;
  bool stop_requested_ = false;
};

template <class F>
requires std::is_invocable_v < std::decay_t<F>
&, Engine&, uint32_t, uint32_t > HandlerId Engine::add_handler(F&& f) {
  using Fn = std::decay_t<F>;
  auto box = std::make_shared<Fn>(std::forward<F>(f));
  void* context = box.get();
  owned_.push_back(std::move(box));
  return add_handler([](Engine& e, void* c, uint32_t subject,
                        uint32_t tag) { (*static_cast<Fn*>(c))(e, subject, tag); },
                     context);
}

// The hot path is inline so that handlers in other files schedule without a call.
inline EventId Engine::schedule_at(double time, HandlerId handler, uint32_t subject, uint32_t tag) {
  if (!(time >= now_ && time < std::numeric_limits<double>::infinity()) ||
      handler.value >= handlers_.size()) [[unlikely]] {
    throw_bad_schedule(time, handler);
  }
  time += 0.0;  // -0.0 passes the check above but would sort after every positive time
  const uint64_t seq = next_seq_++;
  const Event ev{time, seq << kHandlerBits | handler.value, subject, tag};
  if (top_fired_) {
    top_fired_ = false;
    sift_down(0, ev);
  } else {
    push(ev);
  }
  return EventId(time, seq);
}

inline void Engine::push(const Event& ev) {
  size_t hole = heap_.size();
  heap_.push_back(ev);
  Event* h = heap_.data();
  while (hole > 0) {
    const size_t parent = (hole - 1) / kArity;
    if (!before(ev, h[parent])) break;
    h[hole] = h[parent];
    hole = parent;
  }
  h[hole] = ev;
}

// Moves the hole at `hole` down to where `ev` belongs and puts `ev` there. (Floyd's bottom-up
// variant was measured slower: the rescheduled event often belongs near the top.)
inline void Engine::sift_down(size_t hole, const Event& ev) {
  Event* h = heap_.data();
  const size_t n = heap_.size();
  // Past the caches, the branch-free choice of child below leaves no loads in flight; fetching
  // the grandchildren ahead recovers most of that (measured: +40 % at 10^6 pending, -25 % if done
  // for small heaps, hence the threshold).
  const bool prefetch = n > kPrefetchAbove;
  for (;;) {
    const size_t first = kArity * hole + 1;
    if (first >= n) break;
    if (prefetch && kArity * first + 1 < n) {
      const char* grandchildren = reinterpret_cast<const char*>(h + kArity * first + 1);
      for (size_t b = 0; b < kArity * kArity * sizeof(Event); b += 64) {
        __builtin_prefetch(grandchildren + b);
      }
    }
    size_t best = first;
    if (first + kArity <= n) {  // all children present: pick the least without branches
      for (size_t c = first + 1; c < first + kArity; ++c) best = before(h[c], h[best]) ? c : best;
    } else {
      for (size_t c = first + 1; c < n; ++c) best = before(h[c], h[best]) ? c : best;
    }
    if (!before(h[best], ev)) break;
    h[hole] = h[best];
    hole = best;
  }
  h[hole] = ev;
}

inline void Engine::pop_top() {
  top_fired_ = false;
  const Event last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0, last);
}

}  // namespace rejuv::sim
