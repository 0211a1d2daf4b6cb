// Load traces: the shapes a service's request rate can take, read from JSON or a CSV file, and a
// bad file's message naming file:line:column and the trace's JSON path.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "models/input_error.hpp"
#include "sim/autoscale/load_trace.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;
using sim::autoscale::LoadTrace;
using sim::autoscale::parse_load_trace;

TEST(LoadTrace, ShapesGiveTheirRates) {
  const LoadTrace step = LoadTrace::step(0, 5, 75);  // seed 004 §5.5: 5 requests/s
  EXPECT_EQ(step.rate(74.9), 0);
  EXPECT_EQ(step.rate(75), 5);
  const LoadTrace ramp = LoadTrace::ramp(2, 10, 100, 200);
  EXPECT_EQ(ramp.rate(50), 2);
  EXPECT_DOUBLE_EQ(ramp.rate(150), 6);
  EXPECT_EQ(ramp.rate(300), 10);
  const LoadTrace wave = LoadTrace::periodic(5, 3, 3600, 0);
  EXPECT_NEAR(wave.rate(900), 8, 1e-12);   // a quarter period: the peak
  EXPECT_NEAR(wave.rate(2700), 2, 1e-12);  // three quarters: the trough
  EXPECT_NEAR(wave.rate(3600), 5, 1e-12);
  EXPECT_EQ(LoadTrace::constant(4).scaled(2.5).rate(1e6), 10);
}

TEST(LoadTrace, TableHoldsOrInterpolatesBetweenPoints) {
  const std::vector<std::pair<double, double>> pts = {{10, 1}, {20, 3}, {40, 0}};
  const LoadTrace held = LoadTrace::table(pts, false), linear = LoadTrace::table(pts, true);
  EXPECT_EQ(held.rate(0), 1);  // before the first point: its rate
  EXPECT_EQ(held.rate(15), 1);
  EXPECT_EQ(linear.rate(15), 2);
  EXPECT_EQ(held.rate(30), 3);
  EXPECT_DOUBLE_EQ(linear.rate(30), 1.5);
  EXPECT_EQ(linear.rate(100), 0);  // after the last: its rate
}

TEST(LoadTrace, ReadsEachKindFromJson) {
  EXPECT_EQ(parse_load_trace({{"constant", 3}}, "/load/a", "").rate(9), 3);
  EXPECT_EQ(parse_load_trace({{"step", {{"from", 1}, {"to", 4}, {"at", "1min"}}}}, "/load/a", "")
                .rate(60),
            4);
  EXPECT_DOUBLE_EQ(
      parse_load_trace({{"ramp", {{"from", 0}, {"to", 10}, {"start", "1min"}, {"end", "2min"}}}},
                       "/load/a", "")
          .rate(90),
      5);
  EXPECT_NEAR(
      parse_load_trace(
          {{"periodic", {{"mean", 4}, {"amplitude", 4}, {"period", "1h"}, {"phase", "15min"}}}},
          "/load/a", "")
          .rate(1800),
      8, 1e-12);
}

void expect_error(const json& v, const std::string& where, const std::string& what) {
  try {
    parse_load_trace(v, "/load/apache", "");
    ADD_FAILURE() << "accepted " << v.dump();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), where) << e.what();
    EXPECT_NE(e.message().find(what), std::string::npos) << e.what();
  }
}

TEST(LoadTrace, BadJsonNamesThePath) {
  expect_error(json::object(), "/load/apache", "expected one of the keys");
  expect_error({{"square", 3}}, "/load/apache/square", "unknown key");
  expect_error({{"constant", 1}, {"step", 2}}, "/load/apache/step", "one kind");
  expect_error({{"constant", -1}}, "/load/apache/constant", "expected a rate ≥ 0");
  expect_error({{"step", {{"from", 1}, {"to", 4}}}}, "/load/apache/step/at", "missing key");
  expect_error({{"ramp", {{"from", 0}, {"to", 1}, {"start", "2min"}, {"end", "1min"}}}},
               "/load/apache/ramp/end", "expected end ≥ start");
  expect_error({{"periodic", {{"mean", 2}, {"amplitude", 3}, {"period", "1h"}}}},
               "/load/apache/periodic/amplitude", "never goes below 0");
  expect_error({{"periodic", {{"mean", 2}, {"amplitude", 1}, {"period", 0}}}},
               "/load/apache/periodic/period", "> 0");
  expect_error({{"constant", 1}, {"interpolation", "linear"}}, "/load/apache/interpolation",
               "only to a \"csv\"");
}

TEST(LoadTrace, ReadsACsvFileBesideTheScenario) {
  TempDir dir;
  write_file(dir / "trace.csv",
             "# requests per second, per minute\ntime_s,rate\n\n0,1\n60, 4\n120,2\n");
  const LoadTrace t = parse_load_trace({{"csv", "trace.csv"}}, "/load/apache", dir.path());
  EXPECT_EQ(t.rate(30), 1);
  EXPECT_EQ(t.rate(60), 4);
  EXPECT_EQ(t.rate(500), 2);
  const LoadTrace l = parse_load_trace({{"csv", "trace.csv"}, {"interpolation", "linear"}},
                                       "/load/apache", dir.path());
  EXPECT_DOUBLE_EQ(l.rate(30), 2.5);
}

TEST(LoadTrace, ABadCsvRowNamesFileLineAndColumnAndTheTrace) {
  TempDir dir;
  struct Case {
    std::string text, place, what;
  };
  const Case cases[] = {
      {"time_s,rate\n0,1\n60,-4\n", ":3:4", "expected a rate ≥ 0 in requests/s, got \"-4\""},
      {"0,1\nsoon,4\n", ":2:1", "expected a time in seconds ≥ 0, got \"soon\""},
      {"0,1\n60,4,9\n", ":2", "expected two cells, time_s,rate, got 3"},
      {"0,1\n60,4\n30,2\n", ":3:1", "expected a time after the previous row's 60 s, got 30"},
      {"time_s,rate\n", "", "expected at least one row"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    write_file(dir / "bad.csv", c.text);
    try {
      parse_load_trace({{"csv", "bad.csv"}}, "/load/apache", dir.path());
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      EXPECT_TRUE(e.in_file());
      EXPECT_EQ(e.where(), (dir / "bad.csv").string() + c.place);
      EXPECT_NE(e.message().find(c.what), std::string::npos) << e.message();
      EXPECT_NE(e.message().find("(the trace at /load/apache/csv)"), std::string::npos)
          << e.message();
    }
  }
  try {
    parse_load_trace({{"csv", "missing.csv"}}, "/load/apache", dir.path());
    ADD_FAILURE() << "accepted a missing file";
  } catch (const InputError& e) {
    EXPECT_NE(e.message().find("cannot open"), std::string::npos);
  }
}

}  // namespace
}  // namespace rejuv::testing
