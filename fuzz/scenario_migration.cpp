// Scenarios of kind "migration" (sim/migration/migration_scenario.hpp). Whatever the kind's check
// accepts is then run on the simulated backend, made small (at most a few grid points, one
// repetition, no XML template read from disk): every output must be written and the run must end.
#include <algorithm>

#include "fuzz_common.hpp"
#include "models/params.hpp"
#include "sim/migration/migration_scenario.hpp"
#include "sim/scenario.hpp"

namespace {
constexpr const char* kKind = "migration";
constexpr size_t kMaxPoints = 16;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  const auto file = fuzz::scratch() / "scenario.json";
  fuzz::write(file, fuzz::text(data, size));
  fuzz::expect_input_errors_only([&] {
    nlohmann::json doc = sim::resolve_extends(load_json(file), fuzz::source_dir() / "scenarios");
    if (!doc.contains("kind") || doc["kind"] != kKind) return;  // another kind's target
    // A template path in the input could name any file (a device that never ends): not read here.
    if (doc.contains("guest") && doc["guest"].is_object()) doc["guest"].erase("xml");
    const sim::ScenarioKind& kind = sim::scenario_kind(doc);
    kind.check(doc);
    const sim::MigrationScenario sc = sim::parse_migration_scenario(doc);
    if (sc.points().size() > kMaxPoints) return;
    doc["repetitions"] = 1;
    sim::RunOptions options;
    options.progress = false;
    options.workers = 1;
    for (const auto& [name, content] : kind.run(doc, options))
      if (content.empty()) fuzz::finding(name + " is empty");
    if (kind.sweep_rows(doc).empty()) fuzz::finding("no sweep rows");
  });
  return 0;
}
