#pragma once
// Named random streams: every random draw in a simulation comes from a stream named for what it
// draws ("failures/host", index = host id), seeded from (seed, replication, name, index) alone.
// Adding a stream never changes another's draws, and no stream depends on the order in which
// streams are created. Samplers are written here on top of std::mt19937_64, whose output the C++
// standard fixes; std::*_distribution is not used because its output differs between libraries.
#include <cstdint>
#include <random>
#include <string_view>

namespace rejuv::sim {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // The raw 64-bit output of mt19937_64.
  uint64_t next() { return engine_(); }
  // Uniform on the open interval (0, 1): the top 53 bits times 2^-53, a draw of all-zero bits
  // being skipped (probability 2^-53), so log(u), log(1 - u) and quantile(d, u) are finite.
  // (Adding one half step instead would round to exactly 1 for the largest 53-bit values.)
  double uniform01() {
    uint64_t bits;
    do {
      bits = next() >> 11;
    } while (bits == 0);
    return static_cast<double>(bits) * 0x1.0p-53;
  }
  // Uniform on (a, b).
  double uniform(double a, double b) { return a + (b - a) * uniform01(); }
  // Uniform integer in [0, n), n >= 1, without modulo bias (Lemire's multiply-and-reject).
  uint64_t below(uint64_t n);
  // Exponential with the given mean, by inverse CDF of the survival function: -mean * ln(u).
  double exponential(double mean);

 private:
  std::mt19937_64 engine_;
};

class Streams {
 public:
  explicit Streams(uint64_t seed, uint64_t replication = 0)
      : seed_(seed), replication_(replication) {}

  // A fresh generator for stream (name, index); the same arguments always give the same draws.
  Rng get(std::string_view name, uint64_t index = 0) const { return Rng(stream_seed(name, index)); }
  // The 64-bit value std::mt19937_64 is seeded with for (name, index); see random.cpp.
  uint64_t stream_seed(std::string_view name, uint64_t index = 0) const;

  uint64_t seed() const { return seed_; }
  uint64_t replication() const { return replication_; }

 private:
  uint64_t seed_;
  uint64_t replication_;
};

// The two hashes the recipe is made of, exposed so the recipe can be checked by hand.
uint64_t splitmix64(uint64_t x);
uint64_t fnv1a64(std::string_view text);

}  // namespace rejuv::sim
