#pragma once
// Pre-copy live migration of one VM, as a deterministic round-by-round fluid model: how long the
// move takes (M(i) of Table 1, seed 003 §4.2) and how long the VM is stopped (its downtime).
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

#include "models/units.hpp"

namespace rejuv::sim {

struct PrecopyConfig {
  double memory_bytes = 0;
  // Distinct bytes the running VM dirties per second. Within one round the dirtied set grows at
  // this rate until it covers the whole memory (a page dirtied twice is resent once).
  double dirty_rate_Bps = 0;
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
  // Fixed part of the downtime: suspending the VM, sending its execution state, resuming it on
  // the destination. Seed 002 §4 measured a downtime of about 0.2 s whatever the memory size;
  // a converged migration's last round carries at most stop_pages pages (200 KiB, 3.3 ms at
  // 500 Mbit/s), so nearly all of the 0.2 s is this fixed part.
  Seconds resume_s = 0.2;
};

// Why the live rounds ended.
enum class PrecopyStop : uint8_t { few_pages_left, not_converging, max_factor, max_rounds };

struct PrecopyResult {
  Seconds total_time_s = 0;  // M(i): first page sent until the VM runs on the destination
  Seconds downtime_s = 0;    // the stop-and-copy round plus resume_s
  int rounds = 0;            // all rounds, the stop-and-copy round included
  double bytes_sent = 0;
  double peak_rate_bps = 0;  // the highest rate of a live round (0 when there was none)
  PrecopyStop stop = PrecopyStop::few_pages_left;
};

// Throws std::invalid_argument for a configuration parse_precopy would refuse.
PrecopyResult simulate_precopy(const PrecopyConfig& config);

// Reads {"memory": "1GiB", "dirty_rate": "20MB/s", "rate_control": true, "min_rate": "100Mbit/s",
// "max_rate": "500Mbit/s", "rate_step": "50Mbit/s", "link_rate": "1Gbit/s", "page_size": "4KiB",
// "stop_pages": 50, "max_rounds": 30, "max_factor": 3, "resume": "0.2s"}. memory and dirty_rate
// are required, the rest default as in PrecopyConfig; keys starting with "_" are comments; any
// other key is an error. Throws InputError(where + "/key", "expected ..., got ...").
PrecopyConfig parse_precopy(const nlohmann::json& obj, const std::string& where);

}  // namespace rejuv::sim
