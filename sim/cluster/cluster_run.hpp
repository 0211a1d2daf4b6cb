#pragma once
// One simulated run of one strategy over a rejuvenation scenario, and what it measured.
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/cluster/rejuvenation_scenario.hpp"

namespace rejuv::sim {

namespace backends {
class Backend;
}

// What a run held in memory, in bytes (rejuv run --stats).
struct MemoryUse {
  size_t hosts = 0;     // hosts and their VMs
  size_t vms = 0;
  size_t units = 0;     // kept for each OS unit (a VM at VM level, a group of n VMs at host level)
  size_t groups = 0;    // host and group records, and the VM level's pending OS rejuvenation ends
  size_t queue = 0;     // the engine's event queue at its largest
  size_t world = 0;     // the simulated backend's tables (0 for a world given by the caller)
  size_t total() const { return units + groups + queue + world; }
};

struct RunResult {
  Strategy strategy = Strategy::Warm;
  double index = 0;            // mean cluster throughput / (m·p)
  double availability = 0;     // 1 − throughput lost to downtime / serving capacity
  double mean_throughput = 0;  // requests/s, averaged over the horizon
  uint64_t events = 0;
  uint64_t vmm_rejuvenations = 0;
  uint64_t os_rejuvenations = 0;
  uint64_t late_rejuvenations = 0;    // started after their due time (waited for a spare)
  uint64_t skipped_rejuvenations = 0; // came due again while still waiting
  double total_lateness_s = 0;
  double max_lateness_s = 0;
  uint64_t host_failures = 0;
  uint64_t vmm_aging_crashes = 0;
  uint64_t os_aging_crashes = 0;
  uint64_t backend_failures = 0;  // operations the world refused or that failed (a real one's)
  std::vector<double> timeline;  // cluster throughput, requests/s, one value per bucket
  MemoryUse memory;
  double mean_lateness_s() const { return late_rejuvenations ? total_lateness_s / late_rejuvenations : 0.0; }
};

// Called now and then with the fraction of simulated time done.
using Progress = std::function<void(double fraction)>;

// Host level: the paper's own accounting. VM level: each VM with its own timers and share p/n.
// The run acts on `world` (its hosts 0..m−1; it must hold no domain the run would collide with) and
// leaves it as it found it; null: on a SimulatedBackend of its own.
RunResult simulate(const RejuvenationScenario& sc, Strategy s, uint64_t replication, const Progress& progress = {},
                   backends::Backend* world = nullptr);

// The largest host count s spares serve without lateness when hosts are staggered evenly and
// every migration takes its mean time: s·T_vmm / (migration time + VMM reboot time).
double spare_saturation_hosts(const RejuvenationScenario& sc, Strategy s);

}  // namespace rejuv::sim
