#pragma once
// Scenario files: read one (resolving "extends"), and run it by its "kind". Each kind is one row of
// the table in scenario.cpp; the lineage, autoscale and real-backend kinds slot in the same way.
#include <nlohmann/json.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rejuv::sim {

namespace backends {
class Backend;
}

struct RunOptions {
  std::optional<uint64_t> seed;  // overrides the scenario's "seed"
  bool progress = true;          // a progress line on stderr for runs longer than a second
  unsigned workers = 0;          // threads for independent runs; 0: every core
  // The world the scenario acts on (sim/backends/backend.hpp). Null: each run makes its own
  // SimulatedBackend. Given (`rejuv validate` passes a real one, wrapped in a Recording), the runs
  // act on it one after another, on one thread, and it must be empty of domains at the start.
  backends::Backend* backend = nullptr;
  // When set, the runner writes what each run held in memory here, as a table (rejuv run --stats).
  std::string* stats = nullptr;
};

// Output files by name ("summary.json", "timeline.csv") with their whole content; the caller writes
// them, so nothing is written unless the run completed.
using OutputFiles = std::vector<std::pair<std::string, std::string>>;

// Reads a scenario. "extends": "<path>" (relative to the scenario's folder) names a JSON file the
// scenario is merged onto (RFC 7386 merge patch: inline keys override, objects merge key by key).
// Throws InputError: "file:line:column" for malformed JSON, "/extends" for a missing base file.
nlohmann::json read_scenario(const std::filesystem::path& file);

// Runs the scenario by its "kind". Throws InputError with the JSON path for bad content.
OutputFiles run_scenario(const nlohmann::json& doc, const RunOptions& options);

// The kinds run_scenario knows, for messages and --help.
std::vector<std::string> scenario_kinds();

}  // namespace rejuv::sim
