#pragma once
// Runs a "rejuvenation" scenario: every strategy, every replication; writes summary.json and
// timeline.csv (labelled simulated).
#include "sim/cluster/cluster_run.hpp"
#include "sim/scenario.hpp"

namespace rejuv::sim {

// The "rejuvenation" row of the kind table (sim/scenario.hpp).
void check_rejuvenation(const nlohmann::json& doc);
OutputFiles run_rejuvenation(const nlohmann::json& doc, const RunOptions& options);
inline constexpr const char* kRejuvenationSweepColumns =
    "strategy,seed,index,closed_form_index,availability,mean_throughput,late_rejuvenations,mean_lateness_s,"
    "max_lateness_s,spare_saturation_hosts,events,index_ci95_half_width";
// One row per strategy, its replications run one after another.
std::string rejuvenation_sweep_rows(const nlohmann::json& doc);

// The summary of one strategy over its replications, as it appears in summary.json.
nlohmann::json summarize(const RejuvenationScenario& sc, Strategy s, const std::vector<RunResult>& runs);

}  // namespace rejuv::sim
