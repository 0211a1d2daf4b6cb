#include "sim/engine.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace rejuv::sim {

HandlerId Engine::add_handler(HandlerFn fn, void* context) {
  if (fn == nullptr) throw std::logic_error("Engine::add_handler: null handler");
  // The all-ones index is HandlerId's "none"; the rest fit in an event's key.
  if (handlers_.size() >= (size_t{1} << kHandlerBits) - 1) {
    throw std::logic_error("Engine::add_handler: too many handlers (65535)");
  }
  handlers_.push_back(Handler{fn, context});
  return HandlerId{static_cast<uint16_t>(handlers_.size() - 1)};
}

void Engine::throw_bad_schedule(double time, HandlerId handler) const {
  if (handler.value >= handlers_.size()) {
    throw std::logic_error(fmt::format("Engine::schedule_at: unknown handler {} ({} registered)",
                                       handler.valid() ? std::to_string(handler.value) : "(none)",
                                       handlers_.size()));
  }
  throw std::logic_error(fmt::format(
      "Engine::schedule_at: time {} s is in the past or not finite (now is {} s)", time, now_));
}

void Engine::cancel(EventId id) {
  if (id.empty() || id.seq_ >= next_seq_) return;
  // Fired or skipped already: everything up to (last_time_, last_seq_) has left the queue.
  if (id.time_ < last_time_ || (id.time_ == last_time_ && id.seq_ <= last_seq_)) return;
  cancelled_.insert(id.seq_);
}

// Drops cancelled events from the top; returns whether a live event is on top.
bool Engine::skip_cancelled() {
  while (!heap_.empty()) {
    if (cancelled_.empty()) return true;
    const uint64_t seq = heap_[0].key >> kHandlerBits;
    if (cancelled_.erase(seq) == 0) return true;
    last_time_ = heap_[0].time;
    last_seq_ = seq;
    pop_top();
  }
  return false;
}

void Engine::dispatch_top() {
  const Event ev = heap_[0];
  now_ = ev.time;
  last_time_ = ev.time;
  last_seq_ = ev.key >> kHandlerBits;
  ++processed_;
  top_fired_ = true;
  // Pops the fired event if the handler scheduled nothing, even when the handler throws.
  struct PopIfUnused {
    Engine& engine;
    ~PopIfUnused() {
      if (engine.top_fired_) engine.pop_top();
    }
  } guard{*this};
  const Handler h = handlers_[ev.key & ((uint64_t{1} << kHandlerBits) - 1)];
  h.fn(*this, h.context, ev.subject, ev.tag);
}

bool Engine::run_until(double horizon) {
  if (top_fired_) throw std::logic_error("Engine::run_until: called from inside a handler");
  if (!(horizon >= now_)) {
    throw std::logic_error(
        fmt::format("Engine::run_until: horizon {} s is before now ({} s)", horizon, now_));
  }
  stop_requested_ = false;
  while (skip_cancelled() && heap_[0].time <= horizon) {
    dispatch_top();
    if (stop_requested_) return false;
  }
  now_ = horizon;
  return true;
}

bool Engine::step() {
  if (top_fired_) throw std::logic_error("Engine::step: called from inside a handler");
  if (!skip_cancelled()) return false;
  dispatch_top();
  return true;
}

}  // namespace rejuv::sim
