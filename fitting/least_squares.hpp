#pragma once
// Bounded nonlinear least squares: minimise Σ r_i(x)² with x in a box, by Levenberg–Marquardt
// (Eigen) with a forward-difference Jacobian. For models whose residuals come from a simulation
// (the pre-copy model's rounds), which have no analytic derivative and may step where a round
// appears or vanishes: the caller should try several starting points (fit_from_starts).
#include <functional>
#include <vector>

namespace rejuv::fitting {

using Residuals = std::function<std::vector<double>(const std::vector<double>& x)>;

struct LeastSquaresFit {
  std::vector<double> x;
  double cost = 0;  // Σ r_i² at x
  int iterations = 0;
  bool converged = false;  // the relative decrease of the cost fell below 1e-10, or the step vanished
};

// Throws std::invalid_argument when x0, lower and upper differ in size, lower > upper, or x0 lies
// outside the box; a residual that is not finite counts as an infinite cost (the step is refused).
LeastSquaresFit least_squares(const Residuals& residuals, std::vector<double> x0, const std::vector<double>& lower,
                              const std::vector<double>& upper, int max_iterations = 200);

// least_squares from each start; the fit with the smallest cost (the first of equals).
LeastSquaresFit fit_from_starts(const Residuals& residuals, const std::vector<std::vector<double>>& starts,
                                const std::vector<double>& lower, const std::vector<double>& upper,
                                int max_iterations = 200);

}  // namespace rejuv::fitting
