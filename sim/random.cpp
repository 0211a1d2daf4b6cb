#include "sim/random.hpp"

#include <cmath>
#include <stdexcept>

namespace rejuv::sim {

// splitmix64's finaliser (Steele, Lea & Flood 2014; the constants of Vigna's splitmix64.c).
uint64_t splitmix64(uint64_t x) {
  uint64_t z = x + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a, 64-bit: offset basis 0xcbf29ce484222325, prime 0x100000001b3, over the name's bytes.
uint64_t fnv1a64(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// The recipe (changing it changes every simulation's numbers; tests/test_random.cpp pins it):
//   h = splitmix64(seed)
//   h = splitmix64(h ^ replication)
//   h = splitmix64(h ^ fnv1a64(name))
//   h = splitmix64(h ^ index)
//   std::mt19937_64 is constructed with h (the standard's single-value seeding).
uint64_t Streams::stream_seed(std::string_view name, uint64_t index) const {
  uint64_t h = splitmix64(seed_);
  h = splitmix64(h ^ replication_);
  h = splitmix64(h ^ fnv1a64(name));
  h = splitmix64(h ^ index);
  return h;
}

uint64_t Rng::below(uint64_t n) {
  if (n == 0) throw std::logic_error("Rng::below: empty range");
  // Lemire (2019), "Fast random integer generation in an interval", ACM TOMACS 29(1).
  unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = -n % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

double Rng::exponential(double mean) { return -mean * std::log(uniform01()); }

}  // namespace rejuv::sim
