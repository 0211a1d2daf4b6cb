#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "fitting/least_squares.hpp"

namespace rejuv::fitting {
namespace {

// y = a·e^(−b·t) + c sampled without noise: the fit finds a, b, c.
TEST(LeastSquares, RecoversTheParametersOfExactData) {
  std::vector<double> t, y;
  for (int i = 0; i < 20; ++i) {
    t.push_back(0.5 * i);
    y.push_back(3.0 * std::exp(-0.7 * t.back()) + 0.25);
  }
  auto res = [&](const std::vector<double>& x) {
    std::vector<double> r;
    for (size_t i = 0; i < t.size(); ++i) r.push_back(x[0] * std::exp(-x[1] * t[i]) + x[2] - y[i]);
    return r;
  };
  const LeastSquaresFit f = least_squares(res, {1, 0.1, 0}, {0, 0, -1}, {10, 5, 1});
  EXPECT_TRUE(f.converged);
  EXPECT_NEAR(f.x[0], 3.0, 1e-5);
  EXPECT_NEAR(f.x[1], 0.7, 1e-5);
  EXPECT_NEAR(f.x[2], 0.25, 1e-5);
  EXPECT_LT(f.cost, 1e-10);
}

// The unconstrained minimum (x = −2) lies outside the box: the fit stops on the bound.
TEST(LeastSquares, StaysInsideTheBounds) {
  auto res = [](const std::vector<double>& x) { return std::vector<double>{x[0] + 2}; };
  const LeastSquaresFit f = least_squares(res, {3}, {0}, {5});
  EXPECT_DOUBLE_EQ(f.x[0], 0);
  EXPECT_DOUBLE_EQ(f.cost, 4);
}

// A staircase residual (a round count that jumps) traps a single start; of several starts the
// best one wins.
TEST(LeastSquares, SeveralStartsFindTheLowerMinimum) {
  auto res = [](const std::vector<double>& x) {
    return std::vector<double>{x[0] < 5 ? (x[0] - 1) * 0.1 + 1 : x[0] - 8};
  };
  const LeastSquaresFit one = least_squares(res, {2}, {0}, {10});
  EXPECT_LT(one.x[0], 5);
  const LeastSquaresFit best = fit_from_starts(res, {{2}, {9}}, {0}, {10});
  EXPECT_NEAR(best.x[0], 8, 1e-6);
}

TEST(LeastSquares, RefusesAStartOutsideTheBox) {
  auto res = [](const std::vector<double>& x) { return x; };
  EXPECT_THROW(least_squares(res, {6}, {0}, {5}), std::invalid_argument);
  EXPECT_THROW(least_squares(res, {1, 1}, {0}, {5}), std::invalid_argument);
}

}  // namespace
}  // namespace rejuv::fitting
