#pragma once
// Runs a "migration" scenario (migration_scenario.hpp) on the backend RunOptions names, or on its
// own SimulatedBackend: writes measured.csv (one row per migration: the point, the outcome, the
// hypervisor's job statistics and the model's prediction) and summary.json.
#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"

namespace rejuv::sim {

OutputFiles run_migration(const nlohmann::json& doc, const RunOptions& options);
// Parses the scenario (and reads its XML template, if any) without running it.
void check_migration(const nlohmann::json& doc);
// `rejuv sweep`: one row per grid point, the model's prediction (no backend is involved).
inline constexpr const char* kMigrationSweepColumns =
    "memory_mib,fill_mib,dirty_mibps,bandwidth,downtime_limit_ms,seed,predicted_total_s,predicted_downtime_s,"
    "predicted_iterations";
std::string migration_sweep_rows(const nlohmann::json& doc);

}  // namespace rejuv::sim
