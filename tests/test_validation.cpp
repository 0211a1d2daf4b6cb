// What `rejuv validate` makes of two operation logs (sim/backends/validation.hpp): the comparison
// per operation kind, the run as a curve set the fitting module reads, and the log as CSV.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "fitting/curve_set.hpp"
#include "sim/backends/simulated_backend.hpp"
#include "sim/backends/validation.hpp"

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
  const std::vector<StateChange> changes = {{0, "h0", "vm1", DomainState::running},
                                            {0, "h0", "vm2", DomainState::running},
                                            {0, "h1", "vm3", DomainState::running},
                                            {90, "h1", "vm2", DomainState::running}};  // vm2 moved
  const std::vector<OpRecord> log = {
      rec(10, Op::reboot, "vm1", 5),                           // vm1 out for [10, 15)
      rec(50, Op::host_reboot, "h0", 20),                      // vm1 and vm2 out for [50, 70)
      rec(80, Op::migrate, "vm3", 4, "emulated: save on h1"),  // not live: out for [80, 84)
      rec(90, Op::migrate, "vm2", 3),                          // live: serves throughout
      failed(100, Op::shutdown, "vm3", "refused, as it is"),
  };
  const auto cs = curve_set(log, changes, 2.0);
  testing::TempDir dir;
  testing::write_file(dir / "throughput.csv", cs.throughput_csv);
  testing::write_file(dir / "events.csv", cs.events_csv);
  const auto read = fitting::read_curve_set(dir.path());
  ASSERT_EQ(read.columns, (std::vector<std::string>{"cluster", "h0", "h1"}));
  const auto& cluster = read.series("cluster");
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
  EXPECT_NE(cs.throughput_csv.find("10,6,4,2\n10,4,2,2\n"), std::string::npos) << cs.throughput_csv;
  EXPECT_NE(cs.throughput_csv.find("# rejuv validate: derived from domain states"),
            std::string::npos);
  const auto starts = read.events_of("os_reboot_start");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].subject, "vm1");
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
            "time_s,op,subject,target,planned_s,duration_s,status,code,message,emulated\n"
            "1.5,start,vm1,,100,0.25,ok,0,,\n"
            "2,destroy,vm1,,100,0.5,failed,55,\"a, b\",\n");
}

}  // namespace
}  // namespace rejuv::sim::backends
