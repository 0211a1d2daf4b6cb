// Running "kind": "lineage" scenarios: a schedule of requests under background hardware failures
// (the same failures for every policy), the same bytes for the same seed whatever the number of
// workers, and a backend given from outside (as `rejuv validate` gives libvirt) acted on end to
// end.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "sim/backends/recording.hpp"
#include "sim/backends/simulated_backend.hpp"
#include "sim/lineage/world.hpp"
#include "sim/scenario.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;

// 300 hosts failing often (so that a short test sees failures), deploys every hour for 20 days.
json failing_pool() {
  return json::parse(R"({
    "kind": "lineage", "seed": 11, "horizon": "20d", "chosen_window": "5d",
    "policies": ["lineage", "oblivious-skip", "none"],
    "failures": {"annual_rate": 0.9, "repeat_factor": 3, "repair": {"dist": "exponential", "mean": "2d"}},
    "operations": {"deploy_vm": {"dist": "lognormal", "mean": "40s", "sd": "10s"}},
    "hosts": {"count": 300, "memory": "64GiB", "cpu_ratio": {"uniform": [0.1, 0.7]},
              "vms": {"count": {"uniform": [1, 3]}, "memory": "2GiB", "cpu": 0.05}},
    "pipelines": [{"name": "deploy", "over": "hosts", "schedule": {"every": "1h"},
                   "steps": [{"filter": "cpu_ratio < 0.8"}, {"takeByRandom": 10},
                             {"map": {"deploy_vm": {"memory": "2GiB", "lifetime": "1d"}}}]}]
  })");
}

sim::OutputFiles run(const json& doc, unsigned workers = 0) {
  sim::RunOptions options;
  options.progress = false;
  options.workers = workers;
  return sim::run_scenario(doc, options);
}

const json& result(const json& summary, const std::string& policy) {
  for (const auto& r : summary["results"])
    if (r["policy"] == policy) return r;
  throw std::runtime_error("no " + policy);
}

TEST(LineageRun, AScheduleUnderHardwareFailuresEveryPolicyMeetingTheSameFailures) {
  const auto files = run(failing_pool());
  const json summary = json::parse(files[0].second);
  EXPECT_EQ(summary["data"], "simulated");
  EXPECT_EQ(summary["requests"], 480);  // every hour from 0, before 20 days
  const auto& failures = summary["host_failures"];
  EXPECT_GT(failures["lineage"].get<int>(), 10);
  EXPECT_EQ(failures["lineage"], failures["none"]);  // the same failure times for every policy
  EXPECT_EQ(failures["lineage"], failures["oblivious-skip"]);
  const json& lineage = result(summary, "lineage");
  const json& skip = result(summary, "oblivious-skip");
  const json& none = result(summary, "none");
  EXPECT_EQ(lineage["requests"], 480);
  EXPECT_GT(lineage["failures_seen"].get<int>(), 0);
  EXPECT_EQ(lineage["completed"], 480);  // lineage replaced every failed host
  EXPECT_EQ(lineage["substitution_count"], lineage["failures_seen"]);
  EXPECT_EQ(lineage["wrong_results"], 0);
  EXPECT_GT(lineage["extra_time_per_request_s"]["mean"].get<double>(), 0);
  EXPECT_EQ(skip["completed"], 480);
  EXPECT_EQ(skip["wrong_results"], skip["failures_seen"]);  // each failed deploy is a VM missing
  EXPECT_LT(none["completed"].get<int>(), 480);
  EXPECT_EQ(none["outcome"], "failed");
  // Choices (timed when their request ends) whose 5-day window ends by the horizon: the requests
  // of the first 15 days, 10 hosts each.
  EXPECT_EQ(lineage["chosen_hosts"]["chosen"], 10 * 15 * 24);
  EXPECT_GT(lineage["chosen_hosts"]["failed_within_window"].get<int>(), 0);
  // A schedule's trace holds its requests with failures only.
  const std::string& trace = files[1].second;
  EXPECT_NE(trace.find("== deploy (lineage) request "), std::string::npos);
  EXPECT_NE(trace.find("exception (map) on h"), std::string::npos);
}

TEST(LineageRun, SameSeedSameBytesWhateverTheWorkers) {
  json doc = failing_pool();
  doc["horizon"] = "5d";
  const auto one = run(doc, 1), two = run(doc, 2), again = run(doc, 2);
  EXPECT_EQ(one, two);
  EXPECT_EQ(two, again);
  doc["seed"] = 12;
  EXPECT_NE(run(doc, 2)[0].second, one[0].second);
}

TEST(LineageRun, TheTraceKeepsTheFirstRequestsWithFailuresAndSaysHowManyMore) {
  json doc = failing_pool();
  doc["trace_requests"] = 2;
  doc["policies"] = {"lineage"};
  const auto files = run(doc);
  const std::string& trace = files[1].second;
  size_t traced = 0;
  for (size_t at = 0; (at = trace.find("== deploy (lineage) request", at)) != std::string::npos;
       ++at)
    ++traced;
  EXPECT_EQ(traced, 2u);
  EXPECT_NE(trace.find("more requests of deploy (lineage) saw failures"), std::string::npos);
}

TEST(LineageRun, AGivenBackendIsActedOnEndToEndAndLeftEmpty) {
  // What `rejuv validate` does with libvirt: the scenario acts on the backend it is given.
  sim::backends::SimulatedBackend world;
  sim::backends::Recording recording(world);
  json doc = sim::read_scenario(source_path("scenarios/lineage-deploy.json"));
  doc["policies"] = {"lineage", "oblivious-skip"};
  sim::RunOptions options;
  options.progress = false;
  options.backend = &recording;
  const auto files = sim::run_scenario(doc, options);
  const json summary = json::parse(files[0].second);
  EXPECT_EQ(summary["results"][0]["elements"].back(), "42-4");
  EXPECT_EQ(world.host_count(), 20u);  // the hosts added once, for both policies
  // The log: ibm34's deploy failed (injected), 42-4 was deployed on ibm42, under each policy.
  int injected = 0, on_ibm42 = 0;
  for (const auto& r : recording.log()) {
    if (r.op == sim::backends::Op::define && r.subject == "34-2") {
      EXPECT_FALSE(r.outcome.ok());
      ++injected;
    }
    if (r.op == sim::backends::Op::define && r.subject == "42-4" && r.target == "ibm42") ++on_ibm42;
  }
  EXPECT_EQ(injected, 0) << "an injected fault never reaches the backend it wraps";
  EXPECT_EQ(on_ibm42, 1);  // lineage only: oblivious-skip does not replace ibm34
  // Every domain the runs defined is gone again.
  for (sim::backends::DomainId d = 0; d < world.domain_count(); ++d)
    EXPECT_EQ(world.info(d).state, sim::backends::DomainState::undefined) << world.domain_name(d);
}

TEST(LineageSweep, OneRowPerPipelineAndPolicyForEachPoint) {
  TempDir dir;
  const CliResult r =
      run_cli({"sweep", source_path("scenarios/lineage-deploy.json").string(), "--set",
               "operations/deploy_vm=30s,90s", "--out", (dir / "sweep").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string csv = read_file(dir / "sweep" / "sweep.csv");
  EXPECT_EQ(
      csv.substr(0, csv.find('\n')),
      "operations/deploy_vm,pipeline,policy,seed,requests,completed,substitutions,lack_of_elements,"
      "failures_seen,wrong_results,extra_time_mean_s,extra_time_p99_s,chosen_hosts,chosen_failed_"
      "within_window");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 5);  // two points, five policies
  // Lineage's extra time is the failed deploy and the one on ibm42: twice the deploy's duration.
  EXPECT_NE(csv.find("\n30s,deploy,lineage,"), std::string::npos);
  EXPECT_NE(csv.find(",1,1,1,0,1,0,60.0,60.0,,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",1,1,1,0,1,0,180.0,180.0,,\n"), std::string::npos) << csv;
}

TEST(LineageWorld, AFailedHostLooksAsBeforeUntilItIsBack) {
  sim::lineage::World w;
  const uint32_t h = w.add_host("h");
  w.host_num(sim::lineage::World::host_free_memory, h) = 1000;
  const uint32_t vm = w.add_vm("v", h, 300, 0.25);
  w.set_running(vm, true, "running");
  EXPECT_EQ(w.num(sim::lineage::Kind::host, sim::lineage::World::host_free_memory, h), 700);
  EXPECT_EQ(w.num(sim::lineage::Kind::host, sim::lineage::World::host_cpu_ratio, h), 0.25);
  w.host_back(h);
  EXPECT_EQ(w.num(sim::lineage::Kind::host, sim::lineage::World::host_failures, h), 1);
  EXPECT_FALSE(w.running(vm));
  EXPECT_EQ(w.text(w.str(sim::lineage::Kind::vm, sim::lineage::World::vm_state, vm)), "crashed");
  EXPECT_EQ(w.num(sim::lineage::Kind::host, sim::lineage::World::host_free_memory, h), 1000);
  EXPECT_EQ(w.num(sim::lineage::Kind::host, sim::lineage::World::host_cpu_ratio, h), 0);
}

}  // namespace
}  // namespace rejuv::testing
