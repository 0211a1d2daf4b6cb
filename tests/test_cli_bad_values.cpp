// Values that make the formulas meaningless, tried as a new user would (issue 13, "Hardening"):
// every command refuses them with one message naming the file, the JSON path and the reason,
// exits 2 and writes nothing. Before, these gave inf or nan with exit 0, a run that never ended,
// or an abort (exit 134) after leaving files in the output folder.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "paper_params.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;

struct BadValue {
  std::string pointer;
  json value;
  std::string message;  // expected after "<file>: "
};

const BadValue kIssueExamples[] = {
    {"/migration/curves/V_s", json::parse(R"({"exp": [800, 1]})"),
     "/migration/curves/V_s: expected a finite value ≥ 0 at every VM i = 1..11, got f(1) = inf"},
    {"/live/curves/V_s", json::parse(R"({"linear": [1e308, 0]})"), "/live/curves/V_s: expected a finite value ≥ 0"},
    {"/T_os", json(1e-320), "/T_os: expected T_vmm / T_os (OS rejuvenations per VMM rejuvenation) to be finite"},
    {"/cold/degraded_period", json("300d"), "/cold: expected downtime + degraded_period ≤ T_vmm"},
};

std::string params_file(const TempDir& dir, const BadValue& c) {
  json doc = paper_json();
  doc[json::json_pointer(c.pointer)] = c.value;
  const std::string file = (dir / "params.json").string();
  write_file(file, doc.dump(2));
  return file;
}

class BadValueEveryCommand : public ::testing::TestWithParam<BadValue> {};

TEST_P(BadValueEveryCommand, ModelCrossoverCheckAndPlotRefuseItAndWriteNothing) {
  TempDir dir;
  const std::string file = params_file(dir, GetParam());
  const std::string out = (dir / "out.txt").string();
  const std::vector<std::vector<std::string>> commands{
      {"model", file, "--out", out},
      {"crossover", file, "--strategy", "migration", "--versus", "cold", "--out", out},
      {"check", file, "--expect", source_path("data/kourai2007.expect.json").string()},
      {"plot", "fig7", file, "--out", (dir / "fig7.svg").string()},
  };
  for (const auto& args : commands) {
    auto r = run_cli(args);
    EXPECT_EQ(r.status, 2) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find(file + ": " + GetParam().message), std::string::npos) << args[0] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(dir.files(), std::vector<std::string>{"params.json"});
  }
}

TEST_P(BadValueEveryCommand, RunRefusesAScenarioExtendingItAndLeavesNoFolder) {
  TempDir dir;
  const std::string params = params_file(dir, GetParam());
  const std::string file = (dir / "scenario.json").string();
  write_file(file, json{{"kind", "rejuvenation"}, {"extends", "params.json"}, {"hosts", 10}, {"strategies", {"migration"}},
                        {"horizon", "30d"}, {"seed", 1}}
                       .dump());
  for (const char* command : {"run", "sweep"}) {
    std::vector<std::string> args{command, file, "--out", (dir / "out" / "deeper").string(), "--quiet"};
    if (std::string(command) == "sweep") args = {command, file, "--set", "hosts=10,20", "--out", (dir / "out").string()};
    auto r = run_cli(args);
    EXPECT_EQ(r.status, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find(file + ": " + GetParam().message), std::string::npos) << r.err;
    EXPECT_EQ(dir.files(), (std::vector<std::string>{"params.json", "scenario.json"}));
  }
}

INSTANTIATE_TEST_SUITE_P(IssueExamples, BadValueEveryCommand, ::testing::ValuesIn(kIssueExamples));

TEST(CliRunBadValues, ARunThatWouldNotEndInReasonableTimeIsRefused) {
  TempDir dir;
  const std::string file = (dir / "scenario.json").string();
  json doc = paper_json();
  doc.merge_patch({{"kind", "rejuvenation"}, {"strategies", {"warm"}}, {"horizon", "1e9d"}, {"seed", 1}});
  write_file(file, doc.dump());
  auto r = run_cli({"run", file, "--out", (dir / "out").string(), "--quiet"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(file + ": /horizon: expected a run of at most 1e+11 events per strategy, got about"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(dir.files(), std::vector<std::string>{"scenario.json"});
}

TEST(CliRunBadValues, AnAgingScaleNearZeroIsRefusedRatherThanRunForever) {
  TempDir dir;
  const std::string file = (dir / "scenario.json").string();
  json doc = paper_json();
  doc.merge_patch({{"kind", "rejuvenation"},
                   {"strategies", {"warm"}},
                   {"horizon", "30d"},
                   {"seed", 1},
                   {"aging", {{"os", {{"shape", 1e-6}, {"scale", "1h"}}}}}});
  write_file(file, doc.dump());
  auto r = run_cli({"run", file, "--out", (dir / "out").string(), "--quiet"});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("/horizon: expected a run of at most"), std::string::npos) << r.err;
  EXPECT_EQ(dir.files(), std::vector<std::string>{"scenario.json"});
}

// Found by fuzz/params (fuzz/regressions/params/number-overflow-*): a number beyond a double made
// nlohmann::json throw out_of_range, which no reader caught (an abort before; an internal error
// after the command boundary caught everything).
TEST(CliBadJson, ANumberBeyondADoubleIsMalformedJsonWithItsLineAndColumn) {
  TempDir dir;
  const std::string file = (dir / "params.json").string();
  write_file(file, "{\n  \"hosts\": 1e400\n}\n");
  auto r = run_cli({"model", file, "--out", (dir / "out.txt").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(file + ":2:12: malformed JSON: number overflow parsing '1e400' (beyond the range of a double)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(dir.files(), std::vector<std::string>{"params.json"});
}

}  // namespace
}  // namespace rejuv::testing
