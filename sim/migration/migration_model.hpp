#pragma once
// One live migration of the rig's dirtying guest as the pre-copy model sees it (QEMU's stop rule):
// what a grid point asks for, the model's free parameters, and the PrecopyConfig they make.
//
// QEMU sends a page the guest never wrote as a few bytes (a zero page), so the first round carries
// the memory the guest has written, not its size: the fill plus what the kernel and initramfs wrote
// (`base`). The rest comes from the grid point: the working set is the fill, the bandwidth limit is
// QEMU's max-bandwidth (or Xen-like rate control from 100 toward 500 Mbit/s, as the adapter's
// RateControl does it), the downtime limit is QEMU's.
#include "models/units.hpp"
#include "sim/cluster/precopy.hpp"

namespace rejuv::sim {

struct MigrationPoint {
  double memory_bytes = 0;    // the guest's memory
  double fill_bytes = 0;      // what the guest filled and dirties (its working set)
  double dirty_rate_Bps = 0;  // pages rewritten per second, in bytes
  double bandwidth_Bps = 0;   // QEMU's max-bandwidth; ignored with rate_control
  bool rate_control = false;  // Xen-like: 100 Mbit/s raised toward 500 Mbit/s with the dirty rate
  Seconds downtime_limit_s = 0.3;
};

// The free parameters a measured grid fits (rejuv migration-fit).
struct MigrationModel {
  double link_rate_bps = 1e9;       // effective bandwidth: what the channel carries at most
  Seconds resume_s = 0.2;           // fixed part of the downtime
  double dirty_overlap = 0;         // pages dirtied before their turn in a round (sent once)
  double base_bytes = 64 * 1048576.0;  // memory the guest wrote beyond its fill
};

PrecopyConfig precopy_config(const MigrationPoint& point, const MigrationModel& model);

}  // namespace rejuv::sim
