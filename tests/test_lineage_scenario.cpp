// Reading "kind": "lineage" scenarios: hosts given one by one or generated, and bad scenarios,
// which `rejuv run` refuses with one message naming the file and JSON path (and the column inside
// an expression), exit status 2, and nothing written.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "models/input_error.hpp"
#include "sim/lineage/scenario_spec.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;
using sim::lineage::Kind;
using sim::lineage::World;

json small() {
  return json::parse(R"({
    "kind": "lineage", "seed": 3,
    "hosts": [
      {"name": "a", "cpu_ratio": 0.1, "memory": "2GiB", "role": "web",
       "vms": [{"name": "a-1", "memory": "256MiB", "cpu": 0.05}, {"name": "a-2", "memory": "512MiB", "state": "shutoff"}]},
      {"name": "b", "cpu_ratio": 0.5, "memory": "2GiB", "free_memory": "100MiB", "role": "db"},
      {"name": "c", "memory": "2GiB", "role": "web", "rack": 2}
    ],
    "pipelines": [{"name": "deploy", "over": "hosts",
                   "steps": [{"filter": "cpu_ratio < 0.8"}, {"take": 2}, {"map": "deploy_vm"}]}]
  })");
}

TEST(LineageScenario, HostsTheirVmsAndWhatTheRunningVmsTakeOfThem) {
  const auto sc = sim::lineage::parse_lineage_scenario(small());
  const World& w = sc.world;
  ASSERT_EQ(w.count(Kind::host), 3u);
  ASSERT_EQ(w.count(Kind::vm), 2u);
  const uint32_t a = *w.find(Kind::host, "a");
  // Free memory: what the running VM leaves; cpu_ratio as given. b's free memory as given.
  EXPECT_EQ(w.num(Kind::host, World::host_free_memory, a), 2048.0 * (1 << 20) - 256.0 * (1 << 20));
  EXPECT_EQ(w.num(Kind::host, World::host_cpu_ratio, a), 0.1);
  EXPECT_EQ(w.num(Kind::host, World::host_free_memory, *w.find(Kind::host, "b")),
            100.0 * (1 << 20));
  EXPECT_EQ(w.num(Kind::host, World::host_vm_count, a), 2);
  EXPECT_TRUE(w.running(*w.find(Kind::vm, "a-1")));
  EXPECT_FALSE(w.running(*w.find(Kind::vm, "a-2")));
  const auto rack = w.find_column(Kind::host, "rack");
  ASSERT_TRUE(rack);
  EXPECT_EQ(w.num(Kind::host, rack->index, *w.find(Kind::host, "c")), 2);
  EXPECT_EQ(w.num(Kind::host, rack->index, a), 0);  // absent: 0
  ASSERT_EQ(sc.pipelines.size(), 1u);
  EXPECT_EQ(sc.pipelines[0].steps.back().out, Kind::vm);  // deploy_vm turns hosts into VMs
  EXPECT_EQ(sc.policies, std::vector<sim::lineage::Policy>{sim::lineage::Policy::lineage});
}

TEST(LineageScenario, AGeneratorDrawsAttributesFromNamedStreams) {
  json doc = small();
  doc["hosts"] = json::parse(R"({"count": 50, "name": "h{i}", "memory": "64GiB",
      "cpu_ratio": {"uniform": [0.1, 0.9]},
      "attributes": {"role": {"choice": ["web", "db"], "weights": [3, 1]}},
      "vms": {"count": {"uniform": [1, 3]}, "memory": {"choice": ["1GiB", "2GiB"]}, "cpu": 0.01}})");
  const auto a = sim::lineage::parse_lineage_scenario(doc);
  const auto b = sim::lineage::parse_lineage_scenario(doc);
  ASSERT_EQ(a.world.count(Kind::host), 50u);
  EXPECT_EQ(a.world.name(Kind::host, 49), "h49");
  EXPECT_EQ(a.world.count(Kind::vm), b.world.count(Kind::vm));
  const auto role = a.world.find_column(Kind::host, "role")->index;
  int web = 0;
  for (uint32_t h = 0; h < 50; ++h) {
    EXPECT_EQ(a.world.num(Kind::host, World::host_cpu_ratio, h),
              b.world.num(Kind::host, World::host_cpu_ratio, h));
    const double cpu = a.world.num(Kind::host, World::host_cpu_ratio, h);
    EXPECT_TRUE(cpu >= 0.1 && cpu <= 0.9) << cpu;
    web += a.world.text(a.world.str(Kind::host, role, h)) == "web";
    const size_t vms = a.world.vms_of(h).size();
    EXPECT_TRUE(vms >= 1 && vms <= 3) << vms;
  }
  EXPECT_GT(web, 25);  // weight 3:1, 50 hosts: 37.5 expected, sd 3.1
  EXPECT_LT(web, 48);
  doc["seed"] = 4;
  const auto c = sim::lineage::parse_lineage_scenario(doc);
  EXPECT_NE(c.world.num(Kind::host, World::host_cpu_ratio, 0),
            a.world.num(Kind::host, World::host_cpu_ratio, 0));
}

// Runs `rejuv run` on `doc` changed by `change`; checks exit 2, one line naming the file, and no
// output.
std::string refused(const std::function<void(json&)>& change) {
  TempDir dir;
  json doc = small();
  change(doc);
  const std::string file = (dir / "bad.json").string();
  write_file(file, doc.dump(2));
  const CliResult r = run_cli({"run", file, "--out", (dir / "out").string()});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "nothing is written";
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  const std::string prefix = "rejuv: " + file + ": ";
  EXPECT_EQ(r.err.rfind(prefix, 0), 0u) << r.err;
  return r.err.substr(std::min(r.err.size(), prefix.size()));
}

TEST(LineageScenario, BadScenariosGetOneMessageWithThePathAndExitTwo) {
  // An operation so long that a request's summed time stops meaning anything (1e308 s gave "ok at inf s").
  EXPECT_EQ(refused([](json& d) { d["operations"]["deploy_vm"] = "1e308s"; }),
            "/operations/deploy_vm: expected an operation taking at most 1e+08 s (about 3 years) on average, got "
            "\"1e308s\"\n");
  // A sort key that is not a finite number for some element (c runs no VM: its cpu_ratio is 0).
  EXPECT_EQ(
      refused([](json& d) {
        d["pipelines"][0]["steps"][1] = {{"sortBy", "1 / cpu_ratio"}};
      }),
      "/pipelines/0/steps/1/sortBy: \"1 / cpu_ratio\" is inf for c: expected a finite number\n");
  EXPECT_EQ(refused([](json& d) {
              d["pipelines"][0]["steps"][1] = {{"takee", 2}};
            }),
            "/pipelines/0/steps/1/takee: unknown step (expected one of: filter, map, foreach, "
            "sortBy, reverse, take, drop, "
            "takeRight, dropRight, takeWhile, dropWhile, accumulateWhile, takeByRandom, "
            "takeByScore, flatMap, count, "
            "exists, deploy_vm, start_vm, migrate_vm, reboot)\n");
  EXPECT_EQ(refused([](json& d) {
              d["pipelines"][0]["steps"][2] = {{"map", "deploy"}};
            }),
            "/pipelines/0/steps/2/map: unknown action \"deploy\" (expected one of: deploy_vm, "
            "start_vm, migrate_vm, "
            "reboot, or a pipeline {\"over\": …})\n");
  EXPECT_EQ(
      refused([](json& d) {
        d["pipelines"][0]["steps"][0] = {{"filter", "cpu_ratio < 0.8 and (free_memory > 1GiB"}};
      }),
      "/pipelines/0/steps/0/filter: column 40: expected \")\", got \"the end\" (in \"cpu_ratio < "
      "0.8 and "
      "(free_memory > 1GiB\")\n");
  EXPECT_EQ(refused([](json& d) {
              d["pipelines"][0]["steps"][0] = {{"filter", "load < 0.8"}};
            }),
            "/pipelines/0/steps/0/filter: column 1: unknown attribute \"load\" of a host (known: "
            "name, memory, "
            "free_memory, cpu_ratio, cpus, vm_count, failures, role, rack) (in \"load < 0.8\")\n");
  EXPECT_EQ(refused([](json& d) {
              d["pipelines"][0]["steps"][1] = {{"take", -1}};
            }),
            "/pipelines/0/steps/1/take: expected a count ≥ 0, got -1\n");
  EXPECT_EQ(refused([](json& d) {
              d["pipelines"][0]["steps"][2] = {
                  {"foreach", {{"over", "memory"}, {"steps", json::array()}}}};
            }),
            "/pipelines/0/steps/2/foreach/over: expected a list (\"hosts\", or \"vms\" of a host), "
            "got \"memory\": an "
            "attribute of a host (a number), not a list\n");
  EXPECT_EQ(
      refused([](json& d) {
        d["pipelines"][0]["steps"][2] = {{"map", "deploy_vm"}};
        d["pipelines"][0]["steps"][3] = {{"foreach", {{"over", "vms"}, {"steps", json::array()}}}};
      }),
      "/pipelines/0/steps/3/foreach/over: expected a list: \"vms\" are a host's, and the element "
      "here is a VM "
      "(try \"hosts\")\n");
  EXPECT_EQ(refused([](json& d) {
              d["inject"] = {{{"host", "ibm99"}, {"operation", "deploy_vm"}, {"fails", "always"}}};
            }),
            "/inject/0/host: no host named \"ibm99\"\n");
  EXPECT_EQ(refused([](json& d) {
              d["inject"] = {{{"vm", "a-1"}, {"operation", "teleport"}, {"fails", "once"}}};
            }),
            "/inject/0/operation: unknown action \"teleport\" (expected one of: deploy_vm, "
            "start_vm, migrate_vm, reboot)\n");
  EXPECT_EQ(refused([](json& d) {
              d["policies"] = {"lineage", "retry"};
            }),
            "/policies/1: expected lineage, restart, oblivious-skip, oblivious-default or none, "
            "got \"retry\"\n");
  EXPECT_EQ(refused([](json& d) {
              d["pipelines"][0]["steps"][2] = {{"map", "start_vm"}};
            }),
            "/pipelines/0/steps/2/map: start_vm acts on VMs, and the list here holds hosts\n");
  EXPECT_EQ(refused([](json& d) {
              d["pipelines"][0]["schedule"] = {{"every", "1h"}};
            }),
            "/pipelines/0/schedule: a schedule needs an \"until\" or the scenario's \"horizon\"\n");
  EXPECT_EQ(refused([](json& d) {
              d["hosts"][2]["rack"] = "r2";
              d["hosts"][0]["rack"] = 1;
            }),
            "/hosts/2/rack: expected a number (\"rack\" is a number elsewhere), got \"r2\"\n");
  EXPECT_EQ(refused([](json& d) {
              d["pipelines"][0]["steps"].push_back({{"count", "true"}});
              d["pipelines"][0]["steps"].push_back({{"take", 1}});
            }),
            "/pipelines/0/steps/4: count ends a pipeline: nothing may follow it\n");
}

}  // namespace
}  // namespace rejuv::testing
