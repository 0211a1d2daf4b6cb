#pragma once
// What the VMs cost: clouds bill in proportion to a VM's vCPUs and memory over the time it runs
// (seed 004 §1). A suspended VM (a prebooted pool entry) still holds its memory, so it pays for
// that; a shut-off one (a pool entry that only has its disk) pays nothing here.
#include "models/units.hpp"

namespace rejuv::sim::autoscale {

struct Prices {
  double vcpu_hour = 0;  // per vCPU-hour of a running VM
  double gib_hour = 0;   // per GiB-hour of a running or suspended VM's memory
};

struct Bill {
  double vcpu_s = 0;  // vCPU-seconds
  double gib_s = 0;   // GiB-seconds
  void running(int vcpus, double memory_bytes, Seconds dt);
  void suspended(double memory_bytes, Seconds dt);
  double cost(const Prices& p) const {
    return vcpu_s / 3600 * p.vcpu_hour + gib_s / 3600 * p.gib_hour;
  }
};

}  // namespace rejuv::sim::autoscale
