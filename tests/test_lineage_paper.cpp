// Seed 000 §5's three experiments, run from their scenarios: the substitutions lineage makes and
// the trace lines of figures 4, 6 and 8; and what the other policies make of the same failure.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "sim/scenario.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;

struct Outputs {
  json summary;
  std::string trace;
  const json& result(const std::string& policy) const {
    for (const auto& r : summary["results"])
      if (r["policy"] == policy) return r;
    throw std::runtime_error("no result for " + policy);
  }
  // The trace of one policy's request.
  std::string trace_of(const std::string& policy) const {
    const size_t at = trace.find("(" + policy + ")");
    const size_t end = trace.find("\n== ", at);
    return trace.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }
};

Outputs run(const std::string& scenario) {
  sim::RunOptions options;
  options.progress = false;
  const auto files =
      sim::run_scenario(sim::read_scenario(source_path("scenarios/" + scenario)), options);
  return Outputs{json::parse(files.at(0).second), files.at(1).second};
}

json substitution(double time, const char* step, const char* op, const char* failed,
                  const char* sub) {
  return {
      {"time_s", time}, {"step", step}, {"operation", op}, {"failed", failed}, {"substitute", sub}};
}

bool has_line(const std::string& trace, const std::string& line) {
  return trace.find("\n" + line + "\n") != std::string::npos;
}

TEST(PaperExperiment1, Ibm34IsReplacedByIbm42AndTheVmsAreFigure4s) {
  const Outputs r = run("lineage-deploy.json");
  const json& lineage = r.result("lineage");
  EXPECT_EQ(lineage["outcome"], "ok");
  // Figure 4's result: res10: List(30-2, 32-3, 35-1, 36-4, 37-2, 38-2, 39-2, 40-1, 41-2, 42-4).
  EXPECT_EQ(lineage["elements"],
            json({"30-2", "32-3", "35-1", "36-4", "37-2", "38-2", "39-2", "40-1", "41-2", "42-4"}));
  // Three deploys of 30 s each (the third, on ibm34, failing) before the walk-back.
  EXPECT_EQ(lineage["substitutions"],
            json::array({substitution(90, "take 10", "map deploy_vm", "ibm34", "ibm42")}));
  EXPECT_EQ(lineage["failures_seen"], 1);
  EXPECT_EQ(lineage["extra_time_s"], 60.0);  // the failed deploy and the one on ibm42
  const std::string t = r.trace_of("lineage");
  for (const char* line :
       {"List(ibm30, ibm31, ibm32, ibm33, ..., ibm48, ibm49)", "| filter cpu_ratio < 0.3",
        "List(ibm30, ibm31, ibm32, ibm34, ..., ibm48, ibm49)", "| take 10",
        "List(ibm30, ibm32, ibm34, ibm35, ..., ibm40, ibm41)", "| map deploy_vm",
        "List(ibm42, ibm43, ibm44, ibm45, ibm46, ibm47, ibm48) // unused elements (take 10)",
        "| take(alt)", "List(ibm42)", "| map(alt)"})
    EXPECT_TRUE(has_line(t, line)) << line << "\n" << t;
  EXPECT_NE(t.find("\nexception (map) on ibm34: "), std::string::npos) << t;
}

TEST(PaperExperiment1, TheOtherPoliciesOnTheSameFailure) {
  const Outputs r = run("lineage-deploy.json");
  EXPECT_EQ(r.result("restart")["elements"], r.result("lineage")["elements"]);
  EXPECT_EQ(r.result("restart")["restarts"], 1);
  EXPECT_EQ(r.result("oblivious-skip")["elements"].size(), 9u);
  EXPECT_EQ(r.result("oblivious-skip")["wrong_results"], 1);
  EXPECT_EQ(r.result("oblivious-default")["elements"][2], "(default)");
  EXPECT_EQ(r.result("none")["outcome"], "failed");
  EXPECT_EQ(r.result("none")["failure_chain"][0]["element"], "ibm34");
}

TEST(PaperExperiment2, WhileVm30_3MovesTargetIbm34IsReplacedByIbm32) {
  const Outputs r = run("lineage-balance.json");
  const json& lineage = r.result("lineage");
  EXPECT_EQ(lineage["outcome"], "ok");
  EXPECT_EQ(lineage["elements"], json({"ibm30"}));
  EXPECT_EQ(lineage["substitutions"],
            json::array({substitution(30, "take 1", "foreach migrate_vm", "ibm34", "ibm32")}));
  const std::string t = r.trace_of("lineage");
  for (const char* line : {"  List(30-5, 30-6, 30-3, 30-2, 30-4, 30-1)",
                           "  | accumulateWhile prefix.sum(memory) < host.free_memory + 256MiB",
                           "  List(30-5, 30-6, 30-3)", "    30-5: ibm30 -> ibm36",
                           "    30-6: ibm30 -> ibm36", "    30-3: ibm30 -> ibm34",
                           "    | take(alt)", "    List(ibm32)", "    30-3: ibm30 -> ibm32"})
    EXPECT_TRUE(has_line(t, line)) << line << "\n" << t;
  EXPECT_NE(t.find("\n    exception (foreach) on ibm34: "), std::string::npos) << t;
}

TEST(PaperExperiment3, Ibm34sVmsRunOutThenIbm34IsReplacedByIbm32) {
  const Outputs r = run("lineage-webstart.json");
  const json& lineage = r.result("lineage");
  EXPECT_EQ(lineage["outcome"], "ok");
  const json subs = lineage["substitutions"];
  ASSERT_EQ(subs.size(), 4u);
  EXPECT_EQ(subs[0]["failed"], "34-1");
  EXPECT_EQ(subs[0]["substitute"], "34-2");
  EXPECT_EQ(subs[2]["substitute"], "34-4");
  EXPECT_EQ(subs[3]["step"], "take 10");
  EXPECT_EQ(subs[3]["failed"], "ibm34");
  EXPECT_EQ(subs[3]["substitute"], "ibm32");
  EXPECT_EQ(lineage["failures_seen"], 5);          // four starts, and ibm34's foreach
  EXPECT_EQ(lineage["elements"].back(), "ibm32");  // its load puts it last of the ten
  const std::string t = r.trace_of("lineage");
  for (const char* line :
       {"  34-1 starting...", "  List(34-2, 34-3, 34-4) // unused elements (take 1)",
        "  | take(alt)", "  List(34-2)", "  34-2 starting...",
        "  LackOfElements: no unused element left in take 1",
        "List(ibm32, ibm41, ibm44, ibm46, ibm47, ibm48, ibm49) // unused elements (take 10)",
        "List(ibm32)", "  List(32-1)", "  32-1 starting..."})
    EXPECT_TRUE(has_line(t, line)) << line << "\n" << t;
  EXPECT_NE(t.find("\nexception (foreach) on ibm34: LackOfElements"), std::string::npos) << t;
  // Failure-oblivious: ibm34 "succeeds" having started nothing; none stops.
  EXPECT_EQ(r.result("oblivious-skip")["elements"].size(), 10u);
  EXPECT_EQ(r.result("oblivious-skip")["wrong_results"],
            1);  // 34-1 dropped; no other VM of ibm34 tried
  EXPECT_EQ(r.result("none")["outcome"], "failed");
}

}  // namespace
}  // namespace rejuv::testing
