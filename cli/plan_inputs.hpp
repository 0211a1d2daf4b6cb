#pragma once
// What `rejuv plan` reads: a parameter file or a rejuvenation scenario (whose "aging" block is the
// default aging model), an aging file (--aging), and observed crash times (--crash-times). Aging
// laws arrive as sim::Distribution (the simulator's reader and its distributions) and are turned
// into models' AgingLaw here, at the edge, so that models/ knows nothing of sim/.
#include <optional>
#include <string>
#include <vector>

#include "models/aging.hpp"
#include "models/ttt.hpp"
#include "sim/distribution.hpp"

namespace rejuv::cli {

struct LawSource {
  std::string where;                       // "scenarios/plan-aging.json: /aging/vmm", "crash.csv"
  std::optional<sim::Distribution> dist;   // the parametric law as the simulator takes it
  std::vector<CrashObservation> observed;  // crash times behind a Kaplan–Meier law
};

struct PlanInputs {
  Params params;
  nlohmann::json doc;       // the file as read (a scenario after "extends"), for the simulator
  bool is_scenario = false;
  AgingModel aging;
  std::optional<LawSource> vmm, os;
};

// Reads everything; every problem is a CliError (exit 2) naming the file and the JSON pointer or
// file:line:column, thrown before anything is written.
PlanInputs read_plan_inputs(const std::string& file, const std::string& aging_file, const std::string& crash_file);

// A simulator distribution of the time to crash as an aging law; `where` names its JSON object.
// Refuses a fixed time and a decreasing hazard (no optimum to plan), with the pointer of the key.
AgingLaw aging_law_of(const sim::Distribution& d, const std::string& where);

// "3.2 d", "5.0 h", "never".
std::string duration_text(Seconds s);

}  // namespace rejuv::cli
