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

}  // namespace rejuv::sim
