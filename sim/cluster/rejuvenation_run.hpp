#pragma once
// Runs a "rejuvenation" scenario: every strategy, every replication; writes summary.json and
// timeline.csv (labelled simulated).
#include "sim/cluster/cluster_run.hpp"
#include "sim/scenario.hpp"

namespace rejuv::sim {

OutputFiles run_rejuvenation(const nlohmann::json& doc, const RunOptions& options);

// The summary of one strategy over its replications, as it appears in summary.json.
nlohmann::json summarize(const RejuvenationScenario& sc, Strategy s, const std::vector<RunResult>& runs);

}  // namespace rejuv::sim
