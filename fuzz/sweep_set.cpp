// `rejuv sweep --set KEY=V1,V2,…` values, one per line, over the shipped kourai2007-cluster
// scenario: every point the axes make is checked as the sweep checks it before running, and the
// sweep.json they make must read back (`rejuv sweep merge`). An input that is JSON is also read as
// a sweep.json.
#include "fuzz_common.hpp"
#include "models/params.hpp"
#include "sim/scenario.hpp"
#include "sim/seed.hpp"
#include "sim/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  static const nlohmann::json scenario = sim::read_scenario(fuzz::source_dir() / "scenarios/kourai2007-cluster.json");
  const std::string input = fuzz::text(data, size);
  fuzz::expect_input_errors_only([&] {
    std::vector<sim::SweepAxis> axes;
    for (size_t start = 0; start < input.size() && axes.size() < 8;) {
      size_t nl = input.find('\n', start);
      if (nl == std::string::npos) nl = input.size();
      axes.push_back(sim::parse_sweep_axis(input.substr(start, nl - start)));
      start = nl + 1;
    }
    const auto points = sim::sweep_points(axes, sim::read_seed(scenario));
    const sim::ScenarioKind& kind = sim::scenario_kind(scenario);
    for (size_t k = 0; k < points.size() && k < 16; ++k) sim::check_sweep_point(kind, scenario, axes, points[k]);
    (void)sim::sweep_header(axes, kind);
    try {
      (void)sim::read_sweep_manifest(sim::sweep_manifest(scenario, axes, points.size()));
    } catch (const InputError& e) {
      fuzz::finding(std::string("a sweep.json does not read back: ") + e.what());
    }
  });
  fuzz::expect_input_errors_only([&] {
    const nlohmann::json doc = nlohmann::json::parse(input, nullptr, false);
    if (!doc.is_discarded()) (void)sim::read_sweep_manifest(doc);
  });
  return 0;
}
