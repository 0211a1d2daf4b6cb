#include "sim/cluster/accounting.hpp"

#include <algorithm>
#include <cmath>

namespace rejuv::sim {

Accounting::Accounting(Seconds horizon, size_t buckets)
    : horizon_(horizon), width_(horizon / double(std::max<size_t>(buckets, 1))), bucket_loss_(std::max<size_t>(buckets, 1)) {}

void Accounting::add(Seconds start, Seconds duration, double rate, LossKind kind) {
  const Seconds a = std::max(0.0, start), b = std::min(horizon_, start + duration);
  if (!(b > a) || rate == 0) return;
  const double lost = rate * (b - a);
  (kind == LossKind::Down ? down_ : degraded_) += lost;
  const size_t last = bucket_loss_.size() - 1;
  size_t k = std::min(last, static_cast<size_t>(a / width_));
  for (; k <= last; ++k) {
    const Seconds lo = std::max(a, k * width_), hi = k == last ? b : std::min(b, (k + 1) * width_);
    if (hi > lo) bucket_loss_[k] += rate * (hi - lo);
    if (hi >= b) break;
  }
}

void Accounting::add(Seconds start, Seconds duration, double down, double degraded) {
  const Seconds a = std::max(0.0, start), b = std::min(horizon_, start + duration);
  if (!(b > a) || (down == 0 && degraded == 0)) return;
  // Each total and each bucket receives the same terms in the same order as from two add() calls.
  if (down != 0) down_ += down * (b - a);
  if (degraded != 0) degraded_ += degraded * (b - a);
  const size_t last = bucket_loss_.size() - 1;
  size_t k = std::min(last, static_cast<size_t>(a / width_));
  for (; k <= last; ++k) {
    const Seconds lo = std::max(a, k * width_), hi = k == last ? b : std::min(b, (k + 1) * width_);
    if (hi > lo) {
      if (down != 0) bucket_loss_[k] += down * (hi - lo);
      if (degraded != 0) bucket_loss_[k] += degraded * (hi - lo);
    }
    if (hi >= b) break;
  }
}

}  // namespace rejuv::sim
