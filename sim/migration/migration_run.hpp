#pragma once
// Runs a "migration" scenario (migration_scenario.hpp) on the backend RunOptions names, or on its
// own SimulatedBackend: writes measured.csv (one row per migration: the point, the outcome, the
// hypervisor's job statistics and the model's prediction) and summary.json.
#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"

namespace rejuv::sim {

OutputFiles run_migration(const nlohmann::json& doc, const RunOptions& options);

}  // namespace rejuv::sim
