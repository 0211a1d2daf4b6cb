// Scenarios of kind "rejuvenation" (sim/cluster/rejuvenation_scenario.hpp). "extends" resolves
// against scenarios/, as for the shipped files. Whatever the kind's check accepts is then run, made
// small (a dozen hosts, a few VMM cycles), when that takes few events: every output number must be
// finite and the run must end.
//
// A target for another kind is a copy of this file with its kind's name and its own way of making
// a run small (fuzz/README.md).
#include <algorithm>

#include "fuzz_common.hpp"
#include "models/params.hpp"
#include "sim/cluster/rejuvenation_scenario.hpp"
#include "sim/scenario.hpp"

namespace {
constexpr const char* kKind = "rejuvenation";
constexpr double kMaxFuzzEvents = 2e4;  // keeps one input well under a millisecond or so
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  fuzz::scenario_of_kind(data, size, kKind, [](nlohmann::json& doc, const sim::ScenarioKind& kind) {
    kind.check(doc);
    // Small enough to run on every input.
    const sim::RejuvenationScenario sc = sim::parse_rejuvenation_scenario(doc);
    doc["hosts"] = std::min(sc.params.hosts, std::max(sc.params.spares + 1, 12));
    doc["horizon"] = std::min(sc.horizon, 3 * sc.params.T_vmm);
    doc["replications"] = std::min(sc.replications, 2);
    doc["timeline_rows"] = std::min(sc.timeline_rows, 50);
    const sim::RejuvenationScenario small = sim::parse_rejuvenation_scenario(doc);
    if (sim::expected_events(small) > kMaxFuzzEvents) return;
    fuzz::run_small(kind, doc);
  });
  return 0;
}
