#pragma once
// A "kind": "rejuvenation" scenario: the parameter format of models/ (inline or through "extends"),
// where any duration may be a distribution, plus what the simulator needs to run it.
#include <nlohmann/json.hpp>
#include <filesystem>
#include <optional>
#include <vector>

#include "models/params.hpp"
#include "models/throughput.hpp"
#include "sim/cluster/precopy.hpp"
#include "sim/distribution.hpp"

namespace rejuv::sim {

enum class Stagger { Even, Random, Aligned };
enum class Detail { Host, Vm };

// Every duration of the model, fixed or drawn. The Params keep the means (for the closed forms).
struct Durations {
  Distribution os_down, os_degraded;
  Distribution warm_down, warm_degraded;
  Distribution cold_down, cold_degraded;
  Distribution migration_down;              // D_m; a migration takes n·D_m at host level
  Distribution live_total, live_rc_total;  // M_l of live and live_rate_control
  Distribution spare_reboot;                // the VMM reboot of a host emptied by migration
};

// Hardware failures of hosts (beyond the paper).
struct Failures {
  bool enabled = false;
  double annual_rate = 0.08;  // fraction of servers that fail in a year: the lineage paper (seed 000 §1) and Vishwanath & Nagappan, SoCC 2010
  double weibull_shape = 1;   // 1: exponential; otherwise Weibull with P(fail within a year) = annual_rate
  double repeat_factor = 2;   // hazard multiplier once a host has failed (assumption; see README)
  Distribution repair = Distribution::exponential(4 * 3600.0);
};

// Aging failures: time to crash since the last rejuvenation, Weibull (shape > 1: the hazard grows).
struct Aging {
  std::optional<Distribution> vmm;  // per host, reset by every VMM rejuvenation
  std::optional<Distribution> os;   // per VM group (host level) or VM, reset by every OS reboot
};

struct RejuvenationScenario {
  Params params;  // with the means of any distributions
  Durations durations;
  std::vector<Strategy> strategies;
  Seconds horizon = 0;
  uint64_t seed = 0;
  int replications = 1;
  Stagger stagger = Stagger::Even;
  Detail detail = Detail::Host;
  Failures failures;
  Aging aging;
  int timeline_rows = 1000;
  // "precopy": live_rate_control's M(i) and the VM's final downtime come from the pre-copy model
  // (every VM alike) instead of Table 1's M(i) and the measured M_l.
  std::optional<PrecopyConfig> precopy;
  PrecopyResult precopy_result;
  // True when every duration is fixed and no failure or aging process runs: the closed form applies.
  bool deterministic() const;
};

// `doc` is the scenario after "extends" was merged in. Throws InputError with the JSON path, also
// for a run that would not end in reasonable time (more than kMaxEventsPerRun expected events).
RejuvenationScenario parse_rejuvenation_scenario(const nlohmann::json& doc);

// About how many events one run of one strategy takes (within a factor of a few): hosts × horizon ×
// (the VMM moves per T_vmm, the OS rejuvenations per T_os, the aging crashes and failures). A
// degenerate scenario (T_os of 1e-300 s, an aging scale near 0) gives a huge or infinite count.
double expected_events(const RejuvenationScenario& sc);
// 10^11 events is hours of engine time; the largest runs the README describes need ~4·10^9.
inline constexpr double kMaxEventsPerRun = 1e11;

std::string_view name(Stagger s);
std::string_view name(Detail d);

}  // namespace rejuv::sim
