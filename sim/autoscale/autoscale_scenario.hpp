#pragma once
// A "kind": "autoscale" scenario: VMs holding services in containers, a load trace per service,
// an autoscaler, and the scale-out strategies to compare (seed 004, Ciel; seed 002, FlexCapsule).
// README, "Autoscale scenarios", lists every key; data/ciel2018.json holds the paper's figures.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/units.hpp"
#include "sim/autoscale/cost.hpp"
#include "sim/autoscale/load_trace.hpp"
#include "sim/cluster/precopy.hpp"
#include "sim/distribution.hpp"

namespace rejuv::sim::autoscale {

// How a hot service gets more capacity.
//   vm           clone the whole VM from its template (copy the used blocks), boot, start every
//   service ciel         a minimal template with only the hot service's image, sized for it; start
//   that container vm_pooled    as vm, from a pool of VMs already copied (and, with "prebooted",
//   already booted) ciel_pooled  as ciel, from a pool flexcapsule  live-migrate the hot
//   application's nested VM into a new cloud VM (seed 002)
enum class Strategy : uint8_t { vm, ciel, vm_pooled, ciel_pooled, flexcapsule };
std::string_view name(Strategy s);
std::optional<Strategy> parse_strategy(std::string_view text);
bool is_pooled(Strategy s);
// True when the new VM carries only the hot service (ciel, ciel_pooled, flexcapsule).
bool per_service(Strategy s);

// The guest OS of every template: what each new VM boots.
struct GuestOs {
  Distribution boot = Distribution::fixed(0);  // wall time of the OS boot (may be drawn)
  Seconds boot_cpu = 0;     // CPU seconds the boot uses; a boot takes at least boot_cpu / vCPUs
  double memory_bytes = 0;  // resident once booted
  double used_bytes = 0;    // used blocks of the template's disk: OS and container runtime
  double idle_cpu = 0;      // vCPUs the running OS uses with no request
  Seconds shutdown = 0;     // an orderly power-off
};

struct Service {
  std::string name;
  Seconds cpu_per_request = 0;    // CPU seconds per request
  double memory_bytes = 0;        // resident while serving
  Seconds start_cpu = 0;          // CPU seconds of its start-up
  double start_memory_bytes = 0;  // peak memory during start-up
  double image_bytes = 0;         // used blocks of its container image
  double idle_cpu = 0;            // vCPUs it uses with no request
  double cpu_request = 1;         // vCPUs; the HPA policy's utilisation is usage / cpu_request
  int vm_vcpus = 1;               // the VM ciel and flexcapsule create for it
  double vm_memory_bytes = 0;
  // FlexCapsule: the application's nested VM (seed 002 §3), when that strategy is run.
  double nested_memory_bytes = 0;
  double dirty_rate_Bps = 0;
  LoadTrace load;
  int home_vm = -1;  // the VM of `vms` it starts in
};

struct VmSpec {
  std::string name;
  int vcpus = 1;
  double memory_bytes = 0;
  std::vector<int> services;  // indices into AutoscaleScenario::services
};

struct ScaleIn {
  double threshold = 0.3;  // CPU fraction below which an added VM is a candidate
  Seconds window = 300;    // ... for this long (HPA: its stabilisation window)
};

struct Autoscaler {
  enum class Policy : uint8_t { threshold, hpa };
  Policy policy = Policy::threshold;
  Seconds interval = 5;    // how often each VM's CPU is sampled
  double threshold = 0.8;  // seed 004 §2, §5.3: scale out above 80 % CPU
  double stand_out = 1.5;  // the hottest container stands out at ≥ stand_out × the second's usage
  int trend_samples = 2;   // usages compared to find the container rising fastest
  Seconds cooldown = 60;   // no action until this long after the last one completed
  int max_instances = 4;   // per service (threshold policy)
  Seconds introspection_time = 0;  // reading the containers' usage from outside the VM
  Seconds introspection_cpu = 0;
  double target = 0.8;     // HPA: target utilisation of cpu_request
  double tolerance = 0.1;  // HPA: no change while |utilisation / target − 1| ≤ tolerance
  int min_replicas = 1;    // HPA
  int max_replicas = 4;    // HPA
  std::optional<ScaleIn> scale_in;
};

struct Pool {
  int size = 0;            // entries per template (a VM's clone, or a service's VM)
  bool prebooted = false;  // entries booted with their services started, then suspended
  Seconds resume = 1;      // resuming a suspended entry
  Seconds suspend = 1;     // suspending a VM returned to the pool
  bool refill = true;      // an entry taken is replaced in the background
};

struct FlexCapsuleConfig {
  double extra_bytes = 0;         // the cloud VM template's nested hypervisor and management VM
  Seconds extra_start_cpu = 0;    // starting them
  double extra_memory_bytes = 0;  // the management VM's memory
  double cpu_overhead = 0;        // extra CPU per request in a nested VM (fraction)
  PrecopyConfig migration;        // memory and dirty rate come from each service
};

struct AutoscaleScenario {
  std::vector<Strategy> strategies;
  Seconds horizon = 0;
  uint64_t seed = 0;
  GuestOs os;
  std::vector<Service> services;
  std::vector<VmSpec> vms;
  double copy_bandwidth_Bps = 0;  // bytes/s
  double load_scale = 1;
  double queue_bound = 0;  // requests queued per instance; 0: demand above capacity is lost
  Autoscaler autoscaler;
  Pool pool;
  Prices prices;
  FlexCapsuleConfig flexcapsule;
  Seconds step = 1;  // the longest step of the fluid accounting of requests
  int timeline_rows = 600;

  int service_index(std::string_view name) const;  // -1 when unknown
};

// `doc` is the scenario after "extends" was merged in; a relative CSV trace path is taken from
// doc["_scenario_folder"] (set by read_scenario), else from the current folder. Throws
// InputError with the JSON path of the first problem.
AutoscaleScenario parse_autoscale_scenario(const nlohmann::json& doc);

}  // namespace rejuv::sim::autoscale
