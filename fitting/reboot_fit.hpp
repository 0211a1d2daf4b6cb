#pragma once
// From a measured reboot curve to the Reboot parameters of seed 003 §3.1–3.2 and §4.1:
//   warm: D_w(n), R_vmm, ω     cold: D_c(n), R'_vmm, ω'     (the host series around
//   vmm_reboot_start) os:   D_os, R_os, δ        (the rebooted VM and the host around
//   os_reboot_start)
// The edges are found on a running median of the samples (so one noisy sample moves no edge), each
// placed halfway between the last sample on one side of its threshold and the first on the other;
// the baseline and the means use the raw samples.
#include <string>
#include <string_view>

#include "fitting/curve_set.hpp"
#include "models/params.hpp"

namespace rejuv::fitting {

enum class RebootKind { Warm, Cold, Os };
std::string_view name(RebootKind k);
const char* start_event(RebootKind k);  // vmm_reboot_start, or os_reboot_start for os

struct RebootFitOptions {
  Seconds baseline_window = 60;  // the baseline p is the median of the samples in [t0 − window, t0)
  double recovery_fraction = 0.10;  // down until throughput rises above this fraction of baseline
  double band = 0.95;  // degraded until throughput stays at or above band·baseline …
  Seconds hold = 30;   // … for this long
  int smooth = 5;      // running median width (samples) used to find the edges
  int min_baseline_samples = 3;
  int vms = 0;  // n for os (0: the number of vmK columns)
};

// How each edge was found: the thresholds and the times, for the fit report.
struct RebootEdges {
  Seconds event_time = 0;     // t0: the start event
  Seconds recovery_time = 0;  // first time the (smoothed) series rises above recovery_fraction·p
  Seconds settle_time = 0;    // start of the first stretch of `hold` s at or above band·p
  double recovery_threshold = 0, band_threshold = 0;
  int baseline_samples = 0;
};

struct RebootFit {
  RebootKind kind = RebootKind::Warm;
  Reboot reboot;        // what goes into the parameter file
  double baseline = 0;  // p of the fitted series: the host's (warm, cold) or the rebooted VM's (os)
  std::string series;   // the series the edges were found on
  RebootEdges edges;
  double mean_degraded = 0;  // mean throughput over the degraded period (warm, cold)
  // os only (§4.1): while one OS reboots, the other n − 1 VMs are degraded, so
  // R_os = (n − 1)·D_os + R_cache and δ is the period-weighted mean of the two degradations.
  int vms = 0;
  double host_baseline = 0;       // p of the host, before the event
  double others_degradation = 0;  // 1 − mean(host − rebooted VM during D_os) / (p_host − p_vm)
  Seconds cache_period = 0;       // the rebooted VM's own degraded period after it is back
  double cache_degradation = 0;
};

RebootFit fit_reboot(const CurveSet& cs, RebootKind kind, const RebootFitOptions& o = {});

nlohmann::json to_json(const RebootFit& f);  // the fit report
nlohmann::json to_params_json(
    const Reboot& r);  // {"downtime":…, "degraded_period":…, "degradation":…}

}  // namespace rejuv::fitting
