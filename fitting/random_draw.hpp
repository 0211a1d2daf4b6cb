#pragma once
// Draws for the bootstrap and the synthetic curves, written out by hand on std::mt19937_64 (whose
// output the standard fixes) so that the same seed gives the same numbers on every library; the
// std::*_distribution classes do not promise that.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace rejuv::fitting {

// Uniform on (0, 1): the top 53 bits, centred in their cell so that 0 and 1 never come out.
inline double uniform_open(std::mt19937_64& g) { return (double(g() >> 11) + 0.5) * 0x1.0p-53; }

// Uniform on {0, …, n − 1} without modulo bias (rejection of the top partial block).
inline uint64_t uniform_index(std::mt19937_64& g, uint64_t n) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = g();
  while (x >= limit);
  return x % n;
}

// Standard normal by Box–Muller (one of the pair; simple and exact enough for noise).
inline double standard_normal(std::mt19937_64& g) {
  const double u1 = uniform_open(g), u2 = uniform_open(g);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace rejuv::fitting
