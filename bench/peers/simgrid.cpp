// The reference workload (bench/workload.hpp) on SimGrid, in one of two ways:
//   --mode timers  kernel timers (simgrid::kernel::timer::Timer::set): no actor at all; each
//                  timer's callback, run by the maestro, sets the host's next timer.
//   --mode actors  one actor per host looping on this_actor::sleep_until(next transition), all on
//                  one simulated host. Each actor has its own stack, 8 MiB by default: here
//                  16 KiB (--stack-kib; 4 KiB overflows, 6 KiB runs, so 16 leaves a margin) and
//                  no guard page (contexts/guard-size:0: a guard page per stack splits the mapping
//                  and exhausts vm.max_map_count, 65,530, past ~32,000 actors). SimGrid zeroes each
//                  stack, so every actor costs its whole stack in RSS.
// A transition past the horizon is not scheduled, so the run ends when none is left.
//
// Usage: peer_simgrid --hosts N --mode timers|actors [--stack-kib K]
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

#include "bench/workload.hpp"

namespace {

using namespace rejuv::bench;
namespace sg4 = simgrid::s4u;

double g_horizon = 0;
uint64_t g_events = 0;

void transition(uint32_t host, bool going_down) {
  ++g_events;
  const double next = sg4::Engine::get_clock() + (going_down ? kReboot : up_time(host));
  if (next <= g_horizon) {
    simgrid::kernel::timer::Timer::set(next, [host, going_down] { transition(host, !going_down); });
  }
}

void host_actor(uint32_t host) {
  uint64_t events = 0;
  bool going_down = true;
  for (double next = up_time(host); next <= g_horizon;
       next += going_down ? up_time(host) : kReboot) {
    sg4::this_actor::sleep_until(next);
    ++events;
    going_down = !going_down;
  }
  g_events += events;  // actors run one at a time (contexts/nthreads is 1)
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t hosts = 1000;
  std::string mode;
  std::string stack_kib = "16";
  for (int i = 1; i < argc; ++i) {
    if (parse_hosts(argc, argv, i, hosts, "peer_simgrid")) continue;
    if (std::strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
      mode = argv[++i];
    } else if (std::strcmp(argv[i], "--stack-kib") == 0 && i + 1 < argc) {
      stack_kib = argv[++i];
    } else {
      mode.clear();
      break;
    }
  }
  if (mode != "timers" && mode != "actors") {
    std::fprintf(stderr, "usage: peer_simgrid --hosts N --mode timers|actors [--stack-kib K]\n");
    return 2;
  }
  g_horizon = horizon_for(hosts);

  // SimGrid reads its configuration from the command line it is given.
  std::vector<std::string> args = {argv[0], "--log=root.thres:warning",
                                   "--cfg=contexts/stack-size:" + stack_kib,
                                   "--cfg=contexts/guard-size:0"};
  std::vector<char*> sg_argv;
  for (auto& a : args) sg_argv.push_back(a.data());
  int sg_argc = static_cast<int>(sg_argv.size());
  sg_argv.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  sg4::Engine engine(&sg_argc, sg_argv.data());
  sg4::NetZone* zone = sg4::create_full_zone("bench");
  sg4::Host* host = zone->create_host("host", 1e9);
  zone->seal();
  for (uint32_t h = 0; h < hosts; ++h) {
    if (up_time(h) > g_horizon) continue;
    if (mode == "timers") {
      simgrid::kernel::timer::Timer::set(up_time(h), [h] { transition(h, true); });
    } else {
      sg4::Actor::create("h", host, [h] { host_actor(h); });
    }
  }
  engine.run();
  const double seconds = seconds_since(start);
  print_json_line(mode == "timers" ? "simgrid-timers" : "simgrid-actors", hosts, g_horizon,
                  g_events, seconds);
  return 0;
}
