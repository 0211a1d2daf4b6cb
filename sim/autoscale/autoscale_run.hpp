#pragma once
// Runs a "kind": "autoscale" scenario: every strategy, one after another (on the backend the
// options give, or each on its own simulated world); writes summary.json and timeline.csv, both
// labelled simulated. The functions a kind provides to the scenario table (sim/scenario.cpp).
#include <nlohmann/json.hpp>
#include <string>

#include "sim/autoscale/autoscale_sim.hpp"
#include "sim/scenario.hpp"

namespace rejuv::sim {

// Reads and checks the scenario without running it (load traces from CSV files included).
void check_autoscale(const nlohmann::json& doc);
OutputFiles run_autoscale(const nlohmann::json& doc, const RunOptions& options);

// One strategy's object of summary.json's "results".
nlohmann::json summarize_autoscale(const autoscale::AutoscaleScenario& sc,
                                   const autoscale::AutoscaleResult& r);

// A sweep point's rows: one per strategy, the columns below (without the swept keys).
inline constexpr const char* kAutoscaleSweepColumns =
    "strategy,seed,scale_out_s,copy_s,boot_s,start_s,cpu_s,peak_memory_mib,vcpu_s,gib_s,cost,"
    "unserved_request_s,scale_outs,scale_ins";
std::string autoscale_sweep_rows(const nlohmann::json& doc);

}  // namespace rejuv::sim
