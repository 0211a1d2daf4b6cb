#pragma once
// Scenarios built in code from the paper's parameter file, for the simulator's tests.
#include "paper_params.hpp"
#include "sim/cluster/cluster_run.hpp"

namespace rejuv::testing {

// The paper's parameters with scenario keys added; `overrides` is merged on top (RFC 7386).
inline nlohmann::json paper_scenario(const nlohmann::json& overrides = nlohmann::json::object()) {
  nlohmann::json doc = paper_json();
  doc["kind"] = "rejuvenation";
  doc["strategies"] = {"warm", "cold", "migration", "live", "live_rate_control"};
  doc["horizon"] = "365d";
  doc["seed"] = 42;
  doc.merge_patch(overrides);
  return doc;
}

inline sim::RejuvenationScenario scenario(const nlohmann::json& overrides = nlohmann::json::object()) {
  return sim::parse_rejuvenation_scenario(paper_scenario(overrides));
}

}  // namespace rejuv::testing
