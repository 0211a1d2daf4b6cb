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
  const auto file = fuzz::scratch() / "scenario.json";
  fuzz::write(file, fuzz::text(data, size));
  fuzz::expect_input_errors_only([&] {
    nlohmann::json doc = sim::resolve_extends(load_json(file), fuzz::source_dir() / "scenarios");
    if (!doc.contains("kind") || doc["kind"] != kKind) return;  // another kind's target
    const sim::ScenarioKind& kind = sim::scenario_kind(doc);
    kind.check(doc);
    const sim::autoscale::AutoscaleScenario sc = sim::autoscale::parse_autoscale_scenario(doc);
    const double finest = std::min(sc.step, sc.autoscaler.interval);
    const double steps = sc.horizon / finest * double(sc.vms.size() + sc.services.size()) * double(sc.strategies.size());
    if (!(steps <= kMaxSteps)) return;
    doc["timeline_rows"] = std::min(sc.timeline_rows, 50);
    sim::RunOptions options;
    options.progress = false;
    options.workers = 1;
    for (const auto& [name, content] : kind.run(doc, options))
      if (content.empty()) fuzz::finding(name + " is empty");
  });
  return 0;
}
