// The autoscale simulation as a whole: seed 004 §5's figures from scenarios/ciel-apache.json, how
// the scale-out time follows its inputs, the autoscaler's choices, cooldown, scale-in, FlexCapsule,
// cost, and that every action goes through the backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "autoscale_fixture.hpp"
#include "sim/backends/fault_injection.hpp"
#include "sim/backends/recording.hpp"
#include "sim/backends/simulated_backend.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;
using sim::autoscale::AutoscaleResult;
using sim::autoscale::ContainerChoice;
using sim::autoscale::Strategy;

struct CielApache : ::testing::Test {
  static void SetUpTestSuite() {
    const json doc = ciel_apache();
    for (Strategy s : {Strategy::vm, Strategy::ciel, Strategy::vm_pooled, Strategy::ciel_pooled,
                       Strategy::flexcapsule})
      results[int(s)] = run_strategy(doc, s);
  }
  static const AutoscaleResult& of(Strategy s) { return results[int(s)]; }
  static inline AutoscaleResult results[5];
};

// Seed 004 §5.3: "Ciel completed the scale-out in 33 % of the conventional system's time".
TEST_F(CielApache, ScalesOutInAThirdOfTheVmLevelTime) {
  const auto& vm = first_scale_out(of(Strategy::vm));
  const auto& ciel = first_scale_out(of(Strategy::ciel));
  EXPECT_NEAR(ciel.scale_out_s() / vm.scale_out_s(), 0.33, 0.03);
  // §5.3: the copy is only slightly faster (fewer used blocks in the sparse image).
  EXPECT_LT(ciel.plan.copy_s, vm.plan.copy_s);
  EXPECT_GT(ciel.plan.copy_s, 0.75 * vm.plan.copy_s);
}

// §5.3: with a pooled VM the scale-out is the boot alone, and Ciel's takes 4 % of the
// conventional system's (read as the VM-level pooled boot: data/ciel2018.json, _targets).
TEST_F(CielApache, WithAPooledVmScalesOutInFourPercent) {
  const auto& vm = first_scale_out(of(Strategy::vm_pooled));
  const auto& ciel = first_scale_out(of(Strategy::ciel_pooled));
  EXPECT_EQ(ciel.how, "pool");
  EXPECT_EQ(ciel.plan.copy_s, 0);
  EXPECT_EQ(vm.plan.copy_s, 0);
  EXPECT_NEAR(ciel.scale_out_s() / vm.scale_out_s(), 0.04, 0.01);
}

// §5.3: "in Ciel the VM boot took only 7 seconds" (the boot includes starting its services).
TEST_F(CielApache, CielsVmBootsInSevenSeconds) {
  const auto& ciel = first_scale_out(of(Strategy::ciel));
  EXPECT_NEAR(ciel.plan.boot_s + ciel.plan.start_s, 7.0, 1.0);
}

// §5.4: the new VM's CPU time drops from 3 minutes to 7 seconds, its memory to 41 %.
TEST_F(CielApache, NewVmUsesSevenSecondsOfCpuAndFortyOnePercentOfTheMemory) {
  const auto& vm = first_scale_out(of(Strategy::vm));
  const auto& ciel = first_scale_out(of(Strategy::ciel));
  EXPECT_NEAR(vm.plan.cpu_s, 180, 15);
  EXPECT_NEAR(ciel.plan.cpu_s, 7, 1);
  EXPECT_NEAR(ciel.plan.peak_memory_bytes / vm.plan.peak_memory_bytes, 0.41, 0.02);
}

// §5.5 and figure 12: the scale-out completes near 170 s; then round robin spreads the 5
// requests/s over both instances, at about 60 % and 30 % CPU.
TEST_F(CielApache, AfterwardsTheTwoInstancesCarryTheLoadAtSixtyAndThirtyPercent) {
  const auto& r = of(Strategy::ciel);
  EXPECT_NEAR(first_scale_out(r).serving_at, 170, 10);
  EXPECT_NEAR(final_cpu(r, "web"), 0.60, 0.05);
  EXPECT_NEAR(final_cpu(r, "apache-1"), 0.30, 0.05);
  EXPECT_EQ(first_scale_out(r).service, 0);  // apache, the only loaded service
  EXPECT_EQ(first_scale_out(r).reason, ContainerChoice::Reason::hottest);
}

TEST_F(CielApache, EachStrategyScalesOutOnceWithNothingLeftUnserved) {
  for (const auto& r : results) {
    SCOPED_TRACE(std::string(name(r.strategy)));
    EXPECT_EQ(r.scale_outs.size(), 1u);
    EXPECT_EQ(r.failed_operations, 0u);
    // Below 80 % the VM still has the capacity for 5 requests/s; FlexCapsule loses only what
    // arrives during the migration's downtime.
    if (r.strategy != Strategy::flexcapsule) {
      EXPECT_EQ(r.unserved_requests, 0);
    }
  }
}

// Seed 002 §4: a nested VM's migration stops it for about 0.2 s whatever its size, and takes a
// time proportional to its memory.
TEST_F(CielApache, FlexCapsuleMovesTheApplicationWithAFifthOfASecondDowntime) {
  const auto& r = of(Strategy::flexcapsule);
  const auto& move = first_scale_out(r);
  EXPECT_EQ(move.how, "migrate");
  EXPECT_NEAR(move.plan.downtime_s, 0.2, 0.02);
  EXPECT_NEAR(r.unserved_requests, 5 * move.plan.downtime_s, 0.05);  // 5 requests/s meanwhile
  const auto bigger =
      run_strategy(ciel_apache({{"services", {{"apache", {{"nested", {{"memory", "256MiB"}}}}}}}}),
                   Strategy::flexcapsule);
  const auto& big = first_scale_out(bigger);
  // The rounds that copy memory take twice as long; the stop-and-resume stays.
  EXPECT_NEAR(
      (big.plan.migrate_s - big.plan.downtime_s) / (move.plan.migrate_s - move.plan.downtime_s),
      2.0, 0.05);
  EXPECT_NEAR(big.plan.downtime_s, move.plan.downtime_s, 0.01);
}

// Clouds bill vCPUs and memory over time (seed 004 §1): Ciel's right-sized VM costs less memory.
TEST_F(CielApache, CielsRightSizedVmCostsLessMemory) {
  EXPECT_LT(of(Strategy::ciel).bill.gib_s, of(Strategy::vm).bill.gib_s);
  for (const auto& r : results)
    EXPECT_NEAR(r.cost, r.bill.vcpu_s / 3600 * 0.04 + r.bill.gib_s / 3600 * 0.005, 1e-12);
}

TEST(AutoscaleCost, AVmThatNeverScalesCostsItsSizeOverTheHorizon) {
  const auto r =
      run_strategy(ciel_apache({{"load", {{"apache", {{"constant", 2}}}}}}), Strategy::ciel);
  EXPECT_TRUE(r.scale_outs.empty());
  EXPECT_NEAR(r.bill.vcpu_s, 600, 1e-9);  // 1 vCPU × 10 min
  EXPECT_NEAR(r.bill.gib_s, 600, 1e-9);   // 1 GiB × 10 min
  EXPECT_NEAR(r.cost, 600.0 / 3600 * (0.04 + 0.005), 1e-12);
}

// The copy takes the template's used bytes over the copy bandwidth (sparse images).
TEST(ScaleOutTime, CopyScalesWithUsedBytesAndInverselyWithBandwidth) {
  const double base = first_scale_out(run_strategy(ciel_apache(), Strategy::ciel)).plan.copy_s;
  // Ciel's template: the OS (3.5 GiB) and Apache's image (350 MiB), at 50 MB/s.
  EXPECT_NEAR(base, (3.5 * 1024 + 350) * 1024 * 1024 / 50e6, 1e-9);
  const auto doubled =
      ciel_apache({{"os", {{"used", "7GiB"}}}, {"services", {{"apache", {{"image", "700MiB"}}}}}});
  EXPECT_NEAR(first_scale_out(run_strategy(doubled, Strategy::ciel)).plan.copy_s, 2 * base, 1e-9);
  const auto slower = ciel_apache({{"copy_bandwidth", "25MB/s"}});
  EXPECT_NEAR(first_scale_out(run_strategy(slower, Strategy::ciel)).plan.copy_s, 2 * base, 1e-9);
}

// The VM-level clone starts every service of the VM on its vCPUs: more services, longer start.
TEST(ScaleOutTime, StartGrowsWhenMoreServicesStartOnTheSameVcpus) {
  double last = 0;
  for (int copies : {0, 1, 2, 4}) {
    const auto doc = ciel_apache({{"vms",
                                   {{{"name", "web"},
                                     {"vcpus", 1},
                                     {"memory", "2GiB"},
                                     {"services", {"apache", "nginx", "wildfly"}},
                                     {"idle_copies", {{"nginx", copies}}}}}}});
    const auto r = run_strategy(doc, Strategy::vm);
    const auto& s = first_scale_out(r);
    EXPECT_GT(s.plan.start_s, last) << copies << " copies";
    EXPECT_NEAR(s.plan.start_s, 3 + 1 + 167 + copies * 1.0,
                1e-9);  // one vCPU: the CPU seconds add up
    last = s.plan.start_s;
  }
  // Ciel starts only the hot container, whatever else the VM holds.
  const auto many = ciel_apache({{"vms",
                                  {{{"name", "web"},
                                    {"vcpus", 1},
                                    {"memory", "2GiB"},
                                    {"services", {"apache", "nginx", "wildfly"}},
                                    {"idle_copies", {{"nginx", 4}}}}}}});
  EXPECT_NEAR(first_scale_out(run_strategy(many, Strategy::ciel)).plan.start_s, 3.0, 1e-9);
}

// When capacity always exceeds the load, nothing is left unserved and nothing scales.
TEST(Autoscaler, NothingUnservedWhenCapacityAlwaysExceedsTheLoad) {
  // At most 0.02 + 0.39 (Apache) + 0.04 (nginx) + 0.28 (WildFly, idle) = 73 % of the VM.
  const auto doc = ciel_apache(
      {{"load",
        {{"apache", {{"periodic", {{"mean", 2}, {"amplitude", 1.5}, {"period", "2min"}}}}},
         {"nginx", {{"constant", 20}}}}}});
  for (Strategy s : {Strategy::vm, Strategy::ciel, Strategy::vm_pooled, Strategy::ciel_pooled,
                     Strategy::flexcapsule}) {
    const auto r = run_strategy(doc, s);
    EXPECT_EQ(r.unserved_requests, 0) << name(s);
    EXPECT_TRUE(r.scale_outs.empty()) << name(s);
    EXPECT_GT(r.served_requests, 0);
    EXPECT_NEAR(r.served_requests, r.demand_requests, 1e-6 * r.demand_requests);
  }
}

// The hottest container is scaled out when it stands out: here nginx, not Apache.
TEST(Autoscaler, ScalesOutTheHottestContainer) {
  const auto doc =
      ciel_apache({{"services", {{"nginx", {{"cpu_per_request", "100ms"}}}}},
                   {"load",
                    {{"apache", {{"constant", 1}}},
                     {"nginx", {{"step", {{"from", 0}, {"to", 5}, {"at", "30s"}}}}}}}});
  const auto r = run_strategy(doc, Strategy::ciel);
  const auto& s = first_scale_out(r);
  EXPECT_EQ(s.service, 1);  // services by name: apache, nginx, wildfly
  EXPECT_EQ(s.reason, ContainerChoice::Reason::hottest);
  EXPECT_EQ(s.new_vm, "nginx-1");
}

// Seed 004 §3: when no container stands out, the one whose usage changes most is chosen. Here
// WildFly's load ramps up while Apache and nginx hold steady at about the same CPU.
TEST(Autoscaler, ScalesOutTheContainerRisingFastestWhenNoneStandsOut) {
  const auto doc = ciel_apache(
      {{"services",
        {{"nginx", {{"cpu_per_request", "100ms"}}},
         {"wildfly", {{"cpu_per_request", "100ms"}, {"idle_cpu", 0}}}}},
       {"load",
        {{"apache", {{"constant", 2}}},
         {"nginx", {{"constant", 2.5}}},
         {"wildfly", {{"ramp", {{"from", 1}, {"to", 5}, {"start", "60s"}, {"end", "660s"}}}}}}}});
  const auto r = run_strategy(doc, Strategy::ciel);
  ASSERT_FALSE(r.scale_outs.empty());
  const auto& s = r.scale_outs.front();  // decided; WildFly's VM takes minutes to start
  EXPECT_EQ(s.service, 2);               // wildfly
  EXPECT_EQ(s.reason, ContainerChoice::Reason::rising_fastest);
  EXPECT_GT(r.introspections, 1u);  // it read the containers again to see the trend
}

// After a scale-out completes, the autoscaler waits for the cooldown before acting again.
TEST(Autoscaler, CooldownSpacesScaleOuts) {
  auto gaps = [](const std::string& cooldown) {
    const auto doc = ciel_apache({{"load", {{"apache", {{"constant", 30}}}}},
                                  {"pool", {{"size", 4}, {"prebooted", true}}},
                                  {"autoscaler", {{"cooldown", cooldown}, {"max_instances", 4}}}});
    const auto r = run_strategy(doc, Strategy::ciel_pooled);
    std::vector<double> g;
    for (size_t k = 1; k < r.scale_outs.size(); ++k)
      g.push_back(r.scale_outs[k].decided_at - r.scale_outs[k - 1].serving_at);
    EXPECT_EQ(r.scale_outs.size(), 3u) << cooldown;  // up to 4 instances of Apache
    return g;
  };
  for (double g : gaps("60s")) EXPECT_GE(g, 60);
  for (double g : gaps("0s")) EXPECT_LT(g, 15);  // the next samples: two readings of the containers
}

TEST(Autoscaler, HpaAddsTheReplicasItsFormulaAsks) {
  // Apache at 5 requests/s uses 0.56 of its 1 vCPU request; a 0.5 target asks ⌈1 × 1.12⌉ = 2.
  const auto doc =
      ciel_apache({{"autoscaler", {{"policy", "hpa"}, {"target", 0.5}}}, {"strategies", {"ciel"}}});
  const auto r = run_strategy(doc, Strategy::ciel);
  ASSERT_EQ(r.scale_outs.size(), 1u);
  EXPECT_EQ(r.scale_outs[0].service, 0);
  EXPECT_NEAR(final_cpu(r, "apache-1"), 0.30, 0.01);
}

// Scale-in (seed 004 §7, future work): when the load falls, the added VM is stopped after the
// window, once the remaining instance can take its requests.
TEST(Autoscaler, ScalesInAfterTheLoadFalls) {
  const auto doc = ciel_apache(
      {{"load", {{"apache", {{"csv", source_path("tests/data/apache-rise-fall.csv").string()}}}}},
       {"autoscaler", {{"scale_in", {{"threshold", 0.2}, {"window", "60s"}}}}}});
  sim::backends::SimulatedBackend world;
  sim::backends::Recording log(world);
  const auto r = run_strategy(doc, Strategy::ciel, &log);
  ASSERT_EQ(r.scale_outs.size(), 1u);
  ASSERT_EQ(r.scale_ins.size(), 1u);
  EXPECT_EQ(r.scale_ins[0].vm, "apache-1");
  EXPECT_EQ(r.scale_ins[0].how, "stop");
  EXPECT_GE(r.scale_ins[0].at, 400 + 60);  // the load falls at 400 s
  EXPECT_LT(r.scale_ins[0].at, 400 + 60 + 10);
  EXPECT_LT(final_cpu(r, "apache-1"), 0);  // not running at the end
  bool shut = false, undefined = false;
  for (const auto& op : log.log()) {
    if (op.subject != "apache-1") continue;
    shut |= op.op == sim::backends::Op::shutdown && op.time == r.scale_ins[0].at;
    undefined |= op.op == sim::backends::Op::undefine && op.time == r.scale_ins[0].done_at;
  }
  EXPECT_TRUE(shut);
  EXPECT_TRUE(undefined);
}

TEST(Autoscaler, PooledScaleInReturnsTheVmToThePool) {
  const auto doc = ciel_apache(
      {{"load", {{"apache", {{"csv", source_path("tests/data/apache-rise-fall.csv").string()}}}}},
       {"pool", {{"size", 1}, {"refill", false}, {"prebooted", true}}},
       {"autoscaler", {{"scale_in", {{"threshold", 0.2}, {"window", "60s"}}}}}});
  const auto r = run_strategy(doc, Strategy::ciel_pooled);
  ASSERT_EQ(r.scale_ins.size(), 1u);
  EXPECT_EQ(r.scale_ins[0].how, "to_pool");
  EXPECT_EQ(r.scale_outs[0].how, "prebooted_pool");
  EXPECT_NEAR(r.scale_outs[0].scale_out_s(), 1.0, 1e-9);  // the pool's resume
}

// Every action goes through the backend, with the model's durations as `planned`; the run
// leaves the backend without any domain of its own.
TEST(AutoscaleBackend, ActsThroughTheBackendAndCleansUp) {
  sim::backends::SimulatedBackend world;
  sim::backends::Recording log(world);
  const auto r = run_strategy(ciel_apache(), Strategy::ciel, &log);
  const auto& s = first_scale_out(r);
  bool defined = false, started = false;
  for (const auto& op : log.log()) {
    if (op.subject != "apache-1") continue;
    if (op.op == sim::backends::Op::define) {
      defined = true;
      EXPECT_EQ(op.planned, s.plan.copy_s);
      EXPECT_EQ(op.time, s.decided_at);
    }
    if (op.op == sim::backends::Op::start) {
      started = true;
      EXPECT_EQ(op.planned, s.plan.boot_s);
      EXPECT_EQ(op.time, s.decided_at + s.plan.copy_s);
    }
  }
  EXPECT_TRUE(defined);
  EXPECT_TRUE(started);
  for (sim::backends::DomainId d = 0; d < world.domain_count(); ++d)
    EXPECT_EQ(world.info(d).state, sim::backends::DomainState::undefined) << world.domain_name(d);
}

TEST(AutoscaleBackend, AFailedScaleOutIsCountedAndTriedAgain) {
  sim::backends::SimulatedBackend world;
  sim::Streams streams(1);
  sim::backends::FaultInjection faults(world, streams);
  // Host 0 is the run's cloud host; the fault spares the setup at time 0.
  faults.add({.target = sim::backends::Fault::Target::host,
              .id = 0,
              .op = sim::backends::Op::define,
              .mode = sim::backends::Fault::Mode::once,
              .from = 1});
  const auto r = run_strategy(ciel_apache(), Strategy::ciel, &faults);
  EXPECT_EQ(r.failed_operations, 1u);
  EXPECT_NE(r.first_failure.find("define apache-1"), std::string::npos) << r.first_failure;
  ASSERT_EQ(r.scale_outs.size(), 2u);
  EXPECT_TRUE(r.scale_outs[0].failed);
  EXPECT_TRUE(r.scale_outs[1].done);
  EXPECT_EQ(r.scale_outs[1].new_vm, "apache-2");
}

TEST(AutoscaleRun, SameSeedSameBytesAndTheSeedMatters) {
  json doc = ciel_apache(
      {{"os",
        {{"boot", {{"dist", "lognormal"}, {"mean", "4s"}, {"sd", "1s"}}}, {"boot_cpu", "1s"}}},
       {"strategies", {"ciel", "vm_pooled"}}});
  sim::RunOptions o;
  o.progress = false;
  const auto a = sim::run_scenario(doc, o), b = sim::run_scenario(doc, o);
  EXPECT_EQ(a, b);
  o.seed = 2;
  const auto c = sim::run_scenario(doc, o);
  EXPECT_NE(a[0].second, c[0].second);
  const json summary = json::parse(a[0].second);
  EXPECT_EQ(summary["data"], "simulated");
  EXPECT_NE(summary["results"][0]["boot_s"].get<double>(), 4.0);  // drawn
}

// Requests are conserved: offered = served + lost + still queued.
TEST(AutoscaleRun, QueuedRequestsAreServedLaterOrLostBeyondTheBound) {
  const auto load = json{{"apache", {{"constant", 8}}}};
  const auto lossy = run_strategy(ciel_apache({{"load", load}}), Strategy::vm);
  const auto queued = run_strategy(ciel_apache({{"load", load}, {"queue", 100}}), Strategy::vm);
  EXPECT_GT(lossy.unserved_requests, 0);
  EXPECT_LT(queued.unserved_requests, lossy.unserved_requests);
  EXPECT_LE(queued.peak_queue_requests, 100);
  EXPECT_GT(queued.peak_queue_requests, 0);
  EXPECT_NEAR(lossy.demand_requests, lossy.served_requests + lossy.unserved_requests,
              1e-6 * lossy.demand_requests);
}

}  // namespace
}  // namespace rejuv::testing

namespace rejuv::testing {
namespace {

// What a sweep point writes (sim/autoscale/autoscale_run.hpp): one row per strategy, in the
// columns kAutoscaleSweepColumns names, over the knobs a planner sweeps.
std::vector<std::vector<std::string>> sweep_rows(const json& doc) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream in(sim::autoscale_sweep_rows(doc));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream l(line);
    for (std::string c; std::getline(l, c, ',');) cells.push_back(c);
    if (line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

TEST(AutoscaleSweep, RowsFollowLoadLevelServicesAndPoolSize) {
  const std::string header = sim::kAutoscaleSweepColumns;
  const size_t columns = std::count(header.begin(), header.end(), ',') + 1;
  const auto base = sweep_rows(ciel_apache({{"strategies", {"vm", "ciel_pooled"}}}));
  ASSERT_EQ(base.size(), 2u);
  for (const auto& r : base) EXPECT_EQ(r.size(), columns);
  EXPECT_EQ(base[0][0], "vm");
  EXPECT_EQ(base[0][1], "1");  // the seed
  EXPECT_NEAR(std::stod(base[0][2]),
              std::stod(base[0][3]) + std::stod(base[0][4]) + std::stod(base[0][5]), 1e-6);
  // Load level: at twice the load Apache alone needs 1.12 vCPU, and requests are lost.
  const auto doubled =
      sweep_rows(ciel_apache({{"strategies", {"vm", "ciel_pooled"}}, {"load_scale", 2}}));
  EXPECT_EQ(std::stod(base[0][11]), 0);
  EXPECT_GT(std::stod(doubled[0][11]), 0);
  // Number of services: idle copies lengthen the VM-level start-up.
  const auto more = sweep_rows(ciel_apache({{"strategies", {"vm", "ciel_pooled"}},
                                            {"vms",
                                             {{{"name", "web"},
                                               {"vcpus", 1},
                                               {"memory", "2GiB"},
                                               {"services", {"apache", "nginx", "wildfly"}},
                                               {"idle_copies", {{"nginx", 3}}}}}}}));
  EXPECT_NEAR(std::stod(more[0][5]), std::stod(base[0][5]) + 3, 1e-6);
  // Pool size 0: the pooled strategy has to copy a VM after all.
  const auto no_pool =
      sweep_rows(ciel_apache({{"strategies", {"vm", "ciel_pooled"}}, {"pool", {{"size", 0}}}}));
  EXPECT_EQ(std::stod(base[1][3]), 0);
  EXPECT_GT(std::stod(no_pool[1][3]), 0);
}

}  // namespace
}  // namespace rejuv::testing
