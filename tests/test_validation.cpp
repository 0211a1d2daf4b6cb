// What `rejuv validate` makes of two operation logs (sim/backends/validation.hpp): the comparison
// per operation kind, the run as a curve set the fitting module reads, and the log as CSV.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "fitting/curve_set.hpp"
#include "sim/backends/simulated_backend.hpp"
#include "sim/backends/validation.hpp"
#include "sim/engine.hpp"

namespace rejuv::sim::backends {
namespace {

OpRecord rec(Seconds t, Op op, std::string subject, Seconds duration, std::string emulated = {}) {
  OpRecord r;
  r.time = t;
  r.op = op;
  r.subject = std::move(subject);
  r.planned = 100;
  r.outcome = Outcome::success(duration);
  r.outcome.emulated = std::move(emulated);
  return r;
}

OpRecord failed(Seconds t, Op op, std::string subject, std::string message) {
  OpRecord r = rec(t, op, std::move(subject), 0);
  r.outcome = Outcome::failure(0.5, 55, std::move(message), Blame::domain);
  return r;
}

TEST(CompareLogs, GivesEachOperationKindFromEitherLogWithBothSidesStatistics) {
  const std::vector<OpRecord> sim = {rec(0, Op::reboot, "vm1", 10), rec(1, Op::reboot, "vm1", 20),
                                     rec(2, Op::reboot, "vm1", 30), rec(3, Op::start, "vm1", 7)};
  const std::vector<OpRecord> real = {rec(0, Op::reboot, "vm1", 1), rec(1, Op::reboot, "vm1", 3),
                                      failed(2, Op::reboot, "vm1", "no"),
                                      rec(3, Op::migrate, "vm1", 2, "emulated: save, restore")};
  const auto ops = compare_logs(sim, real);
  ASSERT_EQ(ops.size(), 3u);  // start, reboot, migrate: in the order of Op
  EXPECT_EQ(ops[0]["op"], "start");
  EXPECT_EQ(ops[0]["measured"]["count"], 0);
  EXPECT_TRUE(ops[0]["measured_minus_simulated_mean_s"].is_null());
  const auto& reboot = ops[1];
  EXPECT_EQ(reboot["op"], "reboot");
  EXPECT_EQ(reboot["simulated"]["count"], 3);
  EXPECT_DOUBLE_EQ(reboot["simulated"]["mean_s"].get<double>(), 20);
  EXPECT_DOUBLE_EQ(reboot["simulated"]["p50_s"].get<double>(), 20);
  EXPECT_DOUBLE_EQ(reboot["simulated"]["p95_s"].get<double>(), 29);
  EXPECT_EQ(reboot["measured"]["count"], 3);
  EXPECT_EQ(reboot["measured"]["failures"], 1);
  EXPECT_DOUBLE_EQ(reboot["measured"]["mean_s"].get<double>(), 2);  // of the two that worked
  EXPECT_DOUBLE_EQ(reboot["measured"]["planned_mean_s"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(reboot["measured_minus_simulated_mean_s"].get<double>(), -18);
  EXPECT_EQ(ops[2]["op"], "migrate");
  EXPECT_EQ(ops[2]["measured"]["emulated"], 1);
  EXPECT_EQ(ops[2]["simulated"]["count"], 0);
}

TEST(CurveSet, ThroughputFollowsDomainStatesAndOperationsAndTheFittingModuleReadsIt) {
  const std::vector<StateChange> changes = {{0, "h0", "web", DomainState::running},
                                            {0, "h0", "db", DomainState::running},
                                            {0, "h1", "cache", DomainState::running},
                                            {90, "h1", "db", DomainState::running}};  // db moved
  const std::vector<OpRecord> log = {
      rec(10, Op::reboot, "web", 5),                             // web out for [10, 15)
      rec(50, Op::host_reboot, "h0", 20),                        // web and db out for [50, 70)
      rec(80, Op::migrate, "cache", 4, "emulated: save on h1"),  // not live: out for [80, 84)
      rec(90, Op::migrate, "db", 3),                             // live: serves throughout
      failed(100, Op::shutdown, "cache", "refused, as it is"),
  };
  const auto cs = curve_set(log, changes, 2.0);
  testing::TempDir dir;
  testing::write_file(dir / "throughput.csv", cs.throughput_csv);
  testing::write_file(dir / "events.csv", cs.events_csv);
  const auto read = fitting::read_curve_set(dir.path());
  ASSERT_EQ(read.columns, (std::vector<std::string>{"host", "h0", "h1", "vm1", "vm2", "vm3"}));
  const auto& cluster = read.series("host");  // the whole cluster
  EXPECT_EQ(fitting::value_at(cluster, 5), 6);
  EXPECT_EQ(fitting::value_at(cluster, 12), 4);
  EXPECT_EQ(fitting::value_at(cluster, 30), 6);
  EXPECT_EQ(fitting::value_at(read.series("h0"), 60), 0);
  EXPECT_EQ(fitting::value_at(cluster, 60), 2);
  EXPECT_EQ(fitting::value_at(read.series("h1"), 82), 0);
  EXPECT_EQ(fitting::value_at(cluster, 95), 6);
  EXPECT_EQ(fitting::value_at(read.series("h1"), 95), 4);
  EXPECT_EQ(fitting::value_at(read.series("h0"), 95), 2);
  // Steps: the value before and after each change at the same time.
  EXPECT_NE(cs.throughput_csv.find("10,6,4,2,2,2,2\n10,4,2,2,0,2,2\n"), std::string::npos)
      << cs.throughput_csv;
  EXPECT_NE(cs.throughput_csv.find("(vm1 = web, vm2 = db, vm3 = cache)"), std::string::npos);
  EXPECT_EQ(fitting::value_at(read.series("vm3"), 82), 0);
  EXPECT_EQ(fitting::value_at(read.series("vm3"), 85), 2);
  EXPECT_NE(cs.throughput_csv.find("# rejuv validate: derived from domain states"),
            std::string::npos);
  const auto starts = read.events_of("os_reboot_start");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].subject, "vm1");  // web, the first domain to appear
  EXPECT_EQ(read.first_event("vmm_reboot_start").time, 50);
  EXPECT_EQ(read.first_event("vmm_reboot_end").time, 70);
  EXPECT_EQ(read.first_event("migration_end").time, 84);
  EXPECT_EQ(read.first_event("shutdown_failed").subject, "vm3");
}

TEST(CurveSet, StatesComeFromABackendsListeners) {
  SimulatedBackend world;
  std::vector<StateChange> changes;
  world.subscribe(record_states(world, changes));
  const HostId h = world.add_host({.name = "ibm30"});
  const DomainId d = world.define(h, {.name = "vm1"}, 1).first;
  world.start(d, 1);
  world.fail_host(h);
  ASSERT_EQ(changes.size(), 3u);  // defined, running, crashed (the host's own event is left out)
  EXPECT_EQ(changes[1].host, "ibm30");
  EXPECT_EQ(changes[1].domain, "vm1");
  EXPECT_EQ(changes[1].state, DomainState::running);
  EXPECT_EQ(changes[2].state, DomainState::crashed);
}

TEST(OperationsCsv, OneRowPerOperationWithMessagesQuoted) {
  const std::string csv =
      operations_csv({rec(1.5, Op::start, "vm1", 0.25), failed(2, Op::destroy, "vm1", "a, b")});
  EXPECT_EQ(csv,
            "run,time_s,op,subject,target,planned_s,duration_s,status,code,message,emulated\n"
            ",1.5,start,vm1,,100,0.25,ok,0,,\n"
            ",2,destroy,vm1,,100,0.5,failed,55,\"a, b\",\n");
}

// Two runs on one backend, as a scenario's strategies run on `rejuv validate`'s real backend: each
// attaches its engine, acts, detaches, then removes its domains.
TEST(RunMarks, SplitsTheLogIntoRunsAndTheirTeardowns) {
  SimulatedBackend world;
  Recording rec{world};
  std::vector<StateChange> states;
  RunMarks marks{rec, states};
  marks.subscribe(record_states(marks, states));
  const HostId h = marks.add_host({});
  Engine engine;
  for (int run = 0; run < 2; ++run) {
    marks.attach(&engine);
    const DomainId d = marks.define(h, {.name = fmt::format("vm{}", run)}, 1).first;
    marks.start(d, 1);
    marks.reboot(d, 30);
    marks.attach(nullptr);
    marks.destroy(d, 0);
    marks.undefine(d, 0);
  }
  const auto runs = marks.runs({"warm"});
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].label, "warm");
  EXPECT_EQ(runs[1].label, "run2");
  EXPECT_EQ(runs[0].log_begin, 0u);
  EXPECT_EQ(runs[0].log_end, 3u);
  EXPECT_EQ(runs[0].teardown_end, 5u);
  EXPECT_EQ(runs[1].log_begin, 5u);
  EXPECT_EQ(runs[1].teardown_end, 10u);
  const auto [log, changes] = slice(rec.log(), states, runs[1]);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[2].op, Op::reboot);
  ASSERT_EQ(changes.size(), 3u);  // defined, started, rebooted (running → running)
  EXPECT_EQ(changes[0].domain, "vm1");
  const std::string csv = operations_csv(rec.log(), runs);
  EXPECT_NE(csv.find("\nwarm teardown,0,undefine,vm0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nrun2,0,reboot,vm1,"), std::string::npos) << csv;
}

}  // namespace
}  // namespace rejuv::sim::backends
