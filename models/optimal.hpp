#pragma once
// The best rejuvenation schedule of one strategy under aging: T_vmm*, T_os* and the number of
// spare hosts, for a cluster of m hosts (models/aging.hpp gives the index of any schedule).
//
// How it is found:
// - Warm, migration and live are separable: their loss per unit time is V(T_vmm) + φ(T_vmm)·ℓ(T_os)
//   with φ > 0 the share of time the VMs run, so T_os* minimises the OS's own rate ℓ, and then
//   T_vmm* minimises V + φ·ℓ(T_os*). Each is the renewal–reward ratio
//   (a·S(T) + b·F(T)) / ∫_0^T S (a: a rejuvenation's cost, b: a crash's, net of the OS time they
//   stop), whose minimum is the point of the scaled TTT plot with the steepest line from (−a/(b−a), 0)
//   (Dohi, Goševa-Popstojanova and Trivedi, PRDC 2000). With an increasing hazard it has one
//   minimum; with b ≤ a, or a constant hazard, no finite interval beats never rejuvenating.
//   Parametric laws: a log-spaced scan, then Boost.Math's Brent minimiser; a Kaplan–Meier
//   estimate: every observed crash time, exactly (the minimum of the ratio is at one of them).
// - Cold reboots every OS with the VMM, so its OS rejuvenations are placed between cold reboots:
//   k of them evenly spaced, T_os = (T_vmm − D_c(n))/(k + 1), k = 0, 1, 2, … searched exactly, a
//   Brent search over T_vmm for each (k = 0: T_os = never, the cold reboot renews the OS).
// - Migration strategies need spares: one spare serves T_vmm / busy hosts (busy = the moves and
//   the emptied host's reboot), so s spares allow T_vmm ≥ m·busy/s. Spares are searched exactly,
//   1 … until the unconstrained T_vmm* fits (more only cost (m − s)/m), or --spares-max.
// - A minimum availability: the downtime's weight is raised (a Lagrange multiplier, bisected)
//   until the schedule meets it; if no weight does, the plan is infeasible and says so.
// - Cost: lost requests × price + spares × price per hour; the schedule for a given number of
//   spares is the index's, so only the spare count and the ranking change.
// An interval is searched only where its aging law is given; otherwise it stays at the file's.
#include <memory>
#include <optional>
#include <string>

#include "models/aging.hpp"

namespace rejuv {

enum class Objective { Index, Cost };

struct PlanSettings {
  Objective objective = Objective::Index;
  double request_price = 0;     // per lost request (cost objective)
  double spare_host_price = 0;  // per spare host and hour (cost objective)
  std::optional<double> min_availability;  // seed 003's A, in (0, 1)
  int spares_max = 0;                      // 0: no limit
  std::optional<Seconds> spare_reboot;     // the emptied host's VMM reboot; default D_c(n)
};

struct StrategyPlan {
  Strategy strategy = Strategy::Warm;
  Seconds T_vmm = 0, T_os = 0;  // kNever: never rejuvenated
  int spares = 0;               // 0 for warm and cold
  AgingTerms terms;
  double index = 0;
  double cost_per_hour = 0;
  int os_between_cold_reboots = -1;  // cold only: k
  bool T_vmm_searched = false, T_os_searched = false;
  bool spare_limited = false;   // T_vmm is where the spares keep up, above the unconstrained optimum
  bool feasible = true;         // false: no schedule meets the availability target
  double downtime_weight = 1;   // 1 + the Lagrange multiplier of the availability target
};

// The time one spare is taken per host rejuvenation: the group's move(s) and the emptied host's
// reboot; 0 for warm and cold.
Seconds spare_busy(const Params& p, Strategy s, const PlanSettings& o);

// The best schedule of strategy s for m hosts. p's T_vmm and T_os are where intervals without an
// aging law stay. Throws std::invalid_argument for m below 2 or a law whose hazard decreases.
StrategyPlan optimise(const Params& p, Strategy s, const AgingModel& a, long long m, const PlanSettings& o);

// The same, kept for many host counts: the intervals do not depend on m (only the spares do), so
// they are searched once; a crossover scan asks at hundreds of host counts.
class StrategyOptimiser {
 public:
  StrategyOptimiser(const Params& p, Strategy s, const AgingModel& a, const PlanSettings& o);
  StrategyPlan at(long long m) const;
  class Impl;

 private:
  std::shared_ptr<const Impl> impl_;
  std::optional<double> min_availability_;
  bool spares_ = false;
};

// The TTT form's costs (a: a rejuvenation's, b: a crash's, each net of the OS time it stops, with
// downtime weighted) and its fixed point −β on the horizontal axis, β = a/(b − a); none when b ≤ a.
struct TttCosts {
  double a = 0, b = 0;
  std::optional<double> beta() const;
};
TttCosts os_ttt_costs(const Params& p, const AgingModel& a, double downtime_weight = 1);
// For the VMM of warm, migration and live at T_os; nullopt for cold, whose OS windows are no TTT ratio.
std::optional<TttCosts> vmm_ttt_costs(const Params& p, Strategy s, const AgingModel& a, Seconds T_os,
                                      double downtime_weight = 1);

// cost per hour of a schedule: lost requests (m·p·(1 − index) per second) and spare hosts.
double cost_per_hour(const Params& p, double index, long long m, int spares, const PlanSettings& o);

}  // namespace rejuv
