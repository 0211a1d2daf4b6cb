// `rejuv run` and `rejuv sweep` as a user runs them: outputs, determinism, and bad scenarios
// (one message with the JSON path, exit status 2, no output files).
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "scenario_fixture.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;

// A scenario file in `dir` that extends the paper's parameter file, with `overrides` merged in.
std::string scenario_file(const TempDir& dir, const json& overrides, const std::string& name = "scenario.json") {
  json doc = {{"kind", "rejuvenation"},
              {"extends", source_path("data/kourai2007.json").string()},
              {"hosts", 40},
              {"strategies", {"warm", "cold", "migration", "live", "live_rate_control"}},
              {"horizon", "120d"},
              {"seed", 7}};
  merge_keeping_nulls(doc, overrides);
  const std::string file = (dir / name).string();
  write_file(file, doc.dump(2));
  return file;
}

TEST(CliRun, WritesSummaryAndABoundedTimeline) {
  TempDir dir;
  const std::string file = scenario_file(dir, {{"timeline_rows", 50}});
  auto r = run_cli({"run", file, "--out", (dir / "out").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const json summary = json::parse(read_file(dir / "out/summary.json"));
  EXPECT_EQ(summary["data"], "simulated");
  ASSERT_EQ(summary["results"].size(), 5u);
  for (const auto& res : summary["results"])
    for (const char* key : {"strategy", "index", "availability", "mean_throughput", "events", "late_rejuvenations",
                            "max_lateness_s", "closed_form"})
      EXPECT_TRUE(res.contains(key)) << key;
  EXPECT_FALSE(summary["results"][0].contains("ci95"));
  const std::string csv = read_file(dir / "out/timeline.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "time_s,strategy,throughput");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 5 * 50);
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"out", "out/summary.json", "out/timeline.csv", "scenario.json"}));
}

TEST(CliRun, StatsPrintsEventsAndBytesPerVmAndPerHostWithoutChangingTheFiles) {
  TempDir dir;
  const std::string file = scenario_file(dir, {{"detail", "vm"}});
  const auto plain = run_cli({"run", file, "--out", (dir / "plain").string(), "--quiet"});
  const auto stats = run_cli({"run", file, "--out", (dir / "stats").string(), "--quiet", "--stats"});
  ASSERT_EQ(stats.status, 0) << stats.err;
  EXPECT_EQ(read_file(dir / "stats/summary.json"), read_file(dir / "plain/summary.json"));
  EXPECT_EQ(plain.out.find("B/VM"), std::string::npos);
  const size_t table = stats.out.find("strategy                   events    B/VM   B/host");
  ASSERT_NE(table, std::string::npos) << stats.out;
  for (const char* s : {"\nwarm ", "\ncold ", "\nmigration ", "\nlive ", "\nlive_rate_control "})
    EXPECT_NE(stats.out.find(s, table), std::string::npos) << s;
  // A VM keeps its OS due time and two counts: 10 bytes.
  EXPECT_NE(stats.out.find("    10.0 ", table), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("40 hosts, 11 VMs per host, vm level; peak RSS"), std::string::npos) << stats.out;
}

TEST(CliRun, SameSeedGivesTheSameBytesAndSeedOverrideChangesThem) {
  TempDir dir;
  const std::string file = scenario_file(
      dir, {{"warm", {{"downtime", {{"dist", "lognormal"}, {"mean", "59s"}, {"sd", "10s"}}}}},
            {"failures", json::object()}, {"replications", 3}});
  for (const char* out : {"a", "b"}) ASSERT_EQ(run_cli({"run", file, "--out", (dir / out).string()}).status, 0);
  ASSERT_EQ(run_cli({"run", file, "--out", (dir / "c").string(), "--seed", "8"}).status, 0);
  for (const char* f : {"summary.json", "timeline.csv"}) {
    EXPECT_EQ(read_file(dir / "a" / f), read_file(dir / "b" / f)) << f;
    EXPECT_NE(read_file(dir / "a" / f), read_file(dir / "c" / f)) << f;
  }
  const json s = json::parse(read_file(dir / "a/summary.json"));
  const json& ci = s["results"][0]["ci95"]["index"];
  EXPECT_LT(ci["low"].get<double>(), ci["mean"].get<double>());
  EXPECT_GT(ci["high"].get<double>(), ci["mean"].get<double>());
}

struct BadScenario {
  json patch;
  std::string message;  // "<path>: <message>" expected after "<file>: "
};

class CliRunBad : public ::testing::TestWithParam<BadScenario> {};

TEST_P(CliRunBad, SaysWhereExitsTwoAndWritesNothing) {
  TempDir dir;
  const std::string file = scenario_file(dir, GetParam().patch);
  auto r = run_cli({"run", file, "--out", (dir / "out").string(), "--quiet"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(file + ": " + GetParam().message), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(dir.files(), std::vector<std::string>{"scenario.json"});
}

const BadScenario kBadScenarios[] = {
    {{{"strategies", {"warm", "tepid"}}}, "/strategies/1: expected warm, cold, migration, live or live_rate_control, got \"tepid\""},
    {{{"warm", {{"downtime", {{"dist", "poisson"}, {"mean", "59s"}}}}}}, "/warm/downtime/dist: expected one of"},
    {{{"horizon", "-1d"}}, "/horizon: expected a duration > 0, got \"-1d\""},
    {{{"horizon", 0}}, "/horizon: expected a duration > 0, got 0"},
    {{{"extends", "missing/params.json"}}, "/extends: cannot open \"missing/params.json\""},
    {{{"warm", {{"downtime", {{"dist", "uniform"}, {"min", "60s"}, {"max", "50s"}}}}}}, "/warm/downtime/max: expected max ≥ min"},
    {{{"os", {{"downtime", {{"dist", "normal"}, {"mean", "41s"}, {"sd", "-2s"}}}}}}, "/os/downtime/sd: expected a duration ≥ 0"},
    {{{"cold", {{"downtime", {{"dist", "weibull"}, {"shape", 0}, {"scale", "219s"}}}}}}, "/cold/downtime/shape:"},
    // A kind that will never be; the list of kinds grows at its end.
    {{{"kind", "tepid"}}, "/kind: expected one of \"rejuvenation\", \"migration\", \"autoscale\", \"lineage\", got \"tepid\""},
    {{{"failures", {{"annual_rate", 1.5}}}}, "/failures/annual_rate: expected a fraction in [0, 1), got 1.5"},
    {{{"aging", {{"vmm", {{"shape", 2}}}}}}, "/aging/vmm/scale: missing key"},
    {{{"stagger", "zigzag"}}, "/stagger: expected \"even\", \"random\" or \"aligned\", got \"zigzag\""},
    {{{"seed", -3}}, "/seed: expected an integer ≥ 0, got -3"},
    {{{"hosts", 1}}, "/hosts: expected more hosts than spares (1) for strategy migration, got 1"},
    {{{"replications", 0}}, "/replications: expected an integer from 1 to 100000, got 0"},
    {{{"detail", "vm"}, {"migration", {{"gamma", 0.6}, {"curves", nullptr}}}}, "/migration/curves: missing key"},
};
INSTANTIATE_TEST_SUITE_P(EveryCase, CliRunBad, ::testing::ValuesIn(kBadScenarios));

// After a run, stdout has the kind's own short table (cli/run_tables.cpp), not another kind's.
TEST(CliRun, PrintsTheTableOfTheScenariosKind) {
  TempDir dir;
  const auto lineage = run_cli({"run", source_path("scenarios/lineage-deploy.json").string(), "--out", (dir / "l").string()});
  ASSERT_EQ(lineage.status, 0) << lineage.err;
  EXPECT_NE(lineage.out.find("substitutions"), std::string::npos) << lineage.out;
  EXPECT_NE(lineage.out.find("oblivious-default"), std::string::npos) << lineage.out;
  EXPECT_EQ(lineage.out.find("closed_form"), std::string::npos) << lineage.out;
  const auto migration = run_cli({"run", source_path("scenarios/migration-grid.json").string(), "--out", (dir / "m").string()});
  ASSERT_EQ(migration.status, 0) << migration.err;
  EXPECT_NE(migration.out.find("predicted_downtime_ms"), std::string::npos) << migration.out;
  EXPECT_EQ(migration.out.find("closed_form"), std::string::npos) << migration.out;
}

TEST(CliRun, MalformedScenarioNamesLineAndColumn) {
  TempDir dir;
  const std::string file = (dir / "scenario.json").string();
  write_file(file, "{\"kind\": \"rejuvenation\",\n \"seed\": 1,,\n}");
  auto r = run_cli({"run", file, "--out", (dir / "out").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(file + ":2:12: malformed JSON"), std::string::npos) << r.err;
  EXPECT_EQ(dir.files(), std::vector<std::string>{"scenario.json"});
}

TEST(CliHelp, RunHasHelpWithAnExample) {
  for (const char* cmd : {"run"}) {
    auto r = run_cli({cmd, "--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("Example"), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace rejuv::testing
