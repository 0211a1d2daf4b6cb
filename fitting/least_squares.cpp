#include "fitting/least_squares.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace rejuv::fitting {

namespace {

double cost_of(const std::vector<double>& r) {
  double c = 0;
  for (double v : r) {
    if (!std::isfinite(v)) return std::numeric_limits<double>::infinity();
    c += v * v;
  }
  return c;
}

}  // namespace

LeastSquaresFit least_squares(const Residuals& residuals, std::vector<double> x, const std::vector<double>& lower,
                              const std::vector<double>& upper, int max_iterations) {
  const size_t n = x.size();
  if (lower.size() != n || upper.size() != n) throw std::invalid_argument("least_squares: bounds and start differ in size");
  for (size_t j = 0; j < n; ++j)
    if (!(lower[j] <= upper[j]) || x[j] < lower[j] || x[j] > upper[j])
      throw std::invalid_argument("least_squares: start outside the bounds");
  std::vector<double> r = residuals(x);
  LeastSquaresFit fit{x, cost_of(r), 0, false};
  if (!std::isfinite(fit.cost)) return fit;
  const size_t m = r.size();
  double lambda = 1e-3;
  for (int it = 0; it < max_iterations; ++it) {
    fit.iterations = it + 1;
    // Forward differences, stepping inward at an upper bound.
    Eigen::MatrixXd J(m, n);
    for (size_t j = 0; j < n; ++j) {
      const double h = 1e-6 * std::max(std::abs(x[j]), 1e-3 * (upper[j] - lower[j]) + 1e-12);
      std::vector<double> xh = x;
      const double step = x[j] + h <= upper[j] ? h : -h;
      xh[j] += step;
      const std::vector<double> rh = residuals(xh);
      for (size_t i = 0; i < m; ++i) J(i, j) = (rh[i] - r[i]) / step;
    }
    const Eigen::Map<const Eigen::VectorXd> rv(r.data(), long(m));
    const Eigen::MatrixXd JtJ = J.transpose() * J;
    const Eigen::VectorXd g = J.transpose() * rv;
    bool improved = false;
    for (int tries = 0; tries < 20 && !improved; ++tries) {
      Eigen::MatrixXd A = JtJ;
      for (size_t j = 0; j < n; ++j) A(j, j) += lambda * std::max(JtJ(j, j), 1e-12);
      const Eigen::VectorXd delta = A.ldlt().solve(-g);
      std::vector<double> xn = x;
      double moved = 0;
      for (size_t j = 0; j < n; ++j) {
        xn[j] = std::clamp(x[j] + delta[long(j)], lower[j], upper[j]);
        moved = std::max(moved, std::abs(xn[j] - x[j]) / std::max(std::abs(x[j]), 1e-9));
      }
      if (moved < 1e-12) {
        fit.converged = true;
        return fit;
      }
      const std::vector<double> rn = residuals(xn);
      const double cn = cost_of(rn);
      if (cn < fit.cost) {
        const bool small = fit.cost - cn < 1e-10 * fit.cost;
        x = xn;
        r = rn;
        fit.x = x;
        fit.cost = cn;
        lambda = std::max(lambda / 3, 1e-12);
        improved = true;
        if (small) {
          fit.converged = true;
          return fit;
        }
      } else {
        lambda *= 4;
      }
    }
    if (!improved) {
      fit.converged = true;  // no step lowers the cost: a (local) minimum
      return fit;
    }
  }
  return fit;
}

LeastSquaresFit fit_from_starts(const Residuals& residuals, const std::vector<std::vector<double>>& starts,
                                const std::vector<double>& lower, const std::vector<double>& upper,
                                int max_iterations) {
  if (starts.empty()) throw std::invalid_argument("fit_from_starts: no start");
  LeastSquaresFit best;
  best.cost = std::numeric_limits<double>::infinity();
  for (const auto& s : starts) {
    LeastSquaresFit f = least_squares(residuals, s, lower, upper, max_iterations);
    if (f.cost < best.cost) best = std::move(f);
  }
  return best;
}

}  // namespace rejuv::fitting
