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

}  // namespace rejuv::sim
