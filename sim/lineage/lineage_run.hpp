#pragma once
// Runs a "kind": "lineage" scenario: every pipeline's requests under every policy, each policy on a
// world of its own (or, given a backend, one after another on it). Writes summary.json (one result
// per pipeline and policy) and trace.txt (figures 4, 6 and 8 of seed 000, for each request that
// ran once, and for the first requests with failures of a schedule).
#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"

namespace rejuv::sim {

// Reads and checks the scenario without running it. Throws InputError.
void check_lineage(const nlohmann::json& doc);
OutputFiles run_lineage(const nlohmann::json& doc, const RunOptions& options);

// `rejuv sweep`: one row per pipeline and policy, the policies run one after another on the
// calling thread.
inline constexpr const char* kLineageSweepColumns =
    "pipeline,policy,seed,requests,completed,substitutions,lack_of_elements,failures_seen,wrong_results,"
    "extra_time_mean_s,extra_time_p99_s,chosen_hosts,chosen_failed_within_window";
std::string lineage_sweep_rows(const nlohmann::json& doc);

// How many requests the scenario's schedules make (for a caller that wants to keep runs small).
size_t lineage_request_count(const nlohmann::json& doc);

}  // namespace rejuv::sim
