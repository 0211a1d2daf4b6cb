#pragma once
// The reference workload every engine in bench/ runs, so their numbers compare:
// N hosts, host i up for 3600 + (i mod 100) s, then rebooting for 60 s, repeated until the
// horizon (one year for N <= 1000, one year * 1000 / N up to N = 10^6, so every size does about 17
// million events; above 10^6 the horizon of 10^6, 31,536 s, since a shorter one would end before
// the first reboot at 3,600 s: 10^7 hosts do about 160 million events). Every up->down and down->up transition at a time <= horizon is one event; the first
// event of host i is its first up->down transition, at 3600 + (i mod 100) s. N = 1000 gives
// 17,002,830. All times are whole seconds, exact in a double and in ns-3's integer nanoseconds,
// so every engine sees the same event times and the same count.
//
// Each program prints one JSON line on stdout, which bench/compare reads:
//   {"engine":"ns3","hosts":1000,"horizon_s":31536000,"events":17002830,"seconds":1.234}
// `seconds` is wall time from building the engine to the end of the run (process start-up and
// teardown excluded); peak RSS is measured from outside (/usr/bin/time).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rejuv::bench {

inline constexpr double kYear = 365 * 86400.0;
inline constexpr double kReboot = 60;

inline double up_time(uint32_t host) { return 3600.0 + host % 100; }
inline constexpr uint32_t kShortestHorizonHosts = 1000000;
inline double horizon_for(uint32_t hosts) {
  if (hosts <= 1000) return kYear;
  return kYear * 1000.0 / (hosts < kShortestHorizonHosts ? hosts : kShortestHorizonHosts);
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline void print_json_line(const char* engine, uint32_t hosts, double horizon, uint64_t events,
                            double seconds) {
  std::printf(
      "{\"engine\":\"%s\",\"hosts\":%u,\"horizon_s\":%.0f,\"events\":%llu,\"seconds\":%.6f}\n",
      engine, hosts, horizon, static_cast<unsigned long long>(events), seconds);
  std::fflush(stdout);
}

// Parses "--hosts N" (N >= 1) at argv[i]; returns false (after a message) on anything else.
inline bool parse_hosts(int argc, char** argv, int& i, uint32_t& hosts, const char* program) {
  if (std::strcmp(argv[i], "--hosts") != 0 || i + 1 >= argc) return false;
  char* end = nullptr;
  const unsigned long value = std::strtoul(argv[++i], &end, 10);
  if (*end != '\0' || value == 0 || value > UINT32_MAX) {
    std::fprintf(stderr, "%s: --hosts: expected an integer >= 1, got '%s'\n", program, argv[i]);
    std::exit(2);
  }
  hosts = static_cast<uint32_t>(value);
  return true;
}

}  // namespace rejuv::bench
