// `rejuv plan` as a user runs it: the shipped scenario, the shipped crash times, exponential aging,
// the simulator's confirmation, parameter files without some strategy blocks, and every kind of
// bad input the issue lists (one message with a path or file:line, exit 2, nothing written).
#include <gtest/gtest.h>

#include <cmath>

#include "cli_runner.hpp"
#include "models/throughput.hpp"
#include "paper_params.hpp"
#include "plots/plot.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;
const std::string kScenario = source_path("scenarios/plan-aging.json").string();
const std::string kPaper = source_path("data/kourai2007.json").string();
const std::string kCrashes = source_path("data/crash-times-example.csv").string();

json plan_of(const TempDir& dir) { return json::parse(read_file(dir / "out" / "plan.json")); }

TEST(CliPlan, ShippedScenarioGivesOneRowPerStrategyAndTheWinner) {
  TempDir dir;
  const auto r = run_cli({"plan", kScenario, "--out", (dir / "out").string(), "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json plan = plan_of(dir);
  // Five strategies, the three migration kinds also in return-back mode (Machida et al.).
  ASSERT_EQ(plan["rows"].size(), 8u);
  const Params p = [] {
    Params q = paper_params();
    q.hosts = 200;
    return q;
  }();
  for (const auto& row : plan["rows"]) {
    for (const char* key : {"strategy", "T_vmm", "T_os", "spares", "index", "availability", "cost", "paper_index"})
      EXPECT_TRUE(row.contains(key)) << key;
    // paper_index: seed 003's closed form at the file's own 28 d / 7 d, without aging.
    Params q = p;
    if (!row["migration_mode"].is_null())
      q.migration_mode = row["migration_mode"] == "return_back" ? MigrationMode::ReturnBack : MigrationMode::StayOn;
    EXPECT_NEAR(row["paper_index"].get<double>(), index(q, *parse_strategy(row["strategy"].get<std::string>()), 200),
                1e-12);
    EXPECT_GT(row["index"].get<double>(), row["index_at_file_schedule"].get<double>() - 1e-15);
  }
  EXPECT_EQ(plan["winner"]["hosts"], 200);
  EXPECT_TRUE(plan["winner"]["strategy"].is_string());
  EXPECT_FALSE(plan["winner_by_hosts"].empty());
  EXPECT_NE(r.out.find("winner: "), std::string::npos);
  std::vector<std::string> files{"out", "out/plan-index.dat", "out/plan-index.gp"};
  if (plots::find_on_path("gnuplot")) files.insert(files.end(), {"out/plan-index.png", "out/plan-index.svg"});
  files.push_back("out/plan.json");
  EXPECT_EQ(dir.files(), files);
}

TEST(CliPlan, CrashTimesGiveTheTttOptimumWithABootstrapInterval) {
  TempDir dir;
  const auto r = run_cli({"plan", kPaper, "--crash-times", kCrashes, "--bootstrap", "40", "--out", (dir / "out").string(),
                          "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json plan = plan_of(dir);
  ASSERT_EQ(plan["ttt"].size(), 1u);
  const json& t = plan["ttt"][0];
  EXPECT_EQ(t["component"], "vmm");
  EXPECT_EQ(t["crashes"].get<int>() + t["censored"].get<int>(), 300);  // every row of the file
  for (const auto& line : t["lines"]) {
    if (line["strategy"] != "warm") continue;
    // The table's warm row takes the TTT point, inside its bootstrap interval.
    double T = 0;
    for (const auto& row : plan["rows"])
      if (row["strategy"] == "warm") T = row["T_vmm"].get<double>();
    EXPECT_EQ(line["T"].get<double>(), T);
    EXPECT_LE(line["bootstrap"]["lo_s"].get<double>(), T);
    EXPECT_GE(line["bootstrap"]["hi_s"].get<double>(), T);
  }
  // The OS has no crash times and no law: its interval stays the file's, and the plan says so.
  EXPECT_EQ(plan["rows"][0]["T_os"], 7 * 86400.0);
  EXPECT_NE(r.out.find("T_os held at the file's 7.0 d"), std::string::npos);
  if (plots::find_on_path("gnuplot")) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / "ttt.png"));
  }
}

TEST(CliPlan, ExponentialAgingSaysNoFiniteIntervalBeatsNeverRejuvenating) {
  TempDir dir;
  write_file(dir / "aging.json", R"({"vmm": {"dist": "exponential", "mean": "40d", "detection": "1h"}})");
  const auto r = run_cli({"plan", kPaper, "--aging", (dir / "aging.json").string(), "--out", (dir / "out").string(),
                          "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto plan = plan_of(dir);  // the range of a range-for must outlive the loop
  for (const auto& row : plan["rows"]) {
    EXPECT_TRUE(row["T_vmm"].is_null()) << row["strategy"];  // null: never
    EXPECT_NE(row["notes"].dump().find("no finite interval beats never rejuvenating"), std::string::npos);
  }
  EXPECT_NE(r.out.find("hazard is constant"), std::string::npos);
}

TEST(CliPlan, ConfirmAgreesWithTheAnalyticRankingOnTheShippedScenario) {
  // The issue's "Done when": the simulator, with replications, ranks the top candidates as the
  // closed forms do, within the 95 % intervals (a short horizon keeps the test fast).
  TempDir dir;
  const auto r = run_cli({"plan", kScenario, "--confirm", "3", "--horizon", "365d", "--out", (dir / "out").string(),
                          "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json c = plan_of(dir)["confirm"];
  EXPECT_EQ(c["data"], "simulated");
  EXPECT_EQ(c["rows"].size(), 3u);
  EXPECT_TRUE(c["agrees"].get<bool>()) << c.dump(2);
  for (const auto& row : c["rows"])
    EXPECT_NEAR(row["simulated_index"].get<double>(), row["analytic_index"].get<double>(), 2e-5) << row.dump();
}

TEST(CliPlan, ParameterFilesMayLeaveOutStrategyBlocks) {
  // A site that measured only warm and cold: model, crossover, check and plan cover those and say
  // which were left out; an unknown block is still an error.
  TempDir dir;
  json doc = paper_json();
  for (const char* k : {"migration", "live", "live_rate_control"}) doc.erase(k);
  write_file(dir / "two.json", doc.dump());
  const std::string two = (dir / "two.json").string();
  auto r = run_cli({"model", two, "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).size(), 2u);
  EXPECT_NE(r.err.find("left out migration, live, live_rate_control"), std::string::npos) << r.err;
  r = run_cli({"crossover", two, "--strategy", "migration", "--versus", "cold"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no \"migration\" block"), std::string::npos) << r.err;
  r = run_cli({"check", two, "--expect", (dir / "two.expect.json").string(), "--update"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("left out: migration, live, live_rate_control"), std::string::npos) << r.out;
  r = run_cli({"check", two, "--expect", (dir / "two.expect.json").string()});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  r = run_cli({"plan", two, "--aging", source_path("scenarios/plan-aging.json").string(), "--out",
               (dir / "out").string(), "--quiet"});
  EXPECT_EQ(r.status, 2);  // a scenario is no aging file: its keys are refused by name
  write_file(dir / "aging.json", R"({"vmm": {"shape": 3, "scale": "45d"}})");
  r = run_cli({"plan", two, "--aging", (dir / "aging.json").string(), "--out", (dir / "out").string(), "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json plan = plan_of(dir);
  EXPECT_EQ(plan["rows"].size(), 2u);
  EXPECT_EQ(plan["left_out"], json({"migration", "live", "live_rate_control"}));
  doc["hot"] = {{"downtime", "1s"}, {"degraded_period", "1s"}, {"degradation", 0.1}};
  write_file(dir / "unknown.json", doc.dump());
  r = run_cli({"model", (dir / "unknown.json").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/hot: unknown key"), std::string::npos) << r.err;
}

struct BadInput {
  std::string what;
  std::vector<std::string> args;  // after "plan"; {dir} is the temporary folder
  std::string file, content;      // written to {dir}/file first
  std::string message;
};

TEST(CliPlan, BadInputGetsOneMessageWithItsPlaceExitTwoAndNothingWritten) {
  const std::vector<BadInput> cases = {
      {"decreasing hazard", {kPaper, "--aging", "{dir}/a.json"}, "a.json",
       R"({"vmm": {"dist": "weibull", "shape": 0.7, "scale": "30d"}})", "a.json: /vmm/shape: expected a shape ≥ 1"},
      {"decreasing hazard in a scenario", {"{dir}/s.json"}, "s.json",
       json({{"kind", "rejuvenation"}, {"extends", kPaper}, {"strategies", {"warm"}}, {"horizon", "30d"}, {"seed", 1},
             {"aging", {{"os", {{"shape", 0.5}, {"scale", "30d"}}}}}})
           .dump(),
       "s.json: /aging/os/shape: expected a shape ≥ 1"},
      {"gamma with a decreasing hazard", {kPaper, "--aging", "{dir}/a.json"}, "a.json",
       R"({"os": {"dist": "gamma", "shape": 0.5, "mean": "30d"}})", "a.json: /os/shape: expected a shape ≥ 1"},
      {"fewer than 3 crash times", {kPaper, "--crash-times", "{dir}/c.csv"}, "c.csv",
       "component,time,event\nvmm,3d,crash\nvmm,4d,censored\nvmm,5d,crash\n",
       "c.csv: expected at least 3 crash times of the vmm to estimate its aging, got 2"},
      {"negative time", {kPaper, "--crash-times", "{dir}/c.csv"}, "c.csv",
       "component,time,event\nvmm,3d,crash\nvmm,-4d,crash\nvmm,5d,crash\n", "c.csv:3:5: expected a time to crash > 0"},
      {"unknown event", {kPaper, "--crash-times", "{dir}/c.csv"}, "c.csv", "time,event\n3d,crash\n4d,died\n",
       "c.csv:3:4: expected \"crash\" or \"censored\""},
      {"availability above 1", {kPaper, "--min-availability", "1.5"}, "", "",
       "--min-availability: expected a fraction in (0, 1), got 1.5"},
      {"availability 0", {kPaper, "--min-availability", "0"}, "", "", "--min-availability: expected a fraction in (0, 1), got 0"},
      {"unknown aging key", {kPaper, "--aging", "{dir}/a.json"}, "a.json", R"({"vm": {"shape": 2, "scale": "9d"}})",
       "a.json: /vm: unknown key"},
      {"fixed time to crash", {kPaper, "--aging", "{dir}/a.json"}, "a.json", R"({"vmm": {"dist": "fixed", "value": "9d"}})",
       "a.json: /vmm: expected a distribution of the time to crash"},
      {"cost without a price", {kPaper, "--objective", "cost"}, "", "", "--request-price is needed"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    TempDir dir;
    if (!c.file.empty()) write_file(dir / c.file, c.content);
    std::vector<std::string> args{"plan"};
    for (std::string a : c.args) {
      if (auto at = a.find("{dir}"); at != std::string::npos) a.replace(at, 5, dir.path().string());
      args.push_back(a);
    }
    args.insert(args.end(), {"--out", (dir / "out").string()});
    const auto r = run_cli(args);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
    EXPECT_TRUE(r.out.empty());
  }
}

}  // namespace
}  // namespace rejuv::testing
