#include "models/consistency.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/input_error.hpp"

namespace rejuv {

namespace {

std::string block(Strategy s) { return fmt::format("/{}", name(s)); }

// "downtime + degraded_period ≤ interval": a rejuvenation that is not over when the next is due
// makes the paper's per-interval accounting count more loss than there is time.
void within(const std::string& at, const char* what, Seconds down, Seconds degraded, const char* interval,
            Seconds T) {
  if (down + degraded <= T) return;
  throw InputError(at, fmt::format("expected downtime + degraded_period ≤ {} ({}), got {:g} s + {:g} s = {:g} s > {:g} s",
                                   interval, what, down, degraded, down + degraded, T));
}

void curves_within(const std::string& at, const Params& p, const MigrationCurves& c) {
  if (!c.M) return;
  double sum = 0;
  for (int i = 1; i <= p.vms_per_host; ++i) sum += (*c.M)(i);
  if (!(sum <= p.T_vmm))
    throw InputError(at + "/curves/M",
                     fmt::format("expected the moves of the n = {} VMs to take at most T_vmm = {:g} s, got ΣM(i) = {:g} s",
                                 p.vms_per_host, p.T_vmm, sum));
}

void fraction_derived(const std::string& at, const char* symbol, const std::optional<double>& measured, double g) {
  if (measured || (std::isfinite(g) && g >= 0 && g <= 1)) return;
  throw InputError(at + "/curves",
                   fmt::format("expected curves that give {} in [0, 1] (the fraction of throughput lost while moving), "
                               "got {} = {:g}: the VMs would serve more than host_throughput while moving",
                               symbol, symbol, g));
}

}  // namespace

void check_os(const Params& p) {
  const double N = p.T_vmm / p.T_os;
  if (!std::isfinite(N))
    throw InputError("/T_os", fmt::format("expected T_vmm / T_os (OS rejuvenations per VMM rejuvenation) to be finite, "
                                          "got {:g} s / {:g} s", p.T_vmm, p.T_os));
  within("/os", "an OS rejuvenation ends before the next is due", p.os.downtime, p.os.degraded_period, "T_os",
         p.T_os);
}

void check_strategy(const Params& p, Strategy s) {
  const std::string at = block(s);
  const int n = p.vms_per_host;
  switch (s) {
    case Strategy::Warm:
      within(at, "a VMM rejuvenation ends before the next is due", p.warm.downtime, p.warm.degraded_period, "T_vmm",
             p.T_vmm);
      break;
    case Strategy::Cold:
      within(at, "a VMM rejuvenation ends before the next is due", p.cold.downtime, p.cold.degraded_period, "T_vmm",
             p.T_vmm);
      break;
    case Strategy::Migration:
      if (!(n * p.migration.downtime <= p.T_vmm))
        throw InputError(at + "/downtime",
                         fmt::format("expected moving a host's n = {} VMs, n·D_m, to take at most T_vmm = {:g} s, got {:g} s",
                                     n, p.T_vmm, n * p.migration.downtime));
      if (p.migration.total_time && !(*p.migration.total_time <= p.T_vmm))
        throw InputError(at + "/total_time", fmt::format("expected at most T_vmm = {:g} s, got {:g} s", p.T_vmm,
                                                         *p.migration.total_time));
      curves_within(at, p, p.migration.curves);
      if (!p.migration.gamma) fraction_derived(at, "γ", p.migration.gamma, gamma_derived(p));
      break;
    case Strategy::Live:
    case Strategy::LiveRateControl: {
      const LiveMigration& l = s == Strategy::Live ? p.live : p.live_rate_control;
      if (!(l.total_time <= p.T_vmm))
        throw InputError(at + "/total_time",
                         fmt::format("expected M_l at most T_vmm = {:g} s (a host's VMs are moved once per VMM "
                                     "rejuvenation), got {:g} s", p.T_vmm, l.total_time));
      curves_within(at, p, l.curves);
      if (!l.gamma) fraction_derived(at, "γ'", l.gamma, gamma_prime_derived(p, l));
      break;
    }
  }
  const Terms t = terms(p, s);
  for (const double x : {t.N_os, t.availability, t.vmm_degradation, t.os_degradation})
    if (!std::isfinite(x))
      throw InputError(at, fmt::format("expected parameters that give finite terms, got availability {:g}, "
                                       "vmm_degradation {:g}, os_degradation {:g} ({:g} OS rejuvenations per T_vmm)",
                                       t.availability, t.vmm_degradation, t.os_degradation, t.N_os));
  // The paper adds the losses up without overlap; past 100 % of T_vmm the index would be negative.
  if (t.per_host() < 0)
    throw InputError(at, fmt::format("expected the losses per T_vmm to add up to at most T_vmm, got an index per "
                                     "serving host of {:g} (availability {:g} − vmm_degradation {:g} − "
                                     "os_degradation {:g})",
                                     t.per_host(), t.availability, t.vmm_degradation, t.os_degradation));
}

void check_params(const Params& p) {
  check_os(p);
  for (Strategy s : kStrategies) check_strategy(p, s);
}

}  // namespace rejuv
