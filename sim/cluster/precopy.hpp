#pragma once
// Pre-copy live migration of one VM, as a deterministic round-by-round fluid model: how long the
// move takes (M(i) of Table 1, seed 003 §4.2) and how long the VM is stopped (its downtime).
// Two hypervisors' rules for when to stop iterating: Xen 3.x's (the paper's, the default) and
// QEMU's (`stop_rule = qemu`: stop once the rest fits in the downtime limit).
//
// Seed 003 §3.3: the memory image is sent while the VM runs; pages dirtied meanwhile are resent
// in rounds until the difference is small; then the VM is stopped and the rest, with the
// execution state, is sent. §4.2: Xen's rate control starts at 100 Mbit/s and raises the rate
// toward 500 Mbit/s with the rate at which the moving VM dirties its memory.
//
//   PrecopyResult r = simulate_precopy({.memory_bytes = 1 << 30, .dirty_rate_Bps = 1e6});
//   r.total_time_s;  // 93.6 s: 85.9 s for 1 GiB at 100 Mbit/s, then 8 % of that, 8 % of 8 %...
//   r.downtime_s;    // 0.2007 s: resume_s and the last 44 kB at 500 Mbit/s
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "models/units.hpp"

namespace rejuv::sim {

// When the live rounds end: Xen 3.1's rules (xc_linux_save.c) or QEMU's (migration.c).
enum class PrecopyStopRule : uint8_t { xen, qemu };

struct PrecopyConfig {
  double memory_bytes = 0;
  // Distinct bytes the running VM dirties per second. Within one round the dirtied set grows at
  // this rate until it covers the working set (a page dirtied twice is resent once).
  double dirty_rate_Bps = 0;
  // The memory the VM dirties pages in; 0: all of memory_bytes.
  double working_set_bytes = 0;
  // The fraction of the pages dirtied in a round that were still waiting to be sent in that round
  // (dirtied before their turn, so sent once, with their new content): they add nothing to the
  // next round. 0 resends every dirtied page, the model's bound toward more rounds.
  double dirty_overlap = 0;
  double page_bytes = 4096;
  // Xen 3.x's adaptive rate control (Clark et al., NSDI 2005, §5.1; seed 003 §4.2): the first
  // round at min_rate_bps, each later round at the previous round's observed dirtying rate +
  // rate_step_bps, within [min_rate_bps, max_rate_bps]; the stop-and-copy round at max_rate_bps.
  // Without it every round runs at link_rate_bps. Every rate is also capped by the link.
  bool rate_control = true;
  double min_rate_bps = 100e6;
  double max_rate_bps = 500e6;
  double rate_step_bps = 50e6;
  // Seed 003 §4.2: gigabit Ethernet between the hosts.
  double link_rate_bps = 1e9;
  // When to stop iterating (Xen 3.1 xc_linux_save.c): at most stop_pages pages left to send;
  // the rate can rise no further yet a round dirtied at least what it sent (not converging);
  // more than max_factor × memory sent in all (DEF_MAX_FACTOR 3); or max_rounds rounds in all,
  // the stop-and-copy round included (DEF_MAX_ITERS 29, "limit us to 30 times round loop").
  double stop_pages = 50;
  int max_rounds = 30;
  double max_factor = 3;
  PrecopyStopRule stop_rule = PrecopyStopRule::xen;
  // QEMU's rule (migration_iteration_run, QEMU 7.2): stop when the pending dirty bytes can be
  // sent within downtime_limit_s at the bandwidth measured over the transfer (here: the round's
  // rate); libvirt's migrate-setmaxdowntime, QEMU's default 300 ms. max_factor does not apply
  // (QEMU has no such cap) and a migration that never converges runs until max_rounds, where QEMU
  // would go on until cancelled.
  Seconds downtime_limit_s = 0.3;
  // QEMU's max-bandwidth (libvirt's migrate-setspeed): caps every live round's rate; 0: only the
  // link caps it (libvirt's default lifts QEMU's own 32 MiB/s). QEMU sends the stop-and-copy round
  // without the rate limit (ram_save_complete: "flush all remaining blocks regardless of rate
  // limiting"), so under the qemu rule that round runs at link_rate_bps.
  double max_bandwidth_bps = 0;
  // Fixed part of the downtime: suspending the VM, sending its execution state, resuming it on
  // the destination. Seed 002 §4 measured a downtime of about 0.2 s whatever the memory size;
  // a converged migration's last round carries at most stop_pages pages (200 KiB, 3.3 ms at
  // 500 Mbit/s), so nearly all of the 0.2 s is this fixed part.
  Seconds resume_s = 0.2;
};

// Why the live rounds ended.
enum class PrecopyStop : uint8_t {
  few_pages_left,     // xen: at most stop_pages pages left
  not_converging,     // xen: a round at the top rate dirtied at least what it sent
  max_factor,         // xen: more than max_factor × memory sent
  max_rounds,         // either rule: the round limit
  fits_downtime_limit // qemu: the rest can be sent within downtime_limit_s
};
std::string_view name(PrecopyStop stop);

struct PrecopyResult {
  Seconds total_time_s = 0;  // M(i): first page sent until the VM runs on the destination
  Seconds downtime_s = 0;    // the stop-and-copy round plus resume_s
  int rounds = 0;            // all rounds, the stop-and-copy round included
  double bytes_sent = 0;
  double peak_rate_bps = 0;  // the highest rate of a live round (0 when there was none)
  PrecopyStop stop = PrecopyStop::few_pages_left;
  // The iteration count the hypervisor reports. Xen: the rounds. QEMU (libvirt's
  // memory_iteration, QEMU's dirty-sync-count): the dirty-bitmap syncs, one when the migration
  // sets up, one after each live round, one at stop-and-copy = rounds + 1 (3 for a VM that
  // converges after its first full pass).
  int iterations = 0;
};

// Throws std::invalid_argument for a configuration parse_precopy would refuse.
PrecopyResult simulate_precopy(const PrecopyConfig& config);

// Reads {"memory": "1GiB", "dirty_rate": "20MB/s", "rate_control": true, "min_rate": "100Mbit/s",
// "max_rate": "500Mbit/s", "rate_step": "50Mbit/s", "link_rate": "1Gbit/s", "page_size": "4KiB",
// "stop_pages": 50, "max_rounds": 30, "max_factor": 3, "resume": "0.2s", "stop_rule": "xen",
// "downtime_limit": "300ms", "max_bandwidth": "512Mbit/s", "working_set": "768MiB",
// "dirty_overlap": 0}. memory and dirty_rate are required, the rest default as in PrecopyConfig; keys starting with "_" are comments; any
// other key is an error. Throws InputError(where + "/key", "expected ..., got ...").
PrecopyConfig parse_precopy(const nlohmann::json& obj, const std::string& where);

}  // namespace rejuv::sim
