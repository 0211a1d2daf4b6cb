// The simulated world behind the backend interface: each operation moves a domain between the
// states libvirt would, refuses the operations libvirt refuses (with libvirt's error codes), and
// takes the time its caller planned.
#include <gtest/gtest.h>

#include "sim/backends/forwarding_backend.hpp"
#include "sim/backends/simulated_backend.hpp"
#include "sim/engine.hpp"

namespace rejuv::sim::backends {
namespace {

struct World : ::testing::Test {
  SimulatedBackend world;
  HostId a = world.add_host({.name = "ibm30"});
  HostId b = world.add_host({.name = "ibm31"});
  DomainId define_on(HostId h, const std::string& name) {
    auto [d, outcome] = world.define(h, {.name = name, .memory_bytes = 1 << 30, .vcpus = 2}, 1.5);
    EXPECT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.duration, 1.5);
    return d;
  }
};

TEST_F(World, DefineStartsShutOffOnItsHost) {
  const DomainId d = define_on(a, "vm1");
  const DomainInfo i = world.info(d);
  EXPECT_EQ(i.state, DomainState::shutoff);
  EXPECT_EQ(i.host, a);
  EXPECT_EQ(i.memory_bytes, double(1 << 30));
  EXPECT_EQ(i.vcpus, 2);
  EXPECT_EQ(world.domain_name(d), "vm1");
  EXPECT_EQ(world.host_name(b), "ibm31");
}

TEST_F(World, EachOperationTakesItsPlannedTimeAndMovesTheState) {
  const DomainId d = define_on(a, "vm1");
  struct Step {
    Op op;
    DomainState after;
  };
  const Step steps[] = {{Op::start, DomainState::running},   {Op::suspend, DomainState::paused},
                        {Op::resume, DomainState::running},  {Op::reboot, DomainState::running},
                        {Op::save, DomainState::saved},      {Op::restore, DomainState::running},
                        {Op::shutdown, DomainState::shutoff}, {Op::start, DomainState::running},
                        {Op::destroy, DomainState::shutoff}, {Op::undefine, DomainState::undefined}};
  double planned = 1;
  for (const auto& s : steps) {
    SCOPED_TRACE(std::string(name(s.op)));
    const Outcome o = world.run(s.op, d, planned);
    ASSERT_TRUE(o.ok()) << o.message;
    EXPECT_EQ(o.duration, planned);
    EXPECT_EQ(world.info(d).state, s.after);
    planned += 1;
  }
}

TEST_F(World, RefusesWhatLibvirtRefusesWithItsErrorCodes) {
  const DomainId d = define_on(a, "vm1");
  Outcome o = world.resume(d, 1);  // shut off: nothing to resume
  EXPECT_EQ(o.status, Outcome::Status::failed);
  EXPECT_EQ(o.code, codes::kOperationInvalid);
  EXPECT_EQ(o.blame, Blame::domain);
  EXPECT_NE(o.message.find("vm1"), std::string::npos);
  EXPECT_TRUE(world.start(d, 1).ok());
  EXPECT_EQ(world.start(d, 1).code, codes::kOperationInvalid);  // already running
  EXPECT_EQ(world.undefine(d, 1).code, codes::kOperationInvalid);  // running
  EXPECT_EQ(world.reboot(999, 1).code, codes::kNoDomain);
  EXPECT_EQ(world.define(a, {.name = "vm1"}, 1).second.code, codes::kOperationFailed);  // name taken
}

TEST_F(World, MigrationMovesARunningDomainAndReportsItsJob) {
  const DomainId d = define_on(a, "vm1");
  ASSERT_TRUE(world.start(d, 0).ok());
  const Outcome o = world.migrate(d, b, {}, {.total = 86, .downtime = 0.2, .bytes = 1.1e9, .iterations = 3});
  ASSERT_TRUE(o.ok()) << o.message;
  EXPECT_EQ(o.duration, 86);
  EXPECT_EQ(world.info(d).host, b);
  EXPECT_EQ(world.info(d).state, DomainState::running);
  const JobInfo job = world.job_info(d);
  EXPECT_TRUE(job.available);
  EXPECT_EQ(job.downtime_s, 0.2);
  EXPECT_EQ(job.iterations, 3);
  EXPECT_EQ(world.domains_on(a), std::vector<DomainId>{});
  EXPECT_EQ(world.domains_on(b), std::vector<DomainId>{d});
  EXPECT_EQ(world.migrate(d, b, {}, {.total = 1}).code, codes::kOperationInvalid);  // already there
}

TEST_F(World, AHostFailureCrashesItsDomainsAndFailsWhatTouchesIt) {
  const DomainId d = define_on(a, "vm1"), e = define_on(b, "vm2");
  ASSERT_TRUE(world.start(d, 0).ok());
  ASSERT_TRUE(world.start(e, 0).ok());
  ASSERT_TRUE(world.fail_host(a).ok());
  EXPECT_EQ(world.host_state(a), HostState::failed);
  EXPECT_EQ(world.info(d).state, DomainState::crashed);
  EXPECT_EQ(world.info(e).state, DomainState::running);
  const Outcome to_failed = world.migrate(e, a, {}, {.total = 10});
  EXPECT_EQ(to_failed.code, codes::kHostFailed);
  EXPECT_EQ(to_failed.blame, Blame::target_host);
  EXPECT_EQ(to_failed.duration, 10);  // the attempt took its time
  EXPECT_EQ(world.define(a, {.name = "vm3"}, 1).second.blame, Blame::host);
  // The crashed domain boots on another host from its shared disk.
  ASSERT_TRUE(world.restart_on(d, b, 30).ok());
  EXPECT_EQ(world.info(d).host, b);
  EXPECT_EQ(world.info(d).state, DomainState::running);
  EXPECT_EQ(world.repair_host(b, 1).code, codes::kOperationInvalid);  // b never failed
  EXPECT_TRUE(world.repair_host(a, 3600).ok());
  EXPECT_EQ(world.host_state(a), HostState::up);
}

TEST_F(World, ListenersSeeEveryChangeAtTheEnginesTime) {
  Engine engine;
  world.attach(&engine);
  std::vector<LifecycleEvent> seen;
  world.subscribe([&](const LifecycleEvent& ev) { seen.push_back(ev); });
  const HandlerId h = engine.add_handler([&](Engine&, uint32_t, uint32_t) {
    const DomainId d = define_on(a, "vm1");
    world.start(d, 0);
    world.fail_host(a);
  });
  engine.schedule_at(42, h);
  engine.run_until(100);
  ASSERT_EQ(seen.size(), 4u);  // define, start, the host's failure, the domain's crash
  EXPECT_EQ(seen[0].cause, Op::define);
  EXPECT_EQ(seen[1].state, DomainState::running);
  EXPECT_EQ(seen[2].domain, kNoId);
  EXPECT_EQ(seen[3].state, DomainState::crashed);
  for (const auto& ev : seen) EXPECT_EQ(ev.time, 42);
}

TEST_F(World, ABatchOfRunningDomainsSharesOneSpec) {
  const DomainId lone = define_on(b, "vm0");
  const auto [first, outcome] = world.define_running(a, {.name = "g0-vm", .memory_bytes = 1e9}, 11);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(first, lone + 1);
  EXPECT_EQ(world.domain_count(), 12u);
  EXPECT_EQ(world.info(first + 10).state, DomainState::running);
  EXPECT_EQ(world.info(first + 10).memory_bytes, 1e9);
  EXPECT_EQ(world.domain_name(first + 3), "g0-vm4");
  EXPECT_EQ(world.domain_name(lone), "vm0");
  EXPECT_EQ(world.define_running(b, {.name = "g0-vm", .memory_bytes = 1e9}, 2).first, first + 11);
  EXPECT_EQ(world.domain_name(first + 12), "g0-vm13");
  EXPECT_EQ(world.info(first + 12).host, b);
  EXPECT_EQ(world.domains_on(a).size(), 11u);
  EXPECT_TRUE(world.reboot(first + 5, 41).ok());
}

TEST_F(World, HostRebootNeedsAWorkingHost) {
  EXPECT_TRUE(world.host_reboot(a, HostReboot::warm, 59).ok());
  EXPECT_EQ(world.host_reboot(a, HostReboot::cold, 219).duration, 219);
  world.fail_host(a);
  EXPECT_EQ(world.host_reboot(a, HostReboot::warm, 59).code, codes::kHostFailed);
  EXPECT_EQ(world.fail_host(a).code, codes::kHostFailed);
}

TEST(BackendFailure, CarriesTheBackendsCodeAndMessage) {
  SimulatedBackend world;
  world.add_host({.name = "ibm30"});
  const Outcome o = world.start(7, 1);
  try {
    expect_ok(world, Op::start, 7, o);
    FAIL() << "expected BackendFailure";
  } catch (const BackendFailure& e) {
    EXPECT_EQ(e.op(), Op::start);
    EXPECT_EQ(e.outcome().code, codes::kNoDomain);
    EXPECT_NE(std::string(e.what()).find("start"), std::string::npos);
  }
}

// The interface's own define_running, as a backend without a batch step gets it: one define and
// one start per domain, with the same ids and names as the simulated world's batch.
class OneByOne final : public ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;
  std::pair<DomainId, Outcome> define_running(HostId h, const DomainSpec& spec, uint32_t count) override {
    return Backend::define_running(h, spec, count);
  }
};

TEST(DefineRunning, OneByOneGivesTheSameIdsNamesAndStatesAsABatch) {
  SimulatedBackend batch_world, inner;
  OneByOne one_by_one(inner);
  for (Backend* w : {static_cast<Backend*>(&batch_world), static_cast<Backend*>(&one_by_one)}) {
    const HostId h = w->add_host({});
    const auto [first, o] = w->define_running(h, {.name = "g0-vm", .memory_bytes = 64e6}, 3);
    ASSERT_TRUE(o.ok()) << o.message;
    EXPECT_EQ(first, 0u);
    EXPECT_EQ(w->domain_name(2), "g0-vm2");
    EXPECT_EQ(w->info(2).state, DomainState::running);
  }
  inner.fail_host(0);
  EXPECT_EQ(one_by_one.define_running(0, {}, 2).second.code, codes::kHostFailed);
}

TEST(Ops, NamesRoundTrip) {
  for (int k = 0; k < kOpCount; ++k) EXPECT_EQ(parse_op(name(Op(k))), Op(k));
  EXPECT_FALSE(parse_op("teleport"));
}

}  // namespace
}  // namespace rejuv::sim::backends
