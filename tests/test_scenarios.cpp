// Every scenario shipped in scenarios/ is an example that must keep working: each is read as a
// user's `rejuv run` reads it and run on a shorter horizon and fewer hosts.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.hpp"
#include "models/units.hpp"
#include "sim/scenario.hpp"

namespace rejuv::testing {
namespace {

TEST(ShippedScenarios, EveryOneRunsAndSaysItIsSimulated) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("scenarios"))) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    SCOPED_TRACE(entry.path().string());
    nlohmann::json doc = sim::read_scenario(entry.path());
    if (doc["kind"] == "autoscale") {
      // Minutes of simulated time, in steps of a second: run as shipped, but never past an hour.
      if (parse_duration(doc["horizon"], "/horizon") > 3600) doc["horizon"] = "1h";
    } else {
      if (doc.contains("horizon") || doc["kind"] == "lineage") doc["horizon"] = "30d";
      // "hosts" is a count (rejuvenation), a list, or a generator {"count": …} (lineage).
      if (doc.contains("hosts") && doc["hosts"].is_number() && doc["hosts"].get<double>() > 200) doc["hosts"] = 200;
      if (doc.contains("hosts") && doc["hosts"].is_object() && doc["hosts"].value("count", 0) > 200) doc["hosts"]["count"] = 200;
      if (doc.value("replications", 1) > 3) doc["replications"] = 3;
    }
    sim::RunOptions options;
    options.progress = false;
    const auto files = sim::run_scenario(doc, options);
    ASSERT_EQ(files.size(), 2u);
    const auto summary = nlohmann::json::parse(files[0].second);
    EXPECT_EQ(summary["data"], "simulated");
    EXPECT_FALSE(summary["results"].empty());
  }
  EXPECT_GE(count, 5);
}

}  // namespace
}  // namespace rejuv::testing
