#pragma once
// One simulated run of one strategy over an autoscale scenario, and what it measured.
//
// The run acts on VMs only through a backend (sim/backends/backend.hpp): defining a VM from a
// template (the planned duration is the disk copy), starting it (the boot), suspending and
// resuming pool entries, shutting VMs down and undefining them on scale-in, and migrating a
// FlexCapsule nested VM between the nested hypervisors of two cloud VMs. The durations passed
// as `planned` come from the model (scale_out_time.hpp, sim/cluster/precopy.hpp); what follows
// is scheduled after the duration the backend reports.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "sim/autoscale/autoscale_scenario.hpp"
#include "sim/autoscale/cost.hpp"
#include "sim/autoscale/policy.hpp"
#include "sim/autoscale/scale_out_time.hpp"

namespace rejuv::sim {
namespace backends {
class Backend;
}

namespace autoscale {

struct ScaleOutRecord {
  int service = -1;  // the container chosen (-1: the whole VM, as VM-level autoscaling does)
  ContainerChoice::Reason reason = ContainerChoice::Reason::hottest;
  std::string source_vm;  // the hot VM
  std::string new_vm;
  std::string how;  // "create", "pool", "prebooted_pool", "migrate"
  Seconds decided_at = 0;
  Seconds serving_at = std::numeric_limits<double>::quiet_NaN();
  ScaleOutPlan plan;  // each step as the backend reported it
  bool done = false, failed = false;
  Seconds scale_out_s() const { return serving_at - decided_at; }
};

struct ScaleInRecord {
  std::string vm;
  std::string how;  // "stop", "to_pool", "migrate_back"
  Seconds at = 0;
  Seconds done_at = std::numeric_limits<double>::quiet_NaN();
  bool done = false, failed = false;
};

struct AutoscaleResult {
  Strategy strategy = Strategy::vm;
  std::vector<ScaleOutRecord> scale_outs;
  std::vector<ScaleInRecord> scale_ins;
  double demand_requests = 0, served_requests = 0, unserved_requests = 0, peak_queue_requests = 0;
  Bill bill;
  double cost = 0;
  uint64_t failed_operations = 0;
  std::string first_failure;
  uint64_t introspections = 0;
  Seconds introspection_cpu_s = 0;
  // Each VM's mean CPU (fraction of its vCPUs) over the last `final_window_s` of the horizon.
  std::vector<std::pair<std::string, double>> vm_cpu_final;
  Seconds final_window_s = 0;
  std::string timeline_rows;  // timeline.csv lines of this strategy, without the header
  uint64_t events = 0;
};

using AutoscaleProgress = std::function<void(double fraction)>;

// Runs on `backend` when given (it must hold no domain of this run's names), else on a fresh
// SimulatedBackend. Every domain the run defined is destroyed and undefined before it returns.
AutoscaleResult simulate_autoscale(const AutoscaleScenario& sc, Strategy strategy,
                                   backends::Backend* backend,
                                   const AutoscaleProgress& progress = {});

}  // namespace autoscale
}  // namespace rejuv::sim
