#pragma once
// The deployment at one moment: VMs, the containers (instances of services) in them, what each
// uses, and the books: requests offered, served and lost, CPU per VM and per container (the
// cumulative counters the autoscaler samples, as libvirt's and cgroup's cpuacct are), the bill,
// and the timeline. advance(t) brings the books up to simulated time t as a fluid, in steps of at
// most the scenario's "step", assuming nothing changes until t: the simulation calls it before
// every change.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/autoscale/autoscale_scenario.hpp"
#include "sim/autoscale/cost.hpp"
#include "sim/autoscale/load_balancer.hpp"
#include "sim/backends/backend.hpp"

namespace rejuv::sim::autoscale {

enum class Phase : uint8_t {
  off,       // defined and shut off: its disk is being copied, or it waits in the pool
  booting,   // its OS boots
  starting,  // its containers start
  serving,   // running
  stopping,  // shutting down, or being suspended
  paused,    // suspended in the pool, booted, its containers started
  gone,      // undefined
};

struct VmState {
  std::string name;
  int vcpus = 1;
  double memory_bytes = 0;
  backends::DomainId domain = backends::kNoId;
  backends::HostId nested_host = backends::kNoId;  // flexcapsule: the hypervisor inside it
  Phase phase = Phase::off;
  bool added = false;  // made by the autoscaler (not one of the scenario's VMs)
  int pool_key = -1;   // the pool it belongs to when it is taken from or returned to one
  int origin = -1;     // the scenario VM it was cloned from, or (flexcapsule) moved out of
  Seconds created_at = 0;
  double extra_cpu = 0;  // vCPUs of the boot or start-ups in progress
  std::vector<int> instances;

  double cpu_time_s = 0;  // cumulative CPU seconds, as the hypervisor counts them
  // The autoscaler's view, updated at each sample.
  double sampled_cpu_time_s = 0;
  Seconds sampled_at = 0;
  double utilisation = 0;  // over the last interval, as a fraction of its vCPUs
  bool sampled = false;    // utilisation holds a value
  Seconds read_at = std::numeric_limits<double>::quiet_NaN();  // its containers' last introspection
  Seconds low_since = std::numeric_limits<double>::quiet_NaN();

  // The final window (summary "vm_cpu_final") and the current timeline row.
  double final_cpu_s = 0, final_present_s = 0;
  double row_cpu_s = 0, row_present_s = 0;
};

struct Instance {
  int service = -1;
  int vm = -1;
  bool running = false;  // its container runs
  bool serving = false;  // the balancer sends it requests
  double queue = 0;
  double cpu_time_s = 0;     // cumulative, idle work included (cgroup cpuacct.usage)
  double request_cpu_s = 0;  // cumulative, requests only
  // The autoscaler's readings.
  double read_cpu_time_s = 0;  // at the last introspection
  std::vector<double> usage;   // usages read while its VM stays hot
  double sampled_cpu_time_s = 0, sampled_request_cpu_s = 0;
  double usage_last = 0, request_usage_last = 0;  // vCPUs over the last interval
};

// The timeline: one line per row and (metric, subject), plus events, kept in time order.
struct TimelineLine {
  Seconds time;
  uint64_t seq;
  std::string text;
};

class Deployment {
 public:
  Deployment(const AutoscaleScenario& sc, Strategy strategy);

  std::vector<VmState> vms;
  std::vector<Instance> instances;

  int add_vm(VmState vm);
  int add_instance(int service, int vm);
  // Moves an instance to another VM (flexcapsule's migration).
  void move_instance(int instance, int to_vm);
  // The balancer stops sending the instance requests; what it had queued is lost.
  void deregister(int instance);
  // The autoscaler's counters of a VM (and its containers) start again from now: the VM has just
  // begun to serve.
  void rebase_samples(int vm);
  // The serving instances of a service.
  int serving_count(int service) const;
  // Containers of a service, started or starting, on VMs that are not gone or pooled.
  int instance_count(int service) const;

  void advance(Seconds t);
  // An event row in the timeline (metric "scale_out", "scale_in", …, subject, value).
  void event(Seconds t, const std::string& metric, const std::string& subject, double value);
  // The rows so far, in time order, without a header.
  std::string timeline_csv() const;

  Seconds now() const { return now_; }
  double demand_requests() const { return demand_; }
  double served_requests() const { return served_; }
  double lost_requests() const { return lost_; }
  double peak_queue() const { return peak_queue_; }
  const Bill& bill() const { return bill_; }
  Seconds final_window() const { return final_from_ < 0 ? sc_.horizon : sc_.horizon - final_from_; }

 private:
  void step(Seconds dt);
  void flush_row();
  void line(Seconds t, const std::string& metric, const std::string& subject, double value);

  const AutoscaleScenario& sc_;
  std::string strategy_;
  double cpu_factor_;  // nested VMs' overhead per request
  Seconds now_ = 0;
  Seconds row_width_;
  int row_ = 0;
  Seconds final_from_;
  std::vector<bool> loaded_;  // services that ever get requests (their rows are written)
  std::vector<double> row_demand_, row_capacity_, row_served_;
  double demand_ = 0, served_ = 0, lost_ = 0, peak_queue_ = 0;
  Bill bill_;
  uint64_t seq_ = 0;
  std::vector<TimelineLine> lines_;
  // Scratch space of step(), kept to avoid allocating every step.
  std::vector<double> per_instance_rps_;
  std::vector<InstanceDemand> demand_scratch_;
  std::vector<InstanceServed> served_scratch_;
  std::vector<int> serving_scratch_;
};

}  // namespace rejuv::sim::autoscale
