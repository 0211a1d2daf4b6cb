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
  fuzz::scenario_of_kind(data, size, kKind, [](nlohmann::json& doc, const sim::ScenarioKind& kind) {
    // A template path in the input could name any file (a device that never ends): not read here.
    if (doc.contains("guest") && doc["guest"].is_object()) doc["guest"].erase("xml");
    kind.check(doc);
    const sim::MigrationScenario sc = sim::parse_migration_scenario(doc);
    if (sc.points().size() > kMaxPoints) return;
    doc["repetitions"] = 1;
    fuzz::run_small(kind, doc);
    if (kind.sweep_rows(doc).empty()) fuzz::finding("no sweep rows");
  });
  return 0;
}
