// Scenarios of kind "autoscale" (sim/autoscale/autoscale_scenario.hpp). "extends" and CSV load
// traces resolve against scenarios/, as for the shipped files. Whatever the kind's check accepts is
// then run when it is short (few steps of the request accounting and of the autoscaler's sampling):
// every output must be written and the run must end (a non-finite result is the kind's own
// internal error, which the harness reports as a finding).
#include <algorithm>
#include <cmath>

#include "fuzz_common.hpp"
#include "models/params.hpp"
#include "sim/autoscale/autoscale_scenario.hpp"
#include "sim/scenario.hpp"

namespace {
constexpr const char* kKind = "autoscale";
constexpr double kMaxSteps = 2e4;  // keeps one input to a few milliseconds
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  fuzz::scenario_of_kind(data, size, kKind, [](nlohmann::json& doc, const sim::ScenarioKind& kind) {
    kind.check(doc);
    const sim::autoscale::AutoscaleScenario sc = sim::autoscale::parse_autoscale_scenario(doc);
    const double finest = std::min(sc.step, sc.autoscaler.interval);
    const double steps = sc.horizon / finest * double(sc.vms.size() + sc.services.size()) * double(sc.strategies.size());
    if (!(steps <= kMaxSteps)) return;
    doc["timeline_rows"] = std::min(sc.timeline_rows, 50);
    fuzz::run_small(kind, doc);
  });
  return 0;
}
