// `rejuv model` and `rejuv crossover` as a user runs them: outputs, --help, and every kind of bad
// input (one clear message naming the JSON path, exit status 2, nothing written).
#include <gtest/gtest.h>

#include <variant>

#include "cli_runner.hpp"
#include "paper_params.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;
const std::string kPaper = source_path("data/kourai2007.json").string();

TEST(CliModel, JsonHasOneRowPerStrategyAndHostCount) {
  auto r = run_cli({"model", kPaper, "--hosts", "10", "--hosts", "20000", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json rows = json::parse(r.out);
  ASSERT_EQ(rows.size(), 10u);
  for (const auto& row : rows)
    for (const char* key : {"strategy", "hosts", "availability", "index", "throughput"})
      EXPECT_TRUE(row.contains(key)) << key;
  EXPECT_EQ(rows[0]["strategy"], "warm");
  EXPECT_FALSE(rows[0].contains("gamma"));
  EXPECT_EQ(rows[4]["strategy"], "migration");
  EXPECT_NEAR(rows[4]["gamma"].get<double>(), 0.60, 0.005);
  // At 20,000 hosts migration beats cold (figure 7).
  EXPECT_GT(rows[5]["index"].get<double>(), rows[3]["index"].get<double>());
  EXPECT_NEAR(rows[0]["throughput"].get<double>(), rows[0]["index"].get<double>() * 10 * 560, 1e-6);
}

TEST(CliModel, LogRangeGivesDistinctHostCountsFromAToB) {
  auto r = run_cli({"model", kPaper, "--hosts-range", "1:1000000", "--points", "7", "--log", "--format", "csv",
                    "--strategy", "warm"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "strategy,hosts,availability,vmm_degradation,os_degradation,index,throughput,gamma");
  for (const char* m : {"\nwarm,1,", "\nwarm,10,", "\nwarm,1000,", "\nwarm,1000000,"})
    EXPECT_NE(r.out.find(m), std::string::npos) << m;
}

TEST(CliModel, OutWritesTheFileAtomically) {
  TempDir dir;
  auto r = run_cli({"model", kPaper, "--format", "json", "--out", (dir / "rows.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(json::parse(read_file(dir / "rows.json")).size(), 5u);  // default m: the file's "hosts"
  EXPECT_EQ(dir.files(), std::vector<std::string>{"rows.json"});
}

// Outputs captured from the binary that held every row before printing (tests/golden/model/): the
// streamed rows must be the same bytes, in every format, with repeats, ranges and the file's hosts.
struct GoldenCase {
  const char* file;
  std::vector<std::string> args;
};
const std::vector<GoldenCase> kGolden{
    {"table-10-100000.txt", {"--hosts", "10", "--hosts", "100000"}},
    {"csv-log-range.csv", {"--hosts-range", "1:1000000", "--points", "7", "--log", "--format", "csv"}},
    {"json-cold-live.json",
     {"--hosts", "2", "--hosts", "11249", "--hosts", "1000000", "--strategy", "cold", "--strategy", "live",
      "--format", "json"}},
    {"json-file-hosts.json", {"--format", "json"}},
    {"csv-repeats.csv",
     {"--hosts", "5", "--hosts", "5", "--hosts", "1", "--hosts-range", "3:8", "--points", "10", "--format", "csv"}},
    {"table-log-range.txt",
     {"--hosts-range", "1:1000000", "--points", "12", "--log", "--strategy", "live_rate_control", "--strategy",
      "warm"}},
    {"json-linear-range.json", {"--hosts-range", "1:1000000", "--points", "12", "--strategy", "migration",
                                "--format", "json"}},
};

TEST(CliModel, StreamedRowsAreByteIdenticalToTheHeldOnes) {
  for (const GoldenCase& g : kGolden) {
    std::vector<std::string> args{"model", kPaper};
    args.insert(args.end(), g.args.begin(), g.args.end());
    const auto r = run_cli(args);
    ASSERT_EQ(r.status, 0) << g.file << ": " << r.err;
    EXPECT_EQ(r.out, read_file(source_path("tests/golden/model/" + std::string(g.file)))) << g.file;
  }
}

TEST(CliModel, OutStreamsTheSameBytesIntoTheFileAndLeavesNothingElse) {
  for (const GoldenCase& g : {kGolden[1], kGolden[2], kGolden[5]}) {
    TempDir dir;
    std::vector<std::string> args{"model", kPaper, "--out", (dir / "rows").string()};
    args.insert(args.end(), g.args.begin(), g.args.end());
    const auto r = run_cli(args);
    ASSERT_EQ(r.status, 0) << g.file << ": " << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(read_file(dir / "rows"), read_file(source_path("tests/golden/model/" + std::string(g.file))));
    EXPECT_EQ(dir.files(), std::vector<std::string>{"rows"});  // no temporary file left
  }
}

TEST(CliModel, BadRangeWritesNoFile) {
  // The range is read before the first row: a bad one leaves neither the file nor its temporary.
  TempDir dir;
  const auto r = run_cli({"model", kPaper, "--hosts-range", "9:3", "--format", "csv", "--out",
                          (dir / "rows.csv").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--hosts-range"), std::string::npos) << r.err;
  EXPECT_TRUE(dir.files().empty());
}

TEST(CliCrossover, FindsElevenThousandTwoHundredFortyNineAndSaysNever) {
  auto r = run_cli({"crossover", kPaper, "--strategy", "migration", "--versus", "cold", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["hosts"], 11249);
  r = run_cli({"crossover", kPaper, "--strategy", "migration", "--versus", "warm", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out)["hosts"].is_null());
  r = run_cli({"crossover", kPaper, "--strategy", "migration", "--versus", "warm"});
  EXPECT_NE(r.out.find("never"), std::string::npos);
}

TEST(CliHelp, EverySubcommandHasHelpWithAnExample) {
  for (const char* cmd : {"model", "crossover"}) {
    auto r = run_cli({cmd, "--help"});
    EXPECT_EQ(r.status, 0) << cmd;
    EXPECT_NE(r.out.find("Example"), std::string::npos) << cmd << ": " << r.out;
  }
}

TEST(CliArgs, BadCommandLineExitsTwo) {
  auto r = run_cli({"model", kPaper, "--hosts", "0"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--hosts"), std::string::npos) << r.err;
  r = run_cli({"crossover", kPaper, "--strategy", "tepid", "--versus", "cold"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--strategy: expected warm, cold"), std::string::npos) << r.err;
  r = run_cli({"model", kPaper, "--hosts-range", "10:2"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--hosts-range: expected A:B"), std::string::npos) << r.err;
  r = run_cli({"model", "/nonexistent/params.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/nonexistent/params.json: cannot open"), std::string::npos) << r.err;
}

// One bad-input case: a change to the paper's file, and the message it must produce.
struct BadCase {
  std::string pointer;                    // where to change the document
  std::variant<json, std::monostate> to;  // the new value, or monostate to remove the key
  std::string message;                    // "<pointer>: <message>" must appear on stderr
};

class CliBadParams : public ::testing::TestWithParam<BadCase> {};

TEST_P(CliBadParams, SaysWhereAndWhatExitsTwoAndWritesNothing) {
  const BadCase& c = GetParam();
  json doc = paper_json();
  const json::json_pointer ptr(c.pointer);
  if (std::holds_alternative<json>(c.to))
    doc[ptr] = std::get<json>(c.to);
  else
    doc[ptr.parent_pointer()].erase(ptr.back());
  TempDir dir;
  const std::string file = (dir / "params.json").string();
  write_file(file, doc.dump(2));
  for (const char* cmd : {"model", "crossover"}) {
    std::vector<std::string> args{cmd, file, "--out", (dir / "out.txt").string()};
    if (std::string(cmd) == "crossover") args.insert(args.end(), {"--strategy", "migration", "--versus", "cold"});
    auto r = run_cli(args);
    EXPECT_EQ(r.status, 2) << cmd << " " << c.pointer;
    EXPECT_NE(r.err.find(file + ": " + c.message), std::string::npos) << "stderr: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one message: " << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(dir.files(), std::vector<std::string>{"params.json"});
  }
}

const BadCase kBad[] = {
    {"/warm/downtime", std::monostate{}, "/warm/downtime: missing key"},
    {"/os", std::monostate{}, "/os: missing key"},
    {"/warm/downtime", json(-5), "/warm/downtime: expected a duration ≥ 0, got -5"},
    {"/cold/degraded_period", json("-3min"), "/cold/degraded_period: expected a duration ≥ 0, got \"-3min\""},
    {"/T_vmm", json(0), "/T_vmm: expected a duration > 0, got 0"},
    {"/T_os", json("-7d"), "/T_os: expected a duration > 0, got \"-7d\""},
    {"/host_throughput", json(0), "/host_throughput: expected a throughput > 0, got 0"},
    {"/host_throughput", json(-560), "/host_throughput: expected a throughput > 0, got -560"},
    {"/hosts", json(0), "/hosts: expected an integer ≥ 1, got 0"},
    {"/spares", json(-1), "/spares: expected an integer ≥ 0, got -1"},
    {"/warm/degradation", json(1.5), "/warm/degradation: expected a fraction in [0, 1], got 1.5"},
    {"/os/degradation", json(-0.1), "/os/degradation: expected a fraction in [0, 1], got -0.1"},
    {"/vms_per_host", json(1), "/vms_per_host: expected an integer ≥ 2 (migration's γ divides by (n−1)/n·p), got 1"},
    {"/migration/curves/V_s", json::parse(R"({"values":[25,29,34]})"),
     "/migration/curves/V_s/values: expected at least 11 values (one per VM i = 1..11), got 3"},
    {"/T_vmm", json("28 fortnights"), "/T_vmm: expected a duration > 0 such as"},
    {"/live/curves/M", json::parse(R"({"cubic":[1,2]})"), "/live/curves/M: unknown curve form \"cubic\""},
    {"/live_rate_control/curves/V_s", json::parse(R"({"piecewise":[{"to":4,"f":50},{"from":6,"f":34}]})"),
     "/live_rate_control/curves/V_s: curve does not cover i = 5 (it must cover i = 1..11)"},
    {"/warmm", json(1), "/warmm: unknown key"},
    {"/migration/gamma", json(2), "/migration/gamma: expected a fraction in [0, 1], got 2"},
    {"/live/total_time", json("181 seconds"), "/live/total_time: expected a duration ≥ 0 such as"},
};
INSTANTIATE_TEST_SUITE_P(EveryCase, CliBadParams, ::testing::ValuesIn(kBad));

TEST(CliBadParams, MalformedJsonNamesLineAndColumn) {
  TempDir dir;
  const std::string file = (dir / "params.json").string();
  write_file(file, "{\n  \"hosts\": 10,\n  oops\n}\n");
  auto r = run_cli({"model", file, "--out", (dir / "out.txt").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(file + ":3:3: malformed JSON"), std::string::npos) << r.err;
  EXPECT_EQ(dir.files(), std::vector<std::string>{"params.json"});
}

TEST(CliBadParams, ZeroDurationsAreTheLimitCaseAndAccepted) {
  json doc = paper_json();
  doc["warm"]["downtime"] = 0;
  doc["os"]["degraded_period"] = "0s";
  TempDir dir;
  write_file(dir / "params.json", doc.dump());
  EXPECT_EQ(run_cli({"model", (dir / "params.json").string()}).status, 0);
}

}  // namespace
}  // namespace rejuv::testing
