#pragma once
// Seed 003's index per strategy, extended with aging crashes by renewal–reward (Huang, Kintala,
// Kolettis and Fulton, FTCS 1995; Dohi, Goševa-Popstojanova and Trivedi, PRDC 2000).
//
// VMM: a renewal cycle starts when a VMM reboot starts (a rejuvenation, or the recovery from a
// crash) and lasts C = min(X, T_vmm), X ~ F_vmm the VMM's age at its crash. It ends with a
// rejuvenation (probability S(T_vmm)), costing what seed 003 books for it, or with a crash
// (F(T_vmm)), costing detection plus a cold reboot of the host (its VMs die with it). Per unit time:
//   vmm terms = (cost_rejuvenation · S(T) + cost_crash · F(T)) / E[C],   E[C] = ∫_0^T S(t) dt.
// OS: the same with T_os, F_os, and an OS reboot (plus detection) for a crash. Its clock runs while
// its VM runs: warm stops it for D_w(n) (the VMs are suspended), migration for D_m per move, live
// migration never; for these the OS terms are the OS's long-run rate times the share of time its
// VM runs, 1 − (stopped · S(T) + crash downtime · F(T)) / E[C]. Cold is different: every cold
// reboot (rejuvenation or crash) boots the OSes afresh, so each VMM cycle holds one OS window of
// length C − D (D the reboot that began the cycle), whose counts come from the OS's renewal
// function (models/os_window.hpp) or, without OS aging, from Σ_k P(C ≥ D + k T_os).
//
// A VMM crash cold-boots its VMs under every strategy, renewing their OSes: for warm, migration and
// live the OS's cycle is cut at such crashes too, taken as a Poisson process of the VMMs' crash
// rate (exact for an exponential VMM law; the README quantifies the rest).
//
// With no aging (S ≡ 1) every term is seed 003's: E[C] = T_vmm, N = N_w, ⌊N_c⌋, N_m, N_l (a test
// holds them to 1e-12). Left out, and said so in the README: a VM's OS does not age while its VM
// is suspended; a spare's VMM ages while idle, but its crash costs nothing.
#include <optional>

#include "models/aging_law.hpp"
#include "models/throughput.hpp"

namespace rejuv {

struct AgingModel {
  std::optional<AgingLaw> vmm;  // time to a VMM aging crash since its last renewal, per host
  std::optional<AgingLaw> os;   // time to an OS aging crash since its last renewal, per VM
  // How long a crash goes unnoticed before its recovery reboot starts (the VMs serve nothing).
  Seconds vmm_detection = 0, os_detection = 0;
};

// What one VMM cycle's end costs: downtime and degradation (fractions of a host's p times
// seconds), how long the VMs' OS clocks stop, and whether it boots the OSes afresh.
struct CycleEnd {
  Seconds down = 0;
  double degraded = 0;  // ω R_vmm, ω' R'_vmm, γ (n − 1) D_m, γ' M_l
  Seconds stopped = 0;
  bool renews_os = false;
};
CycleEnd rejuvenation_end(const Params& p, Strategy s);  // seed 003's costs (× 2 moves for return-back)
CycleEnd vmm_crash_end(const Params& p, const AgingModel& a);  // detection + cold reboot
// What an OS rejuvenation and an OS crash cost (downtime, δ R_os).
CycleEnd os_rejuvenation_end(const Params& p);
CycleEnd os_crash_end(const Params& p, const AgingModel& a);

struct AgingTerms {
  Strategy strategy = Strategy::Warm;
  double availability = 1;
  double unavailability = 0;  // 1 − availability, kept apart so that small losses keep their digits
  double vmm_degradation = 0;
  double os_degradation = 0;
  double N_os = 0;                  // expected OS rejuvenations per VMM cycle
  Seconds vmm_cycle = 0;            // E[min(X_vmm, T_vmm)] (kNever when no VMM event ever happens)
  double vmm_crash_share = 0;       // F_vmm(T_vmm): the share of VMM cycles a crash ends
  double vmm_crashes_per_year = 0;  // per host
  double os_crashes_per_year = 0;   // per VM group (the n OSes of one host count as one, as in seed 003)
  double per_host() const { return availability - vmm_degradation - os_degradation; }
  // 1 − per_host, summed from small terms: what an optimum minimises.
  double loss() const { return unavailability + vmm_degradation + os_degradation; }
};

// The OS's loss per unit of its own clock (downtime weighted by `downtime_weight`, plus δ R_os
// degradation) at T_os, when VMM crashes renew it at rate κ: what the terms below use for warm,
// migration and live.
double os_loss_rate(const Params& p, const AgingModel& a, Seconds T_os, double kappa, double downtime_weight = 1);

// The terms at p.T_vmm and p.T_os; either may be kNever (never rejuvenated). Without aging laws
// they equal terms(p, s).
AgingTerms aging_terms(const Params& p, Strategy s, const AgingModel& a);
// P / (m·p): per_host · serving hosts / m, as index() in models/throughput.hpp.
double aging_index(const Params& p, const AgingTerms& t, double m);

}  // namespace rejuv
