// The reference workload (bench/workload.hpp) on ns-3's core simulator: one event per transition,
// scheduled with Simulator::Schedule on a plain function, the default scheduler (a std::map),
// nanosecond time. A transition past the horizon is not scheduled; Run() ends when none is left.
//
// Usage: peer_ns3 --hosts N
#include <ns3/core-module.h>

#include "bench/workload.hpp"

namespace {

using namespace rejuv::bench;

ns3::Time g_horizon;
uint64_t g_events = 0;

void transition(uint32_t host, bool going_down) {
  ++g_events;
  const ns3::Time delay = ns3::Seconds(going_down ? kReboot : up_time(host));
  if (ns3::Simulator::Now() + delay <= g_horizon) {
    ns3::Simulator::Schedule(delay, &transition, host, !going_down);
  }
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t hosts = 1000;
  for (int i = 1; i < argc; ++i) {
    if (!parse_hosts(argc, argv, i, hosts, "peer_ns3")) {
      std::fprintf(stderr, "usage: peer_ns3 --hosts N\n");
      return 2;
    }
  }
  const double horizon = horizon_for(hosts);
  const auto start = std::chrono::steady_clock::now();
  g_horizon = ns3::Seconds(horizon);
  for (uint32_t h = 0; h < hosts; ++h) {
    if (up_time(h) <= horizon)
      ns3::Simulator::Schedule(ns3::Seconds(up_time(h)), &transition, h, true);
  }
  ns3::Simulator::Run();
  const double seconds = seconds_since(start);
  ns3::Simulator::Destroy();
  print_json_line("ns3", hosts, horizon, g_events, seconds);
  return 0;
}
