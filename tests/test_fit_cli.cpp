// `rejuv fit` as a user runs it: one kind, a whole suite that `rejuv model` then takes, a seeded
// bootstrap, and bad curve files — each gives file:line:column (or the file), exit status 2, and no
// output file.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "fitting/synthetic_curves.hpp"
#include "paper_params.hpp"

namespace rejuv::testing {
namespace {

using namespace rejuv::fitting;
using nlohmann::json;

// A suite made from the paper's values (§4.1, Table 1) with small seeded noise.
void write_paper_suite(const std::filesystem::path& dir) {
  const Params paper = paper_params();
  SyntheticOptions o;
  o.noise = 0.002;
  o.seed = 21;
  write_reboot_set(dir / "warm", RebootKind::Warm, paper.warm, 560, 11, o);
  write_reboot_set(dir / "cold", RebootKind::Cold, paper.cold, 560, 11, o);
  write_reboot_set(dir / "os", RebootKind::Os, {41, 0, 0.35}, 560, 11, o);
  o.dt = 0.5;
  write_migration_set(dir / "migration", MigrationKind::Migration, 11, 560, paper.migration.curves,
                      o);
  write_migration_set(dir / "live", MigrationKind::Live, 11, 560, paper.live.curves, o);
  write_migration_set(dir / "live_rate_control", MigrationKind::LiveRateControl, 11, 560,
                      paper.live_rate_control.curves, o);
  write_file(dir / "base.json", R"({"hosts": 1000, "T_vmm": "28d", "T_os": "7d", "spares": 1})");
}

TEST(CliFit, OneKindWritesItsObjectAndAReport) {
  TempDir dir;
  write_reboot_set(dir / "warm", RebootKind::Warm, {59, 25, 0.61}, 560, 11);
  auto r = run_cli({"fit", (dir / "warm").string(), "--kind", "warm", "--out",
                    (dir / "warm.json").string(), "--report", (dir / "report.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const json out = json::parse(read_file(dir / "warm.json"));
  ASSERT_TRUE(out.contains("warm"));
  EXPECT_EQ(out.size(), 1u);
  EXPECT_NEAR(out["warm"]["downtime"].get<double>(), 59, 1.5);
  EXPECT_NEAR(
      json::parse(read_file(dir / "report.json"))["edges"]["recovery_threshold"].get<double>(), 56,
      1);
  EXPECT_NE(r.out.find("downtime (s)"), std::string::npos);
}

TEST(CliFit, SuiteGivesAParameterFileThatModelTakes) {
  TempDir dir;
  write_paper_suite(dir / "suite");
  const std::string params = (dir / "params.json").string();
  auto r = run_cli({"fit", "--suite", (dir / "suite").string(), "--out", params, "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  const Params p = parse_params(json::parse(read_file(params)));
  EXPECT_EQ(p.vms_per_host, 11);           // from the migrated VMs
  EXPECT_NEAR(p.host_throughput, 560, 2);  // from the warm baseline
  EXPECT_NEAR(p.os.degraded_period, 410, 15);
  EXPECT_NEAR(p.migration.downtime, 172.26 / 11, 0.01);
  r = run_cli({"model", params, "--hosts", "1000", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json rows = json::parse(r.out);
  EXPECT_NEAR(rows[2]["gamma"].get<double>(), 0.60, 0.01);   // §4.2: γ = 0.60
  EXPECT_NEAR(rows[4]["gamma"].get<double>(), 0.237, 0.01);  // γ′ = 0.23 with rate control
}

TEST(CliFit, SeededBootstrapIsRepeatableAndReportsIntervals) {
  TempDir dir;
  write_paper_suite(dir / "suite");
  auto run = [&](const std::string& name) {
    return run_cli({"fit", "--suite", (dir / "suite").string(), "--out",
                    (dir / (name + ".json")).string(), "--report",
                    (dir / (name + "-report.json")).string(), "--bootstrap", "20", "--seed", "4",
                    "--hosts", "1000"});
  };
  auto a = run("a"), b = run("b");
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  const json ra = json::parse(read_file(dir / "a-report.json")),
             rb = json::parse(read_file(dir / "b-report.json"));
  EXPECT_EQ(ra["bootstrap"], rb["bootstrap"]);
  EXPECT_EQ(ra["bootstrap"]["replicates"], 20);
  bool saw = false;
  for (const auto& iv : ra["bootstrap"]["intervals"])
    if (iv["quantity"] == "crossover_hosts/migration>cold") saw = true;
  EXPECT_TRUE(saw);
  EXPECT_NE(a.out.find("97.5 %"), std::string::npos);
}

struct BadCase {
  const char* name;
  const char* throughput;
  const char* events;
  std::string where;  // expected "file:line:column" suffix, or the file name
  std::string message;
};

TEST(CliFit, BadCurveFilesNameThePlaceAndWriteNothing) {
  const std::vector<BadCase> cases = {
      {"missing column", "time_s,vm1\n0,1\n1,1\n2,1\n",
       "time_s,event,subject\n1,vmm_reboot_start,\n",
       "throughput.csv:1:1: ", "expected a column \"host\""},
      {"non-numeric cell", "time_s,host\n0,560\n1,560\n# gap\n2,abc\n",
       "time_s,event,subject\n1,vmm_reboot_start,\n",
       "throughput.csv:5:3: ", "expected a number for \"host\", got \"abc\""},
      {"no event of the kind", "time_s,host\n0,560\n1,560\n2,560\n",
       "time_s,event,subject\n1,os_reboot_start,vm1\n",
       "events.csv: ", "expected an event \"vmm_reboot_start\""},
      {"too few samples", "time_s,host\n0,560\n1,560\n2,0\n3,560\n",
       "time_s,event,subject\n2,vmm_reboot_start,\n", "throughput.csv: ", "at least 3 are needed"},
  };
  for (const auto& c : cases) {
    TempDir dir;
    std::filesystem::create_directory(dir / "set");
    write_file(dir / "set" / "throughput.csv", c.throughput);
    write_file(dir / "set" / "events.csv", c.events);
    auto r = run_cli({"fit", (dir / "set").string(), "--kind", "warm", "--out",
                      (dir / "out.json").string(), "--report", (dir / "report.json").string()});
    EXPECT_EQ(r.status, 2) << c.name;
    EXPECT_NE(r.err.find("rejuv: " + (dir / "set").string() + "/" + c.where), std::string::npos)
        << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.name << ": " << r.err;
    EXPECT_EQ(dir.files(),
              (std::vector<std::string>{"set", "set/events.csv", "set/throughput.csv"}))
        << c.name;
  }
}

TEST(CliFit, SuiteWithoutTheTopLevelKeysSaysWhereToPutThem) {
  TempDir dir;
  write_paper_suite(dir / "suite");
  write_file(dir / "suite" / "base.json", R"({"hosts": 1000})");
  auto r =
      run_cli({"fit", "--suite", (dir / "suite").string(), "--out", (dir / "p.json").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("expected \"T_vmm\""), std::string::npos) << r.err;
  // --base supplies what base.json lacks.
  r = run_cli({"fit", "--suite", (dir / "suite").string(), "--base",
               source_path("data/kourai2007.json").string(), "--out", (dir / "p.json").string(),
               "--quiet"});
  EXPECT_EQ(r.status, 0) << r.err;
}

}  // namespace
}  // namespace rejuv::testing
