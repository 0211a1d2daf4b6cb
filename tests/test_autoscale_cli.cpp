// `rejuv run` on autoscale scenarios as a user runs it: the shipped scenario's outputs, and bad
// scenarios (one message with the JSON path or file:line, exit status 2, nothing written).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;

TEST(AutoscaleCli, RunWritesTheSummaryKeysAndTheTimeline) {
  TempDir dir;
  const auto r = run_cli(
      {"run", source_path("scenarios/ciel-apache.json").string(), "--out", (dir / "out").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("scale_out_s"), std::string::npos) << r.out;
  const json summary = json::parse(read_file(dir / "out/summary.json"));
  EXPECT_EQ(summary["kind"], "autoscale");
  EXPECT_EQ(summary["data"], "simulated");
  ASSERT_EQ(summary["results"].size(), 5u);
  for (const auto& res : summary["results"])
    for (const char* key :
         {"strategy", "scale_out_s", "copy_s", "boot_s", "start_s", "cpu_s", "peak_memory_mib",
          "vcpu_s", "gib_s", "cost", "unserved_request_s", "scale_outs", "scale_ins"})
      EXPECT_TRUE(res.contains(key)) << key;
  const std::string csv = read_file(dir / "out/timeline.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "time_s,strategy,metric,subject,value");
  for (const char* row : {",ciel,demand,apache,", ",ciel,capacity,apache,", ",ciel,cpu,web,",
                          ",ciel,cpu,apache-1,", ",ciel,scale_out,apache,"})
    EXPECT_NE(csv.find(row), std::string::npos) << row;
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"out", "out/summary.json", "out/timeline.csv"}));
}

struct BadScenario {
  json patch;
  std::string message;  // expected after "<file>: "
};

class AutoscaleCliBad : public ::testing::TestWithParam<BadScenario> {};

// A scenario in its own folder, extending the shipped data file, with `patch` merged in.
std::string scenario_file(const TempDir& dir, const json& patch) {
  json doc = {{"kind", "autoscale"},
              {"extends", source_path("data/ciel2018.json").string()},
              {"strategies", {"vm", "ciel"}},
              {"horizon", "5min"},
              {"seed", 1},
              {"load",
               {{"apache", {{"constant", 5}}},
                {"nginx", {{"constant", 0}}},
                {"wildfly", {{"constant", 0}}}}}};
  json rest = patch;
  if (rest.contains("load")) {  // a trace given replaces the default one (a trace has one kind);
                                // null removes it
    for (const auto& [service, trace] : rest["load"].items()) {
      if (trace.is_null())
        doc["load"].erase(service);
      else
        doc["load"][service] = trace;
    }
    rest.erase("load");
  }
  merge_keeping_nulls(doc, rest);
  const std::string file = (dir / "scenario.json").string();
  write_file(file, doc.dump(2));
  return file;
}

TEST_P(AutoscaleCliBad, SaysWhereExitsTwoAndWritesNothing) {
  TempDir dir;
  write_file(dir / "trace.csv", "time_s,rate\n0,5\n60,lots\n");
  const std::string file = scenario_file(dir, GetParam().patch);
  const auto before = dir.files();
  const auto r = run_cli({"run", file, "--out", (dir / "out").string(), "--quiet"});
  EXPECT_EQ(r.status, 2);
  std::string expected = GetParam().message;
  if (expected.starts_with("trace.csv"))
    expected = (dir / "").string() + expected;
  else
    expected = file + ": " + expected;
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(dir.files(), before);
}

const BadScenario kBad[] = {
    {{{"load", {{"nginx", nullptr}}}},
     "/load/nginx: missing key (every service needs a load trace"},
    {{{"autoscaler", {{"threshold", 1.5}}}},
     "/autoscaler/threshold: expected a CPU fraction in (0, 1], got 1.5"},
    {{{"autoscaler", {{"threshold", 0}}}},
     "/autoscaler/threshold: expected a CPU fraction in (0, 1], got 0"},
    {{{"vms",
       {{{"name", "web"},
         {"vcpus", 1},
         {"memory", "300MiB"},
         {"services", {"apache", "nginx", "wildfly"}}}}}},
     "/vms/0/memory: expected at least 400 MiB to hold the OS (150 MiB) and service wildfly (250 "
     "MiB), got 300 MiB"},
    {{{"strategies", {"ciel", "k8s"}}},
     "/strategies/1: expected vm, ciel, vm_pooled, ciel_pooled or flexcapsule, got \"k8s\""},
    {{{"load", {{"apache", {{"csv", "trace.csv"}}}}}},
     "trace.csv:3:4: expected a rate ≥ 0 in requests/s, got \"lots\" (the trace at "
     "/load/apache/csv)"},
    {{{"copy_bandwidth", "-50MB/s"}}, "/copy_bandwidth: expected a rate in bit/s > 0"},
    {{{"copy_bandwidth", 0}}, "/copy_bandwidth: expected a rate in bit/s > 0, got 0"},
    {{{"copy_bandwidth", "1e-300MB/s"}}, "/copy_bandwidth: expected a copy bandwidth of at least 1 kB/s, got \"1e-300MB/s\""},
    {{{"services", {{"apache", {{"vm", {{"memory", "128MiB"}}}}}}}},
     "/services/apache/vm/memory: expected at least"},
    {{{"strategies", {"flexcapsule"}}, {"services", {{"nginx", {{"nested", nullptr}}}}}},
     "/services/nginx/nested: missing key"},
    {{{"load", {{"tomcat", {{"constant", 1}}}}}},
     "/load/tomcat: expected the name of a service of /services"},
    {{{"pool", {{"size", -1}}}}, "/pool/size: expected an integer from 0 to 10000, got -1"},
    {{{"autoscaler", {{"policy", "hpa"}}}, {"strategies", {"flexcapsule"}}},
     "/autoscaler/policy: flexcapsule moves"},
};
INSTANTIATE_TEST_SUITE_P(EveryCase, AutoscaleCliBad, ::testing::ValuesIn(kBad));

}  // namespace
}  // namespace rejuv::testing
