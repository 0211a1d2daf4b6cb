#include "fitting/reboot_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/input_error.hpp"

namespace rejuv::fitting {

std::string_view name(RebootKind k) {
  switch (k) {
    case RebootKind::Warm:
      return "warm";
    case RebootKind::Cold:
      return "cold";
    case RebootKind::Os:
      return "os";
  }
  return "?";
}

const char* start_event(RebootKind k) {
  return k == RebootKind::Os ? "os_reboot_start" : "vmm_reboot_start";
}

namespace {

// Centered running median over `width` samples (fewer at the ends).
std::vector<double> running_median(const std::vector<double>& y, int width) {
  if (width <= 1) return y;
  const long h = width / 2, n = static_cast<long>(y.size());
  std::vector<double> out(y.size());
  for (long k = 0; k < n; ++k) {
    const long a = std::max(0L, k - h), b = std::min(n, k + h + 1);
    out[static_cast<size_t>(k)] = median(std::vector<double>(y.begin() + a, y.begin() + b));
  }
  return out;
}

double baseline(const CurveSet& cs, const Series& s, const Event& e, const RebootFitOptions& o,
                int* count) {
  auto v = samples_in(s, e.time - o.baseline_window, e.time);
  *count = static_cast<int>(v.size());
  if (static_cast<int>(v.size()) < o.min_baseline_samples)
    throw InputError::in_file(cs.throughput_file.string(),
                     fmt::format("series \"{}\" has {} sample(s) in the {} s before {} at t = {} s "
                                 "(events.csv line {}); "
                                 "at least {} are needed for the baseline",
                                 s.name, v.size(), o.baseline_window, e.event, e.time, e.line,
                                 o.min_baseline_samples));
  const double p = median(std::move(v));
  if (!(p > 0))
    throw InputError::in_file(
        cs.throughput_file.string(),
        fmt::format("series \"{}\": expected a baseline > 0 before {} at t = {} s, got {}", s.name,
                    e.event, e.time, p));
  return p;
}

// The edge between samples k − 1 (one side of `level`) and k (the other): halfway, which for a step
// (the model's shape) is unbiased to within half a sample interval, while interpolating the
// crossing of a level would pull a low level's edge early and a high level's late.
double crossing(const Series& s, size_t k, double not_before) {
  if (k == 0) return std::max(not_before, s.t[0]);
  return std::max(not_before, 0.5 * (s.t[k - 1] + s.t[k]));
}

// First time at or after `from` at which the smoothed series rises above `level`.
double recovery(const CurveSet& cs, const Series& s, const std::vector<double>& sm, double from,
                double level, const char* what) {
  for (size_t k = 0; k < s.size(); ++k) {
    if (s.t[k] < from) continue;
    if (sm[k] > level) return (k > 0 && s.t[k - 1] >= from) ? crossing(s, k, from) : from;
  }
  throw InputError::in_file(
      cs.throughput_file.string(),
      fmt::format(
          "series \"{}\" never rises above {:.4g} ({}) after t = {} s; the curve ends at {} s",
          s.name, level, what, from, s.t.empty() ? 0.0 : s.t.back()));
}

// Start of the first stretch of `hold` seconds, at or after `from`, over which the smoothed series
// stays at or above `level`.
double settle(const CurveSet& cs, const Series& s, const std::vector<double>& sm, double from,
              double level, double hold) {
  size_t k0 = 0;
  while (k0 < s.size() && s.t[k0] < from) ++k0;
  constexpr size_t none = static_cast<size_t>(-1);
  size_t start = none;  // first sample of the current run at or above level
  for (size_t k = k0; k < s.size(); ++k) {
    if (sm[k] < level) {
      start = none;
      continue;
    }
    if (start == none) start = k;
    if (s.t[k] - s.t[start] >= hold) return start == k0 ? from : crossing(s, start, from);
  }
  throw InputError::in_file(cs.throughput_file.string(),
                   fmt::format("series \"{}\" never stays at or above {:.4g} for {} s after t = "
                               "{:.4g} s; the curve ends "
                               "at {} s (record longer, or lower --band / --hold)",
                               s.name, level, hold, from, s.t.empty() ? 0.0 : s.t.back()));
}

}  // namespace

RebootFit fit_reboot(const CurveSet& cs, RebootKind kind, const RebootFitOptions& o) {
  RebootFit f;
  f.kind = kind;
  const Event& e = cs.first_event(start_event(kind));
  f.edges.event_time = e.time;

  if (kind != RebootKind::Os) {
    const Series& host = cs.series("host");
    f.series = "host";
    f.baseline = baseline(cs, host, e, o, &f.edges.baseline_samples);
    const auto sm = running_median(host.y, o.smooth);
    f.edges.recovery_threshold = o.recovery_fraction * f.baseline;
    f.edges.band_threshold = o.band * f.baseline;
    f.edges.recovery_time =
        recovery(cs, host, sm, e.time, f.edges.recovery_threshold, "the recovery threshold");
    f.edges.settle_time =
        settle(cs, host, sm, f.edges.recovery_time, f.edges.band_threshold, o.hold);
    f.reboot.downtime = f.edges.recovery_time - e.time;
    f.reboot.degraded_period = f.edges.settle_time - f.edges.recovery_time;
    f.mean_degraded = time_mean(host, f.edges.recovery_time, f.edges.settle_time);
    f.reboot.degradation =
        f.reboot.degraded_period > 0 ? std::clamp(1 - f.mean_degraded / f.baseline, 0.0, 1.0) : 0.0;
    return f;
  }

  // os, §4.1: D_os from the rebooted VM; the other VMs lose throughput while it reboots.
  const Series& vm = cs.series(e.subject);
  const Series& host = cs.series("host");
  f.series = e.subject;
  f.vms = o.vms > 0 ? o.vms : static_cast<int>(cs.vm_columns().size());
  if (f.vms < 2)
    throw InputError::in_file(
        cs.throughput_file.string(),
        fmt::format("an os fit needs n ≥ 2 VMs per host: give --vms or columns vm1…vmN (found {})",
                    f.vms));
  int host_samples = 0;
  f.baseline = baseline(cs, vm, e, o, &f.edges.baseline_samples);
  f.host_baseline = baseline(cs, host, e, o, &host_samples);
  const auto sm = running_median(vm.y, o.smooth);
  f.edges.recovery_threshold = o.recovery_fraction * f.baseline;
  f.edges.band_threshold = o.band * f.baseline;
  f.edges.recovery_time =
      recovery(cs, vm, sm, e.time, f.edges.recovery_threshold, "the recovery threshold");
  f.edges.settle_time = settle(cs, vm, sm, f.edges.recovery_time, f.edges.band_threshold, o.hold);
  const Seconds D_os = f.edges.recovery_time - e.time;
  if (D_os > 0) {
    const double others = time_mean(host, e.time, f.edges.recovery_time) -
                          time_mean(vm, e.time, f.edges.recovery_time);
    const double others_p = f.host_baseline - f.baseline;
    f.others_degradation = others_p > 0 ? std::clamp(1 - others / others_p, 0.0, 1.0) : 0.0;
  }
  f.cache_period = f.edges.settle_time - f.edges.recovery_time;
  if (f.cache_period > 0) {
    f.mean_degraded = time_mean(vm, f.edges.recovery_time, f.edges.settle_time);
    f.cache_degradation = std::clamp(1 - f.mean_degraded / f.baseline, 0.0, 1.0);
  }
  const Seconds others_period = (f.vms - 1) * D_os;  // §4.1: "この期間の合計は (n−1)D_os"
  f.reboot.downtime = D_os;
  f.reboot.degraded_period = others_period + f.cache_period;
  f.reboot.degradation =
      f.reboot.degraded_period > 0
          ? (others_period * f.others_degradation + f.cache_period * f.cache_degradation) /
                f.reboot.degraded_period
          : 0.0;
  return f;
}

nlohmann::json to_params_json(const Reboot& r) {
  return {{"downtime", r.downtime},
          {"degraded_period", r.degraded_period},
          {"degradation", r.degradation}};
}

nlohmann::json to_json(const RebootFit& f) {
  nlohmann::json j = {{"kind", name(f.kind)},
                      {"series", f.series},
                      {"baseline", f.baseline},
                      {"downtime_s", f.reboot.downtime},
                      {"degraded_period_s", f.reboot.degraded_period},
                      {"degradation", f.reboot.degradation},
                      {"edges",
                       {{"event", start_event(f.kind)},
                        {"event_time_s", f.edges.event_time},
                        {"baseline_samples", f.edges.baseline_samples},
                        {"recovery_threshold", f.edges.recovery_threshold},
                        {"recovery_time_s", f.edges.recovery_time},
                        {"band_threshold", f.edges.band_threshold},
                        {"settle_time_s", f.edges.settle_time}}}};
  if (f.kind == RebootKind::Os) {
    j["vms"] = f.vms;
    j["host_baseline"] = f.host_baseline;
    j["others_degradation"] = f.others_degradation;
    j["others_period_s"] = (f.vms - 1) * f.reboot.downtime;
    j["cache_period_s"] = f.cache_period;
    j["cache_degradation"] = f.cache_degradation;
  } else {
    j["mean_degraded"] = f.mean_degraded;
  }
  return j;
}

}  // namespace rejuv::fitting
