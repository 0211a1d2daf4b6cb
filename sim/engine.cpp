#include "sim/engine.hpp"

#include <fmt/format.h>

#include <limits>
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

bool Engine::skip_if_cancelled(uint64_t seq) { return cancelled_.erase(seq) != 0; }

// Inlined into run_until's loop: one event costs no call but the handler's.
[[gnu::always_inline]] inline bool Engine::dispatch_next(double limit) {
  while (queue_.front_within(limit)) {
    const Event ev = queue_.front();
    queue_.pop_front();
    const uint64_t seq = ev.key >> kHandlerBits;
    last_time_ = ev.time;
    last_seq_ = seq;
    if (!cancelled_.empty() && skip_if_cancelled(seq)) [[unlikely]] continue;
    now_ = ev.time;
    ++processed_;
    in_handler_ = true;
    struct LeaveHandler {  // also when the handler throws
      bool& flag;
      ~LeaveHandler() { flag = false; }
    } guard{in_handler_};
    const Handler h = handlers_[ev.key & ((uint64_t{1} << kHandlerBits) - 1)];
    h.fn(*this, h.context, ev.subject, ev.tag);
    return true;
  }
  return false;
}

bool Engine::run_until(double horizon) {
  if (in_handler_) throw std::logic_error("Engine::run_until: called from inside a handler");
  if (!(horizon >= now_)) {
    throw std::logic_error(
        fmt::format("Engine::run_until: horizon {} s is before now ({} s)", horizon, now_));
  }
  stop_requested_ = false;
  while (dispatch_next(horizon)) {
    if (stop_requested_) return false;
  }
  now_ = horizon;
  return true;
}

bool Engine::step() {
  if (in_handler_) throw std::logic_error("Engine::step: called from inside a handler");
  return dispatch_next(std::numeric_limits<double>::infinity());
}

}  // namespace rejuv::sim
