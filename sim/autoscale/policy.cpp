#include "sim/autoscale/policy.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace rejuv::sim::autoscale {

namespace {

// Least-squares slope of the last n values against their index.
double slope(const std::vector<double>& y, int n) {
  const size_t first = y.size() - size_t(n);
  const double mean_x = (n - 1) / 2.0;
  double mean_y = 0;
  for (size_t k = first; k < y.size(); ++k) mean_y += y[k];
  mean_y /= n;
  double sxy = 0, sxx = 0;
  for (size_t k = first; k < y.size(); ++k) {
    const double x = double(k - first) - mean_x;
    sxy += x * (y[k] - mean_y);
    sxx += x * x;
  }
  return sxy / sxx;
}

}  // namespace

std::optional<ContainerChoice> choose_container(const std::vector<ContainerUsage>& candidates,
                                                double stand_out, int trend_samples) {
  if (candidates.empty()) throw std::invalid_argument("choose_container: no candidate");
  std::vector<size_t> order(candidates.size());
  for (size_t k = 0; k < order.size(); ++k) {
    if (candidates[k].usage.empty()) throw std::invalid_argument("choose_container: no usage read");
    order[k] = k;
  }
  auto now = [&](size_t k) { return candidates[k].usage.back(); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return now(a) > now(b); });
  if (order.size() == 1 || now(order[0]) >= stand_out * now(order[1]))
    return ContainerChoice{candidates[order[0]].service, ContainerChoice::Reason::hottest};
  for (const auto& c : candidates)
    if (int(c.usage.size()) < trend_samples) return std::nullopt;
  size_t best = order[0];
  double best_slope = slope(candidates[best].usage, trend_samples);
  for (size_t k : order) {  // hottest first, so a tie keeps the hotter
    const double s = slope(candidates[k].usage, trend_samples);
    if (s > best_slope) {
      best = k;
      best_slope = s;
    }
  }
  return ContainerChoice{candidates[best].service, ContainerChoice::Reason::rising_fastest};
}

int hpa_desired(int current, double utilisation, double target, double tolerance, int min_replicas,
                int max_replicas) {
  if (current < 1 || !(target > 0)) throw std::invalid_argument("hpa_desired: out of range");
  const double ratio = utilisation / target;
  int desired = current;
  // Kubernetes (pkg/controller/podautoscaler/replica_calculator.go): within the tolerance, keep
  // the current count; otherwise ceil(ratio × current).
  if (std::abs(ratio - 1.0) > tolerance) desired = int(std::ceil(ratio * current - 1e-9));
  return std::clamp(desired, min_replicas, max_replicas);
}

}  // namespace rejuv::sim::autoscale
