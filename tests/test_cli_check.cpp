// `rejuv check` as a CI runs it: the paper's parameters pass their recorded expectation
// (data/kourai2007.expect.json); a 1 % change of any single parameter of data/kourai2007.json is
// caught; --update records deliberately; bad input exits 2 and leaves the expectation untouched.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "cli_runner.hpp"
#include "paper_params.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;
const std::string kPaper = source_path("data/kourai2007.json").string();
const std::string kExpect = source_path("data/kourai2007.expect.json").string();
constexpr auto npos = std::string::npos;

// The lines of the diff whose key starts with `prefix` and whose status is DRIFT.
std::vector<std::string> drift_lines(const std::string& out, const std::string& prefix) {
  std::vector<std::string> found;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(prefix) && line.ends_with("DRIFT")) found.push_back(line);
  return found;
}

TEST(CliCheck, PaperParametersPassTheirRecordedExpectation) {
  // This is the check the project's own CI runs.
  auto r = run_cli({"check", kPaper, "--expect", kExpect});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all 44 values within tolerance"), npos) << r.out;
  EXPECT_EQ(r.out.find("DRIFT"), npos) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliCheck, RecordedValuesAreThePapersStatements) {
  // Seed 003 §4.2: γ = 0.60, γ' = 0.23 with rate control; §4.3, figure 7: migration beats Cold-VM
  // reboot from about 11,000 hosts.
  const json x = load_json(kExpect);
  EXPECT_NEAR(x["strategies"]["migration"]["gamma"].get<double>(), 0.60, 0.005);
  EXPECT_NEAR(x["strategies"]["live_rate_control"]["gamma"].get<double>(), 0.23, 0.01);
  bool found = false;
  for (const auto& c : x["crossovers"])
    if (c["strategy"] == "migration" && c["versus"] == "cold") {
      EXPECT_EQ(c["hosts"], 11249);
      found = true;
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(x["hosts"], json({10, 1000, 100000}));
}

// --- A 1 % change of every parameter ------------------------------------------------------------

enum class Change {
  Scale,         // × 1.01 (a duration string keeps its unit)
  PlusOne,       // an integer count or a segment's "to": + 1
  BoundaryDown,  // a later segment's "from" and the previous "to" together − 1: the boundary moves
  Unused,        // a value no formula reads: the check must pass
};

struct Leaf {
  std::string pointer;
  Change change = Change::Scale;
  std::string drifts;  // a key prefix that must show DRIFT; empty for Change::Unused
};

// What each parameter must move: its own strategy's terms, γ for a curve, and for the shared
// parameters the first strategy they reach (warm), or what only they reach.
std::string expected_drift(const std::string& pointer) {
  const std::string top = pointer.substr(1, pointer.find('/', 1) - 1);
  if (top == "host_throughput")
    return "/strategies/warm/throughput/";  // p cancels out of the index
  if (top == "spares") return "/strategies/migration/index/";
  if (top == "vms_per_host") return "/strategies/migration/gamma";
  if (top == "os" || top == "T_vmm" || top == "T_os") return "/strategies/warm/";
  if (pointer.find("/curves/") != npos) return "/strategies/" + top + "/gamma";
  return "/strategies/" + top + "/";
}

void collect(const json& v, const std::string& pointer, const std::string& key,
             std::vector<Leaf>& out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.items())
      if (!k.starts_with("_")) collect(child, pointer + "/" + k, k, out);
    return;
  }
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) collect(v[i], fmt::format("{}/{}", pointer, i), "", out);
    return;
  }
  if (!v.is_number() && !v.is_string()) return;
  if (pointer == "/hosts") return;  // only the default host count of `rejuv model`
  Leaf leaf{pointer, Change::Scale, expected_drift(pointer)};
  if (key == "spares" || key == "vms_per_host" || key == "to") leaf.change = Change::PlusOne;
  if (key == "from") {
    // The first segment's "from" only says where the curve starts; V_d starts at 2 because V_d(1)
    // is never used ((i−1)·V_d(i) = 0 in V_c), so lowering it changes nothing, and raising it
    // leaves i = 2 uncovered (bad input). A later segment's "from" repeats the previous "to" + 1.
    const bool first = pointer.ends_with("/piecewise/0/from");
    leaf.change = first ? Change::Unused : Change::BoundaryDown;
  }
  // M_t as measured is informational: the model uses D_m (= M_t / n in the paper) and weighs γ by
  // ΣM(i) (models/params.hpp). If a formula starts to read it, this test says so.
  if (pointer == "/migration/total_time") leaf.change = Change::Unused;
  if (leaf.change == Change::Unused) leaf.drifts.clear();
  out.push_back(leaf);
}

std::vector<Leaf> paper_leaves() {
  std::vector<Leaf> leaves;
  collect(paper_json(), "", "", leaves);
  return leaves;
}

// "59s" → "59.59s", 0.61 → 0.6161.
json scaled(const json& v, double factor) {
  if (v.is_number()) return v.get<double>() * factor;
  const std::string text = v.get<std::string>();
  double x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc()) throw std::runtime_error("not a number with a unit: " + text);
  return fmt::format("{}{}", x * factor, std::string(end, text.data() + text.size()));
}

json changed(json doc, const Leaf& leaf) {
  const json::json_pointer ptr(leaf.pointer);
  switch (leaf.change) {
    case Change::Scale:
      doc[ptr] = scaled(doc[ptr], 1.01);
      break;
    case Change::PlusOne:
      doc[ptr] = doc[ptr].get<int>() + 1;
      break;
    case Change::Unused:
      doc[ptr] =
          leaf.pointer.ends_with("/from") ? json(doc[ptr].get<int>() - 1) : scaled(doc[ptr], 1.01);
      break;
    case Change::BoundaryDown: {
      // The segment before takes one VM less; if that leaves it empty, it goes.
      json& segments = doc[ptr.parent_pointer().parent_pointer()];
      const size_t k = std::stoul(ptr.parent_pointer().back());
      json& segment = segments[k];
      json& previous = segments[k - 1];
      segment["from"] = segment["from"].get<int>() - 1;
      previous["to"] = previous["to"].get<int>() - 1;
      if (previous.contains("from") && previous["from"].get<int>() > previous["to"].get<int>())
        segments.erase(k - 1);
      break;
    }
  }
  return doc;
}

class CliCheckEveryParameter : public ::testing::TestWithParam<Leaf> {};

TEST_P(CliCheckEveryParameter, OnePercentChangeDriftsBeyondTolerance) {
  const Leaf& leaf = GetParam();
  TempDir dir;
  const std::string file = (dir / "params.json").string();
  write_file(file, changed(paper_json(), leaf).dump(2));
  auto r = run_cli({"check", file, "--expect", kExpect});
  if (leaf.change == Change::Unused) {
    EXPECT_EQ(r.status, 0) << leaf.pointer << " is read by no formula\n" << r.out << r.err;
    return;
  }
  ASSERT_EQ(r.status, 1) << leaf.pointer << "\n" << r.out << r.err;
  EXPECT_FALSE(drift_lines(r.out, leaf.drifts).empty())
      << leaf.pointer << " should move " << leaf.drifts << "\n"
      << r.out;
  EXPECT_NE(r.err.find(kExpect + ": "), npos) << r.err;
  EXPECT_NE(r.err.find("drift beyond their tolerance"), npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(DataKourai2007, CliCheckEveryParameter,
                         ::testing::ValuesIn(paper_leaves()),
                         [](const ::testing::TestParamInfo<Leaf>& info) {
                           std::string name;
                           for (char ch : info.param.pointer.substr(1))
                             name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return name;
                         });

TEST(CliCheckEveryParameter, WalkFindsEveryLeafOfThePaperFile) {
  // 5 scalars besides "hosts", 3 × 3 reboot values, the 4 migration times, and Table 1's curves:
  // 24 coefficients and 12 segment bounds.
  const auto leaves = paper_leaves();
  EXPECT_EQ(leaves.size(), 54u);
  const auto unused = std::count_if(leaves.begin(), leaves.end(),
                                    [](const Leaf& l) { return l.change == Change::Unused; });
  EXPECT_EQ(unused, 3);  // /migration/total_time and the two V_d "from": 2
}

TEST(CliCheck, DriftLineShowsExpectedGotDifferenceAndTolerance) {
  json doc = paper_json();
  doc["warm"]["downtime"] = "60s";  // D_w(11): 59 s in figure 3
  TempDir dir;
  write_file(dir / "params.json", doc.dump());
  auto r = run_cli({"check", (dir / "params.json").string(), "--expect", kExpect});
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  const auto lines = drift_lines(r.out, "/strategies/warm/availability");
  ASSERT_EQ(lines.size(), 1u) << r.out;
  // A_w falls by 1 s / T_vmm = 4.13e-7.
  EXPECT_NE(lines[0].find("0.999907822"), npos) << lines[0];
  EXPECT_NE(lines[0].find("-4.13"), npos) << lines[0];
  EXPECT_NE(lines[0].find("1e-09"), npos) << lines[0];
  EXPECT_FALSE(drift_lines(r.out, "/strategies/cold/").size()) << "cold does not use D_w:\n"
                                                               << r.out;
  EXPECT_NE(r.out.find("/strategies/cold/availability"), npos) << "every value has a line";
}

// --- --update ----------------------------------------------------------------------------------

TEST(CliCheckUpdate, RecordsAChangeKeepingTolerancesHostsOverridesAndComments) {
  TempDir dir;
  const std::string params = (dir / "params.json").string(),
                    expect = (dir / "expect.json").string();
  json x = load_json(kExpect);
  x["tolerances"]["index"] = 2e-9;
  x["strategies"]["cold"]["availability"] = {{"_why", "kept"}, {"value", 0.5}, {"tolerance", 1e-3}};
  write_file(expect, x.dump(2));
  json doc = paper_json();
  doc["cold"]["downtime"] = "220s";
  write_file(params, doc.dump(2));

  auto r = run_cli({"check", params, "--expect", expect});
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  r = run_cli({"check", params, "--expect", expect, "--update"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("updated " + expect), npos) << r.out;
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"expect.json", "params.json"}))
      << "no temp file left";
  r = run_cli({"check", params, "--expect", expect});
  EXPECT_EQ(r.status, 0) << r.out << r.err;

  const json y = load_json(expect);
  EXPECT_EQ(y["tolerances"]["index"], 2e-9);
  EXPECT_EQ(y["hosts"], x["hosts"]);
  EXPECT_EQ(y["_source"], x["_source"]);
  EXPECT_EQ(y["crossovers"][0]["_paper"], x["crossovers"][0]["_paper"]);
  EXPECT_EQ(y["strategies"]["cold"]["availability"]["_why"], "kept");
  EXPECT_EQ(y["strategies"]["cold"]["availability"]["tolerance"], 1e-3);
  EXPECT_NE(y["strategies"]["cold"]["availability"]["value"], 0.5);
  EXPECT_EQ(y["params"], "params.json");
  // And the paper's own file now drifts against it: the update recorded the change.
  EXPECT_EQ(run_cli({"check", kPaper, "--expect", expect}).status, 1);
}

TEST(CliCheckUpdate, ANewHostCountIsMissingUntilRecorded) {
  TempDir dir;
  const std::string expect = (dir / "expect.json").string();
  json x = load_json(kExpect);
  x["hosts"].push_back(11249);
  write_file(expect, x.dump(2));
  auto r = run_cli({"check", kPaper, "--expect", expect});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(expect + ": /strategies/warm/index/11249: missing key (run `rejuv check"),
            npos)
      << r.err;
  r = run_cli({"check", kPaper, "--expect", expect, "--update"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("10 new"), npos) << r.out;  // index and throughput of five strategies
  EXPECT_EQ(run_cli({"check", kPaper, "--expect", expect}).status, 0);
}

TEST(CliCheckUpdate, CreatesAMissingFileWithDefaultsThatThenPasses) {
  TempDir dir;
  const std::string expect = (dir / "new.expect.json").string();
  auto r = run_cli({"check", kPaper, "--expect", expect, "--update"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("created " + expect), npos) << r.out;
  const json y = load_json(expect);
  EXPECT_EQ(y["hosts"], json({10, 1000, 100000}));
  EXPECT_EQ(y["crossovers"].size(), 6u);  // each migration strategy versus warm and versus cold
  EXPECT_EQ(y["tolerances"]["crossover_hosts"], 0);
  EXPECT_EQ(run_cli({"check", kPaper, "--expect", expect}).status, 0);
}

// --- Bad input ---------------------------------------------------------------------------------

struct BadExpect {
  std::string pointer;  // where to change data/kourai2007.expect.json
  json to;              // the new value; null removes the key
  std::string message;  // "<file>: <message>" must appear on stderr
  bool update_too;      // --update refuses it as well (else --update records the missing value)
};

class CliCheckBadExpect : public ::testing::TestWithParam<BadExpect> {};

TEST_P(CliCheckBadExpect, SaysWhereAndWhatExitsTwoAndLeavesTheFileAlone) {
  const BadExpect& c = GetParam();
  json x = load_json(kExpect);
  const json::json_pointer ptr(c.pointer);
  if (c.to.is_null())
    x[ptr.parent_pointer()].erase(ptr.back());
  else
    x[ptr] = c.to;
  TempDir dir;
  const std::string expect = (dir / "expect.json").string(), text = x.dump(2);
  write_file(expect, text);
  std::vector<std::vector<std::string>> runs{{"check", kPaper, "--expect", expect}};
  if (c.update_too) runs.push_back({"check", kPaper, "--expect", expect, "--update"});
  for (const auto& args : runs) {
    auto r = run_cli(args);
    EXPECT_EQ(r.status, 2) << c.pointer << " " << args.size();
    EXPECT_NE(r.err.find(expect + ": " + c.message), npos) << "stderr: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one message: " << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(read_file(expect), text);
    EXPECT_EQ(dir.files(), std::vector<std::string>{"expect.json"});
  }
}

const BadExpect kBadExpect[] = {
    {"/tolerances/index", -1, "/tolerances/index: expected a number ≥ 0, got -1", true},
    {"/tolerances/throughput", "tight",
     "/tolerances/throughput: expected a number ≥ 0, got \"tight\"", true},
    {"/tolerances/speed", 1,
     "/tolerances/speed: unknown key (expected one of: index, availability, gamma", true},
    {"/hosts/1", 0, "/hosts/1: expected an integer ≥ 1, got 0", true},
    {"/hosts/2", 10, "/hosts/2: 10 is listed twice", true},
    {"/hosts", json::array(), "/hosts: expected a non-empty array of host counts, got []", true},
    {"/strategies/wram", json::object(),
     "/strategies/wram: expected warm, cold, migration, live or live_rate_control", true},
    {"/strategies/warm/gamma", 0.5,
     "/strategies/warm/gamma: unknown key (expected one of: availability, index", true},
    {"/strategies/cold/index/10", "0.99",
     "/strategies/cold/index/10: expected a number or {\"value\": x", true},
    {"/strategies/live/availability",
     {{"value", 1}, {"tolerance", -0.1}},
     "/strategies/live/availability/tolerance: expected a number ≥ 0, got -0.1",
     true},
    {"/crossovers/0/strategy", "tepid",
     "/crossovers/0/strategy: expected warm, cold, migration, live or", true},
    {"/crossovers/0/hosts", 1,
     "/crossovers/0/hosts: expected an integer ≥ 2, or null for never, got 1", true},
    {"/crossovers/1/versus", "live",
     "/crossovers/1/versus: expected a strategy other than \"live\"", true},
    {"/crossovers", json::object(), "/crossovers: expected an array", true},
    {"/extra", 1, "/extra: unknown key (expected one of: params, hosts", true},
    // A check needs every value; --update records them.
    {"/strategies/cold/availability", nullptr,
     "/strategies/cold/availability: missing key (run `rejuv check", false},
    {"/crossovers/0/hosts", nullptr, "/crossovers/0/hosts: missing key", false},
    {"/strategies/warm/index/20", 0.9,
     "/strategies/warm/index/20: not a host count listed in /hosts", false},
};
INSTANTIATE_TEST_SUITE_P(EveryCase, CliCheckBadExpect, ::testing::ValuesIn(kBadExpect));

TEST(CliCheckBadInput, MalformedOrMissingExpectationExitsTwo) {
  TempDir dir;
  const std::string expect = (dir / "expect.json").string();
  write_file(expect, "{\n  \"hosts\": [10,\n}\n");
  for (bool update : {false, true}) {
    std::vector<std::string> args{"check", kPaper, "--expect", expect};
    if (update) args.push_back("--update");
    auto r = run_cli(args);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find(expect + ":3:1: malformed JSON"), npos) << r.err;
    EXPECT_EQ(read_file(expect), "{\n  \"hosts\": [10,\n}\n");
  }
  auto r = run_cli({"check", kPaper, "--expect", (dir / "none.json").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find((dir / "none.json").string() + ": cannot open the file"), npos) << r.err;
}

TEST(CliCheckBadInput, BadParamsExitTwoAndLeaveTheExpectationAlone) {
  TempDir dir;
  const std::string params = (dir / "params.json").string(),
                    expect = (dir / "expect.json").string();
  json doc = paper_json();
  doc["warm"]["downtime"] = -5;
  write_file(params, doc.dump(2));
  const std::string text = read_file(kExpect);
  write_file(expect, text);
  for (bool update : {false, true}) {
    std::vector<std::string> args{"check", params, "--expect", expect};
    if (update) args.push_back("--update");
    auto r = run_cli(args);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find(params + ": /warm/downtime: expected a duration ≥ 0, got -5"), npos)
        << r.err;
    EXPECT_EQ(read_file(expect), text);
    EXPECT_EQ(dir.files(), (std::vector<std::string>{"expect.json", "params.json"}));
  }
}

TEST(CliCheckHelp, HasAnExampleAndTheExitStatuses) {
  auto r = run_cli({"check", "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Example"), npos) << r.out;
  EXPECT_NE(r.out.find("rejuv check data/kourai2007.json --expect data/kourai2007.expect.json"),
            npos)
      << r.out;
  EXPECT_NE(r.out.find("1 drift"), npos) << r.out;
}

}  // namespace
}  // namespace rejuv::testing
