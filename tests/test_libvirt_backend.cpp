// The libvirt adapter against libvirt's in-process test driver (test:///default, and test:///<file>
// hosts): every interface operation maps to libvirt and is timed on the wall clock, libvirt's
// errors keep their code and message, what the driver lacks is emulated or reported unsupported,
// and the safety rules hold: only domains named with the prefix are touched, real URIs are refused
// without allow_real, and every domain the adapter defined is gone after cleanup, also after an
// interrupt.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "models/input_error.hpp"
#include "sim/backends/safety.hpp"

#if REJUV_HAVE_LIBVIRT
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "sim/backends/fault_injection.hpp"
#include "sim/backends/libvirt_backend.hpp"
#include "sim/backends/libvirt_detail.hpp"
#endif

namespace rejuv::sim::backends {
namespace {

#if !REJUV_HAVE_LIBVIRT

TEST(LibvirtBackend, NeedsLibvirt) {
  GTEST_SKIP() << "built without libvirt (install libvirt-dev and reconfigure)";
}

#else

constexpr Seconds kPlanned =
    1000;  // no test-driver call takes this long: a duration equal to it was not measured

void silent(void*, virErrorPtr) {}

// A connection of the test's own, beside the adapter's: what libvirt really holds.
struct Probe {
  virConnectPtr conn;
  explicit Probe(const char* uri = "test:///default") {
    virSetErrorFunc(nullptr, silent);
    conn = virConnectOpen(uri);
  }
  ~Probe() { virConnectClose(conn); }
  // libvirt's state of a domain, or -1 when there is no such domain.
  int state(const std::string& name) const {
    virDomainPtr d = virDomainLookupByName(conn, name.c_str());
    if (!d) return -1;
    int s = -1, reason = 0;
    virDomainGetState(d, &s, &reason, 0);
    virDomainFree(d);
    return s;
  }
  bool exists(const std::string& name) const { return state(name) >= 0; }
  std::vector<std::string> names_with(const std::string& prefix) const {
    virDomainPtr* list = nullptr;
    const int n = virConnectListAllDomains(conn, &list, 0);
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      const std::string name = virDomainGetName(list[i]);
      if (name.rfind(prefix, 0) == 0) out.push_back(name);
      virDomainFree(list[i]);
    }
    free(list);
    return out;
  }
  void define_and_start(const std::string& name) {
    const std::string xml =
        "<domain type='test'><name>" + name +
        "</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";
    virDomainPtr d = virDomainDefineXML(conn, xml.c_str());
    ASSERT_NE(d, nullptr);
    ASSERT_EQ(virDomainCreate(d), 0);
    virDomainFree(d);
  }
  void remove(const std::string& name) {
    if (virDomainPtr d = virDomainLookupByName(conn, name.c_str())) {
      virDomainDestroy(d);
      virDomainUndefine(d);
      virDomainFree(d);
    }
  }
};

LibvirtOptions on(std::vector<std::string> uris) {
  LibvirtOptions o;
  for (auto& u : uris) o.hosts.push_back({std::move(u), {}});
  return o;
}

// A host description for test:///<file>: each connection to it is a separate, empty host.
std::string node_uri(const testing::TempDir& dir, const std::string& name) {
  const auto file = dir / (name + ".xml");
  testing::write_file(
      file,
      "<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads>"
      "<active>2</active><mhz>2000</mhz><model>i686</model></cpu><memory>8388608</memory></"
      "node>\n");
  return "test://" + file.string();
}

struct OneHost : ::testing::Test {
  Probe probe;
  LibvirtBackend lv{on({"test:///default"})};
  HostId h = lv.add_host({.name = "ibm30"});
  DomainId define(const std::string& name) {
    auto [d, o] = lv.define(h, {.name = name, .memory_bytes = 256 << 20, .vcpus = 2}, kPlanned);
    EXPECT_TRUE(o.ok()) << o.message;
    return d;
  }
};

TEST_F(OneHost, EveryDomainOperationIsOneLibvirtCallTimedOnTheWallClock) {
  const DomainId d = define("vm1");
  ASSERT_NE(d, kNoId);
  EXPECT_EQ(lv.domain_name(d), "rejuv-vm1");
  EXPECT_EQ(probe.state("rejuv-vm1"), VIR_DOMAIN_SHUTOFF);
  struct Step {
    Op op;
    DomainState after;
    int libvirt_state;
  };
  const Step steps[] = {{Op::start, DomainState::running, VIR_DOMAIN_RUNNING},
                        {Op::suspend, DomainState::paused, VIR_DOMAIN_PAUSED},
                        {Op::resume, DomainState::running, VIR_DOMAIN_RUNNING},
                        {Op::reboot, DomainState::running, VIR_DOMAIN_RUNNING},
                        {Op::save, DomainState::saved, VIR_DOMAIN_SHUTOFF},
                        {Op::restore, DomainState::running, VIR_DOMAIN_RUNNING},
                        {Op::shutdown, DomainState::shutoff, VIR_DOMAIN_SHUTOFF},
                        {Op::start, DomainState::running, VIR_DOMAIN_RUNNING},
                        {Op::destroy, DomainState::shutoff, VIR_DOMAIN_SHUTOFF},
                        {Op::undefine, DomainState::undefined, -1}};
  for (const auto& s : steps) {
    SCOPED_TRACE(std::string(name(s.op)));
    const Outcome o = lv.run(s.op, d, kPlanned);
    ASSERT_TRUE(o.ok()) << o.message;
    EXPECT_GE(o.duration, 0);
    EXPECT_LT(o.duration, 5) << "measured, not the planned " << kPlanned << " s";
    EXPECT_TRUE(o.emulated.empty());
    EXPECT_EQ(lv.info(d).state, s.after);
    EXPECT_EQ(probe.state("rejuv-vm1"), s.libvirt_state);
  }
}

TEST_F(OneHost, InfoReadsMemoryVcpusAndCpuTimeFromLibvirt) {
  const DomainId d = define("vm1");
  ASSERT_TRUE(lv.start(d, 1).ok());
  const DomainInfo i = lv.info(d);
  EXPECT_EQ(i.state, DomainState::running);
  EXPECT_EQ(i.host, h);
  EXPECT_EQ(i.memory_bytes, double(256 << 20));
  EXPECT_EQ(i.vcpus, 2);
  EXPECT_TRUE(i.cpu_time_known);  // the test driver keeps CPU stats
  EXPECT_FALSE(lv.job_info(d).available);
}

TEST_F(OneHost, LibvirtErrorsKeepTheirCodeAndMessage) {
  const DomainId d = define("vm1");
  // The test driver refuses to destroy a domain that is not running, with
  // VIR_ERR_OPERATION_INVALID.
  const Outcome o = lv.destroy(d, kPlanned);
  EXPECT_EQ(o.status, Outcome::Status::failed);
  EXPECT_EQ(o.code, VIR_ERR_OPERATION_INVALID);
  EXPECT_EQ(o.blame, Blame::domain);
  EXPECT_NE(o.message.find("virDomainDestroy: "), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("domain is not running"), std::string::npos) << o.message;
  EXPECT_LT(o.duration, 5);
  // Resuming what is not paused: the test driver's VIR_ERR_INTERNAL_ERROR, passed on as it is.
  const Outcome r = lv.resume(d, kPlanned);
  EXPECT_EQ(r.code, VIR_ERR_INTERNAL_ERROR);
  EXPECT_NE(r.message.find("not paused"), std::string::npos) << r.message;
  // A definition libvirt cannot parse.
  auto [bad, b] =
      lv.define(h, {.name = "bad", .xml = "<domain type='test'><memory>lots</memory></domain>"}, 1);
  EXPECT_EQ(bad, kNoId);
  EXPECT_EQ(b.status, Outcome::Status::failed);
  EXPECT_NE(b.code, 0);
  EXPECT_NE(b.message.find("virDomainDefineXML"), std::string::npos);
  // Restoring a domain with no saved image is refused before libvirt would boot it afresh.
  EXPECT_EQ(lv.restore(d, 1).code, codes::kOperationInvalid);
  EXPECT_EQ(probe.state("rejuv-vm1"), VIR_DOMAIN_SHUTOFF);
}

TEST(LibvirtErrors, NoSupportBecomesUnsupportedAndTheCallIsNamed) {
  const Outcome o = libvirt_detail::failure(0.25, "virDomainMigrateSetMaxSpeed",
                                            {VIR_ERR_NO_SUPPORT, "this function is not supported"});
  EXPECT_EQ(o.status, Outcome::Status::unsupported);
  EXPECT_EQ(o.code, VIR_ERR_NO_SUPPORT);
  EXPECT_EQ(o.message, "virDomainMigrateSetMaxSpeed: this function is not supported");
  const Outcome c =
      libvirt_detail::failure(0.25, "virDomainCreate", {VIR_ERR_SYSTEM_ERROR, "socket closed"});
  EXPECT_EQ(c.status, Outcome::Status::failed);
  EXPECT_EQ(c.blame, Blame::host);
  EXPECT_EQ(c.duration, 0.25);
}

TEST_F(OneHost, AGivenDomainXmlIsDefinedUnderThePrefixedName) {
  const std::string xml =
      "<domain type='test'><name>keep-me</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"
      "<memory>131072</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";
  auto [d1, o1] = lv.define(h, {.name = "a", .xml = xml}, 1);
  auto [d2, o2] = lv.define(h, {.name = "b", .xml = xml}, 1);  // the uuid is dropped, so both fit
  ASSERT_TRUE(o1.ok()) << o1.message;
  ASSERT_TRUE(o2.ok()) << o2.message;
  EXPECT_TRUE(probe.exists("rejuv-a"));
  EXPECT_TRUE(probe.exists("rejuv-b"));
  EXPECT_FALSE(probe.exists("keep-me"));
  EXPECT_EQ(lv.info(d1).memory_bytes, 131072.0 * 1024);
}

TEST(LibvirtBackend, MigrationBetweenTestHostsIsEmulatedBySaveAndRestore) {
  testing::TempDir dir;
  LibvirtBackend lv{on({node_uri(dir, "a"), node_uri(dir, "b")})};
  const HostId a = lv.add_host({.name = "a"});
  const HostId b = lv.add_host({.name = "b"});
  auto [d, defined] = lv.define(a, {.name = "vm1", .memory_bytes = 64 << 20}, 1);
  ASSERT_TRUE(defined.ok()) << defined.message;
  ASSERT_TRUE(lv.start(d, 1).ok());
  MigrateOptions opt;
  opt.max_bandwidth_Bps = 100e6 / 8;
  opt.max_downtime = 0.3;
  const Outcome o = lv.migrate(d, b, opt, {.total = kPlanned});
  ASSERT_TRUE(o.ok()) << o.message;
  EXPECT_LT(o.duration, 5);
  // The log says it was emulated, and why: the test driver answered VIR_ERR_NO_SUPPORT.
  EXPECT_NE(o.emulated.find("save on a, restore on b"), std::string::npos) << o.emulated;
  EXPECT_NE(o.emulated.find("not supported"), std::string::npos) << o.emulated;
  const DomainInfo i = lv.info(d);
  EXPECT_EQ(i.host, b);
  EXPECT_EQ(i.state, DomainState::running);
  EXPECT_EQ(i.memory_bytes, double(64 << 20));  // read through b's connection: it is there
  const JobInfo job = lv.job_info(d);
  EXPECT_TRUE(job.available);
  EXPECT_EQ(job.iterations, 1);
  EXPECT_EQ(job.downtime_s, job.total_s);  // not live: the whole move is downtime
  EXPECT_GT(job.data_bytes, 0);            // the save image's size
  // It now lives on b only: operations reach it there, and it goes back the same way.
  EXPECT_TRUE(lv.suspend(d, 1).ok());
  const Outcome back = lv.migrate(d, a, {}, {.total = 1});
  ASSERT_TRUE(back.ok()) << back.message;
  EXPECT_EQ(lv.info(d).state, DomainState::paused);  // a paused domain arrives paused
  EXPECT_EQ(lv.migrate(d, a, {}, {.total = 1}).code, codes::kOperationInvalid);  // already there
}

TEST(LibvirtBackend, MigrationWithinTheSharedDefaultDriverMovesTheBookkeeping) {
  Probe probe;
  LibvirtBackend lv{on({"test:///default"})};
  const HostId a = lv.add_host({});
  const HostId b = lv.add_host({});
  auto [d, defined] = lv.define(a, {.name = "vm1"}, 1);
  ASSERT_TRUE(lv.start(d, 1).ok());
  const Outcome o = lv.migrate(d, b, {.rate_control = RateControl{}}, {.total = 1});
  ASSERT_TRUE(o.ok()) << o.message;
  EXPECT_FALSE(o.emulated.empty());
  EXPECT_EQ(lv.info(d).host, b);
  EXPECT_EQ(probe.state("rejuv-vm1"), VIR_DOMAIN_RUNNING);
}

TEST(LibvirtBackend, HostRebootIsEmulatedOnTheHostsDomains) {
  Probe probe;
  LibvirtBackend lv{on({"test:///default"})};
  const HostId h = lv.add_host({});
  std::vector<LifecycleEvent> seen;
  lv.subscribe([&](const LifecycleEvent& e) { seen.push_back(e); });
  const DomainId run = lv.define(h, {.name = "run"}, 1).first;
  const DomainId pause = lv.define(h, {.name = "pause"}, 1).first;
  const DomainId off = lv.define(h, {.name = "off"}, 1).first;
  ASSERT_TRUE(lv.start(run, 1).ok());
  ASSERT_TRUE(lv.start(pause, 1).ok());
  ASSERT_TRUE(lv.suspend(pause, 1).ok());

  const Outcome warm = lv.host_reboot(h, HostReboot::warm, kPlanned);
  ASSERT_TRUE(warm.ok()) << warm.message;
  EXPECT_LT(warm.duration, 5);
  EXPECT_NE(warm.emulated.find("managed save of 2 domain(s)"), std::string::npos) << warm.emulated;
  EXPECT_EQ(lv.info(run).state, DomainState::running);
  EXPECT_EQ(lv.info(pause).state, DomainState::paused);  // warm keeps memory: paused stays paused
  EXPECT_EQ(probe.state("rejuv-pause"), VIR_DOMAIN_PAUSED);
  EXPECT_EQ(lv.info(off).state, DomainState::shutoff);

  seen.clear();
  const Outcome cold = lv.host_reboot(h, HostReboot::cold, kPlanned);
  ASSERT_TRUE(cold.ok()) << cold.message;
  EXPECT_NE(cold.emulated.find("cold"), std::string::npos);
  EXPECT_EQ(lv.info(run).state, DomainState::running);
  EXPECT_EQ(lv.info(pause).state, DomainState::running);  // cold loses memory: booted afresh
  EXPECT_EQ(lv.info(off).state, DomainState::shutoff);    // a shut-off domain is left alone
  ASSERT_EQ(seen.size(), 2u);  // as the simulated world: each domain of the host shows the reboot
  EXPECT_EQ(seen[0].cause, Op::host_reboot);
  EXPECT_EQ(seen[0].domain, run);
}

TEST(LibvirtBackend, AFailedHostDestroysItsDomainsAndFailsWhatTouchesItUntilRepaired) {
  testing::TempDir dir;
  LibvirtBackend lv{on({node_uri(dir, "a"), node_uri(dir, "b")})};
  const HostId a = lv.add_host({.name = "a"});
  const HostId b = lv.add_host({.name = "b"});
  const DomainId d = lv.define(a, {.name = "vm1"}, 1).first;
  const DomainId e = lv.define(a, {.name = "vm2"}, 1).first;
  ASSERT_TRUE(lv.start(d, 1).ok());
  ASSERT_TRUE(lv.start(e, 1).ok());
  const Outcome f = lv.fail_host(a);
  ASSERT_TRUE(f.ok()) << f.message;
  EXPECT_NE(f.emulated.find("destroyed 2 domain(s)"), std::string::npos) << f.emulated;
  EXPECT_EQ(lv.host_state(a), HostState::failed);
  EXPECT_EQ(lv.info(d).state, DomainState::crashed);
  const Outcome later = lv.start(d, 1);
  EXPECT_EQ(later.code, codes::kHostFailed);
  EXPECT_EQ(later.blame, Blame::host);
  EXPECT_EQ(lv.define(a, {.name = "vm3"}, 1).second.code, codes::kHostFailed);
  EXPECT_EQ(lv.migrate(lv.define(b, {.name = "vm4"}, 1).first, a, {}, {}).blame,
            Blame::target_host);
  // A crashed domain boots on another host (its disk is on shared storage).
  const Outcome moved = lv.restart_on(d, b, kPlanned);
  ASSERT_TRUE(moved.ok()) << moved.message;
  EXPECT_EQ(lv.info(d).host, b);
  EXPECT_EQ(lv.info(d).state, DomainState::running);
  // Repair reopens the host; the other crashed domain boots there again.
  const Outcome r = lv.repair_host(a, 1);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(lv.host_state(a), HostState::up);
  EXPECT_EQ(lv.repair_host(a, 1).code, codes::kOperationInvalid);
}

TEST(LibvirtBackend, ADomainWithoutThePrefixSurvivesEveryCommand) {
  Probe probe;
  probe.define_and_start("keep-me");  // a user's domain, named without the prefix
  {
    LibvirtBackend lv{on({"test:///default"})};
    const HostId a = lv.add_host({});
    const HostId b = lv.add_host({});
    // Asking for the same name gives the prefixed one.
    const DomainId d = lv.define(a, {.name = "keep-me"}, 1).first;
    const DomainId e = lv.define(a, {.name = "other"}, 1).first;
    EXPECT_EQ(lv.domain_name(d), "rejuv-keep-me");
    for (Op op : {Op::start, Op::suspend, Op::resume, Op::reboot, Op::save, Op::restore})
      EXPECT_TRUE(lv.run(op, d, 1).ok());
    ASSERT_TRUE(lv.start(e, 1).ok());
    EXPECT_TRUE(lv.host_reboot(a, HostReboot::warm, 1).ok());
    EXPECT_TRUE(lv.host_reboot(a, HostReboot::cold, 1).ok());
    EXPECT_TRUE(lv.migrate(d, b, {}, {}).ok());
    EXPECT_TRUE(lv.fail_host(a).ok());
    EXPECT_TRUE(lv.restart_on(e, b, 1).ok());
    EXPECT_TRUE(lv.repair_host(a, 1).ok());
    EXPECT_TRUE(lv.shutdown(d, 1).ok());
    EXPECT_TRUE(lv.destroy(e, 1).ok());
    EXPECT_TRUE(lv.undefine(d, 1).ok());
    EXPECT_FALSE(lv.cleanup().empty());  // e was still defined
  }                                      // and the destructor's cleanup
  EXPECT_EQ(probe.state("keep-me"), VIR_DOMAIN_RUNNING);
  EXPECT_EQ(probe.state("test"), VIR_DOMAIN_RUNNING);  // the test driver's own domain
  EXPECT_TRUE(probe.names_with("rejuv-").empty());
  probe.remove("keep-me");
}

TEST(LibvirtBackend, RefusesRealVirtualisationWithoutAllowReal) {
  for (const char* uri :
       {"qemu:///system", "qemu:///session", "qemu+ssh://root@example.org/system",
        "qemu+unix:///system?socket=/run/h2/libvirt-sock", "test+tcp://example.org/default"}) {
    SCOPED_TRACE(uri);
    try {
      LibvirtBackend lv{on({"test:///default", uri})};
      ADD_FAILURE() << "accepted " << uri;
    } catch (const InputError& e) {
      EXPECT_EQ(e.where(), "--connect");
      EXPECT_NE(e.message().find(uri), std::string::npos) << e.message();
      EXPECT_NE(e.message().find("--allow-real"), std::string::npos) << e.message();
    }
    LibvirtOptions allowed = on({uri});
    allowed.allow_real = true;
    EXPECT_NO_THROW(LibvirtBackend{allowed});  // connections open in add_host, not here
  }
  EXPECT_THROW(LibvirtBackend{on({""})}, InputError);
  LibvirtOptions bad_prefix = on({"test:///default"});
  bad_prefix.prefix = "*";
  EXPECT_THROW(LibvirtBackend{bad_prefix}, InputError);
}

TEST(LibvirtBackend, RefusesToStartWhereItsPrefixIsTakenAndTouchesNothing) {
  Probe probe;
  probe.define_and_start("rejuv-left-over");
  LibvirtBackend lv{on({"test:///default"})};
  try {
    lv.add_host({});
    ADD_FAILURE() << "started beside another run's domain";
  } catch (const InputError& e) {
    EXPECT_NE(e.message().find("rejuv-left-over"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("--prefix"), std::string::npos) << e.message();
  }
  EXPECT_EQ(lv.host_count(), 0u);
  lv.cleanup();
  EXPECT_EQ(probe.state("rejuv-left-over"), VIR_DOMAIN_RUNNING);
  // Another prefix works beside it.
  LibvirtOptions other = on({"test:///default"});
  other.prefix = "mine-";
  LibvirtBackend lv2{other};
  const HostId h = lv2.add_host({});
  EXPECT_EQ(lv2.domain_name(lv2.define(h, {.name = "x"}, 1).first), "mine-x");
  probe.remove("rejuv-left-over");
}

TEST(LibvirtBackend, AnInterruptStopsTheNextOperationAndCleanupRemovesEverything) {
  Probe probe;
  {
    LibvirtBackend lv{on({"test:///default"})};
    const HostId h = lv.add_host({});
    const DomainId d = lv.define(h, {.name = "vm1"}, 1).first;
    const DomainId e = lv.define(h, {.name = "vm2"}, 1).first;
    ASSERT_TRUE(lv.start(d, 1).ok());
    ASSERT_TRUE(lv.save(e, 1).code != 0);  // a failed call leaves nothing behind either
    request_interrupt();                   // what SIGINT/SIGTERM do (InterruptGuard)
    EXPECT_THROW(lv.suspend(d, 1), Interrupted);
    EXPECT_EQ(probe.state("rejuv-vm1"), VIR_DOMAIN_RUNNING);  // the interrupted call did not run
    const auto removed = lv.cleanup();
    clear_interrupt();
    EXPECT_EQ(removed.size(), 2u);
    EXPECT_NE(removed[0].find("removed rejuv-vm1"), std::string::npos) << removed[0];
    EXPECT_TRUE(probe.names_with("rejuv-").empty());
    EXPECT_TRUE(lv.cleanup().empty());  // twice is harmless
  }
  EXPECT_EQ(probe.state("test"), VIR_DOMAIN_RUNNING);
}

TEST(LibvirtBackend, DryRunOpensNothingAndPrintsEachCall) {
  std::vector<std::string> lines;
  LibvirtOptions o = on({"qemu:///system"});  // no --allow-real needed: nothing is opened
  o.dry_run = true;
  o.print = [&](const std::string& l) { lines.push_back(l); };
  LibvirtBackend lv{o};
  const HostId h = lv.add_host({});
  auto [d, defined] = lv.define(h, {.name = "vm1"}, 2.5);
  EXPECT_EQ(defined.duration, 2.5);  // the plan: nothing was measured
  EXPECT_EQ(lv.start(d, 7).duration, 7);
  EXPECT_EQ(lv.info(d).state, DomainState::running);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "dry-run: virConnectOpen(qemu:///system)  # host h0");
  EXPECT_NE(lines[1].find("virDomainDefineXML(qemu:///system, <domain rejuv-vm1>)"),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[2].find("virDomainCreate(rejuv-vm1)"), std::string::npos) << lines[2];
}

TEST(LibvirtBackend, LibvirtsEventsReportChangesNobodyAskedFor) {
  Probe probe;
  LibvirtBackend lv{on({"test:///default"})};
  const HostId h = lv.add_host({});
  ASSERT_TRUE(lv.host_has_events(h));
  std::vector<LifecycleEvent> seen;
  lv.subscribe([&](const LifecycleEvent& e) { seen.push_back(e); });
  const DomainId d = lv.define(h, {.name = "vm1"}, 1).first;
  const DomainId e = lv.define(h, {.name = "vm2"}, 1).first;
  ASSERT_TRUE(lv.start(d, 1).ok());
  ASSERT_EQ(seen.size(), 3u);  // two definitions, one start: each operation's own change, once
  EXPECT_EQ(seen[2].cause, Op::start);
  EXPECT_EQ(seen[2].state, DomainState::running);
  // Behind the adapter's back (the guest, an administrator): vm1 is paused.
  virDomainPtr p = virDomainLookupByName(probe.conn, "rejuv-vm1");
  ASSERT_EQ(virDomainSuspend(p), 0);
  virDomainFree(p);
  ASSERT_TRUE(lv.start(e, 1).ok());  // the next operation delivers libvirt's event first
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[3].domain, d);
  EXPECT_EQ(seen[3].cause, Op::suspend);
  EXPECT_EQ(seen[3].state, DomainState::paused);
  EXPECT_EQ(lv.info(d).state, DomainState::paused);
  EXPECT_EQ(seen[4].domain, e);
}

TEST(LibvirtBackend, InjectedFaultsFailThroughLibvirtItself) {
  Probe probe;
  LibvirtBackend lv{on({"test:///default"})};
  Streams streams{1};
  FaultInjection faults{lv, streams};
  const HostId a = faults.add_host({.name = "a"});
  const HostId b = faults.add_host({.name = "b"});
  const DomainId d = faults.define(a, {.name = "vm1"}, 1).first;
  const DomainId e = faults.define(a, {.name = "vm2"}, 1).first;
  ASSERT_TRUE(faults.start(d, 1).ok());
  ASSERT_TRUE(faults.start(e, 1).ok());
  // A domain destroyed as its migration begins: libvirt's own error comes back.
  faults.add({.target = Fault::Target::domain,
              .id = d,
              .op = Op::migrate,
              .mode = Fault::Mode::once,
              .effect = Fault::Effect::destroy_domain});
  const Outcome m = faults.migrate(d, b, {}, {.total = 1});
  EXPECT_EQ(m.status, Outcome::Status::failed);
  EXPECT_EQ(m.code, VIR_ERR_OPERATION_INVALID) << m.message;
  EXPECT_NE(m.message.find("virDomain"), std::string::npos) << m.message;
  EXPECT_EQ(probe.state("rejuv-vm1"), VIR_DOMAIN_SHUTOFF);
  // A host whose operations fail: its connection is closed, its domains destroyed.
  faults.add({.target = Fault::Target::host,
              .id = a,
              .op = Op::reboot,
              .effect = Fault::Effect::fail_host});
  const Outcome r = faults.reboot(e, 1);
  EXPECT_EQ(r.code, codes::kHostFailed);
  EXPECT_EQ(r.blame, Blame::host);
  EXPECT_EQ(probe.state("rejuv-vm2"), VIR_DOMAIN_SHUTOFF);
  EXPECT_EQ(faults.info(e).state, DomainState::crashed);
  EXPECT_TRUE(faults.restart_on(e, b, 1).ok());  // what a lineage substitution does next
  EXPECT_EQ(probe.state("rejuv-vm2"), VIR_DOMAIN_RUNNING);
  EXPECT_EQ(faults.injected(), 2u);
}

TEST(LibvirtBackend, NeedsAUriPerHostUnlessOneTestUriServesAll) {
  LibvirtOptions o;
  o.hosts = {{"test:///default", {}}, {"test:///default", {}}};
  LibvirtBackend lv{o};
  lv.add_host({});
  lv.add_host({});
  try {
    lv.add_host({});
    ADD_FAILURE() << "a third host had no URI";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "--connect");
    EXPECT_NE(e.message().find("host #3"), std::string::npos) << e.message();
  }
  LibvirtBackend any{on({"test:///default"})};
  for (int i = 0; i < 5; ++i) any.add_host({});
  EXPECT_EQ(any.host_count(), 5u);
}

#endif

}  // namespace
}  // namespace rejuv::sim::backends
