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
// Events are 24-byte structs in a radix heap over their times (sim/event_queue.hpp), which keeps
// events at the same time first-in first-out. Dispatch is one indirect call. There is no global
// state.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "sim/event_queue.hpp"

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

  // O(1): a cancelled event stays in the queue and is skipped when it comes out. Cancelling
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
  size_t pending() const { return queue_.size() - cancelled_.size(); }
  // Events whose handler ran; cancelled events are not counted.
  uint64_t events_processed() const { return processed_; }

  void reserve(size_t events) { queue_.reserve(events); }
  // Bytes the queue holds in memory (for benchmarks), not counting cancellations.
  size_t queue_bytes() const { return queue_.bytes(); }
  static constexpr size_t kEventBytes = 24;

 private:
  // `key` packs the insertion sequence (high 48 bits) over the handler index (low 16 bits).
  using Event = EventQueue::Event;
  static_assert(sizeof(Event) == kEventBytes);
  struct Handler {
    HandlerFn fn;
    void* context;
  };
  static constexpr unsigned kHandlerBits = 16;

  // Takes out the next event with time <= limit and runs it, skipping cancelled ones; returns
  // whether one ran.
  bool dispatch_next(double limit);
  [[gnu::noinline]] bool skip_if_cancelled(uint64_t seq);
  [[noreturn]] void throw_bad_schedule(double time, HandlerId handler) const;

  EventQueue queue_;
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
  bool in_handler_ = false;
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
  queue_.push(Event{time, seq << kHandlerBits | handler.value, subject, tag});
  return EventId(time, seq);
}

}  // namespace rejuv::sim
