#pragma once
// Throughput lost, integrated exactly: every effect is a (start, duration, rate) interval, clipped
// to [0, horizon) and added to the totals and to the fixed time buckets of the timeline. No running
// sum is carried from event to event, so nothing drifts over a long horizon.
#include <cstdint>
#include <vector>

#include "models/units.hpp"

namespace rejuv::sim {

enum class LossKind : uint8_t { Down, Degraded };

class Accounting {
 public:
  // `buckets` timeline rows over [0, horizon).
  Accounting(Seconds horizon, size_t buckets);

  // Adds `rate` (requests/s lost) over [start, start + duration), clipped to [0, horizon).
  void add(Seconds start, Seconds duration, double rate, LossKind kind);
  // add(…, down, Down) then add(…, degraded, Degraded), with the same sums, the interval split into
  // buckets once.
  void add(Seconds start, Seconds duration, double down, double degraded);

  Seconds horizon() const { return horizon_; }
  // Integrals of lost throughput over [0, horizon), in requests.
  double down() const { return down_; }
  double degraded() const { return degraded_; }
  // Lost throughput in each bucket, requests; bucket k covers [k·w, (k+1)·w), w = horizon/buckets.
  const std::vector<double>& bucket_loss() const { return bucket_loss_; }
  Seconds bucket_width() const { return width_; }

 private:
  Seconds horizon_;
  Seconds width_;
  double down_ = 0, degraded_ = 0;
  std::vector<double> bucket_loss_;
};

}  // namespace rejuv::sim
