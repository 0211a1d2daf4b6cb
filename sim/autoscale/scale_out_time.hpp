#pragma once
// How long each step of a scale-out takes and what the new VM uses meanwhile, from the inputs
// alone, so that changing an input changes the result the way it would on a real cloud
// (seed 004 §4.3, §5.3–5.4):
//   copy   the template's used blocks over the copy bandwidth (sparse images: only used blocks
//          are copied), skipped by a pooled VM;
//   boot   the OS boot, at least its CPU seconds spread over the vCPUs, skipped by a prebooted
//          (suspended) pool entry, which is resumed instead;
//   start  the start-ups of the services the new VM starts, sharing its vCPUs: each start-up is
//          a job of start_cpu CPU seconds, and n jobs on v vCPUs each run at min(1, v/n).
#include <vector>

#include "models/units.hpp"

namespace rejuv::sim::autoscale {

// Seconds to copy `used_bytes` at `bandwidth_Bps` (bytes/s).
Seconds copy_time(double used_bytes, double bandwidth_Bps);

// Seconds the OS takes to boot on `vcpus`: its wall time, but no less than its CPU work allows.
Seconds boot_time(Seconds os_boot, Seconds boot_cpu, int vcpus);

// Processor sharing of start-ups (CPU seconds each) on `vcpus`: the time until the last one is
// done.
Seconds startup_makespan(std::vector<Seconds> start_cpu, int vcpus);

// One scale-out's steps as the model plans them, and the new VM's use until it serves.
struct ScaleOutPlan {
  Seconds copy_s = 0;
  Seconds boot_s = 0;
  Seconds start_s = 0;
  Seconds resume_s = 0;    // a prebooted pool entry
  Seconds migrate_s = 0;   // flexcapsule: the nested VM's live migration (M)
  Seconds downtime_s = 0;  // ... of which the application is stopped (seed 002 §4: about 0.2 s)
  Seconds cpu_s = 0;       // CPU the new VM uses from its boot until it serves
  double peak_memory_bytes = 0;
  Seconds total() const { return copy_s + boot_s + start_s + resume_s + migrate_s; }
};

}  // namespace rejuv::sim::autoscale
