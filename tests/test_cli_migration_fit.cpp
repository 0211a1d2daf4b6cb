#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;

// Round trip: the migration scenario run as it is records the model's own predictions (resume
// 0.1 s, base 64 MiB, scenarios/migration-grid.json); fitted on half of its points, the model
// predicts the other half without error, and the plot and table are written.
TEST(CliMigrationFit, RecoversTheModelFromItsOwnPredictions) {
  TempDir dir;
  const CliResult run = run_cli({"run", source_path("scenarios/migration-grid.json").string(), "--out",
                                 (dir / "sim").string(), "--quiet"});
  ASSERT_EQ(run.status, 0) << run.err;
  const CliResult fit = run_cli({"migration-fit", (dir / "sim" / "measured.csv").string(), "--out", (dir / "fit").string()});
  ASSERT_EQ(fit.status, 0) << fit.err;
  const json f = json::parse(read_file(dir / "fit" / "fit.json"));
  EXPECT_EQ(f["points"], 36);  // 3 memories × 2 dirty rates × 3 bandwidths × 2 downtime limits
  EXPECT_LT(f["mean_abs_error"]["held_out"]["time"].get<double>(), 0.01);
  EXPECT_LT(f["mean_abs_error"]["held_out"]["downtime"].get<double>(), 0.01);
  EXPECT_NEAR(f["model"]["resume_s"].get<double>(), 0.1, 0.005);
  EXPECT_NEAR(f["model"]["base_bytes"].get<double>() / 1048576, 64, 2);
  // The model's own time grows along a line in the memory (the written memory is half of it plus
  // a base): FlexCapsule's shape.
  for (const auto& s : f["flexcapsule"]) EXPECT_GT(s["r2"].get<double>(), 0.99) << s.dump();
  for (const char* name : {"compare.csv", "table.md", "migration-fit.dat", "migration-fit.gp"})
    EXPECT_TRUE(std::filesystem::exists(dir / "fit" / name)) << name;
  EXPECT_NE(read_file(dir / "fit" / "table.md").find("**held out**"), std::string::npos);
}

TEST(CliMigrationFit, BadCsvSaysWhereAndWritesNothing) {
  TempDir dir;
  write_file(dir / "m.csv",
             "memory_mib,fill_mib,dirty_mibps,bandwidth,downtime_limit_ms,status,total_ms,downtime_ms,iterations\n"
             "128,32,0,fast,300,ok,1800,150,3\n");
  const CliResult r = run_cli({"migration-fit", (dir / "m.csv").string(), "--out", (dir / "fit").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("m.csv:2:"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "fit"));
  write_file(dir / "m.csv", "memory_mib,fill_mib\n128,32\n");
  const CliResult missing = run_cli({"migration-fit", (dir / "m.csv").string(), "--out", (dir / "fit").string()});
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("dirty_mibps"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace rejuv::testing
