#pragma once
// Scenario files: read one (resolving "extends"), and run or sweep it by its "kind". Each kind is
// one row of the table in scenario.cpp.
//
// Adding a kind (lineage, autoscale, a real backend) takes:
//   1. a ScenarioKind row in kKinds (scenario.cpp) with the four functions below, written in the
//      kind's own folder (sim/lineage/…), none of which writes a file;
//   2. a shipped example in scenarios/ (tests/test_scenarios.cpp runs every one);
//   3. a fuzz target, fuzz/scenario_<kind>.cpp (see fuzz/README.md): one file.
// `rejuv run` and `rejuv sweep` then take the kind with no other change.
#include <nlohmann/json.hpp>
#include <cstdint>
#include <filesystem>
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

// What a kind provides. Every function gets the scenario after "extends" was merged in, and throws
// InputError naming the JSON path for bad content (a bug, a non-finite result included, is any
// other exception: the CLI reports it as an internal error).
struct ScenarioKind {
  const char* name;  // the value of "kind"
  // Reads and checks everything the run will need, without running it. The sweep calls it for
  // every point before running any, so that a bad point fails before anything is written.
  void (*check)(const nlohmann::json& doc);
  // Runs the scenario: `rejuv run` writes what it returns into its output folder.
  OutputFiles (*run)(const nlohmann::json& doc, const RunOptions& options);
  // The sweep's columns after the swept keys, comma-separated, without a newline
  // ("strategy,seed,index,…"); the first should say what a row is about, "seed" should hold the
  // point's seed.
  const char* sweep_columns;
  // One sweep point's rows, each ending in '\n', without the swept values (the sweep puts them in
  // front). `doc` has the point's values set, and "seed" is the point's seed (derived from the
  // scenario's seed and the point's values, so rows do not depend on who ran them). Runs on one
  // thread of the sweep's pool; it must not start threads of its own.
  std::string (*sweep_rows)(const nlohmann::json& doc);
};

// Reads a scenario. "extends": "<path>" (relative to the scenario's folder) names a JSON file the
// scenario is merged onto (RFC 7386 merge patch: inline keys override, objects merge key by key).
// Throws InputError: "file:line:column" for malformed JSON, "/extends" for a missing base file.
nlohmann::json read_scenario(const std::filesystem::path& file);
// The same on a document already read, with "extends" relative to `folder`.
nlohmann::json resolve_extends(nlohmann::json doc, const std::filesystem::path& folder);

// The row of doc["kind"]; throws InputError("/kind", …) listing the kinds there are.
const ScenarioKind& scenario_kind(const nlohmann::json& doc);

// Runs the scenario by its "kind". Throws InputError with the JSON path for bad content.
OutputFiles run_scenario(const nlohmann::json& doc, const RunOptions& options);

// The kinds run_scenario knows, for messages and --help.
std::vector<std::string> scenario_kinds();

}  // namespace rejuv::sim
