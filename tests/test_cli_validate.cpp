// `rejuv validate` as a user runs it, on libvirt's in-process test driver: the shipped scenario
// runs and its compare.json says what ran where; real URIs are refused without --allow-real; a dry
// run shows the calls and writes nothing; bad input gets one message and exit status 2; Ctrl-C
// stops the run, removes its domains and writes nothing.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "fitting/curve_set.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;

#if !REJUV_HAVE_LIBVIRT

TEST(CliValidate, NeedsLibvirt) {
  GTEST_SKIP() << "built without libvirt (install libvirt-dev and reconfigure)";
}

#else

const std::string kScenario = source_path("scenarios/validate-test-driver.json").string();

// The shipped scenario with a few changes, written into `dir`.
std::string scenario_with(const TempDir& dir, const std::string& name, const json& patch) {
  json doc = json::parse(read_file(kScenario));
  doc["extends"] = source_path("data/kourai2007.json").string();
  doc.merge_patch(patch);
  const std::string file = (dir / name).string();
  write_file(file, doc.dump(2));
  return file;
}

TEST(CliValidate, RunsTheTestDriverScenarioAndWritesACheckedCompareJson) {
  TempDir dir;
  const auto out = dir / "v";
  const CliResult r = run_cli({"validate", kScenario, "--connect", "test:///default", "--out",
                               out.string(), "--time-scale", "1e-7"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json c = json::parse(read_file(out / "compare.json"));
  EXPECT_EQ(c["connect"], json::array({"test:///default"}));
  EXPECT_EQ(c["measured_backend"], "libvirt");
  EXPECT_EQ(c["simulated_backend"], "simulated");
  EXPECT_EQ(c["time_scale"], 1e-7);
  EXPECT_EQ(c["prefix"], "rejuv-");
  EXPECT_EQ(c["domains_removed"], 0);  // every run undefines its own domains
  std::map<std::string, json> ops;
  for (const auto& o : c["operations"]) ops[o["op"].get<std::string>()] = o;
  // The scenario's operations, on both sides: OS reboots, VMM reboots, migrations.
  for (const char* op : {"reboot", "host_reboot", "migrate"}) {
    SCOPED_TRACE(op);
    ASSERT_TRUE(ops.count(op));
    const json& s = ops[op]["simulated"];
    const json& m = ops[op]["measured"];
    EXPECT_GT(s["count"].get<int>(), 0);
    EXPECT_GT(m["count"].get<int>(), 0);
    EXPECT_EQ(m["failures"], 0);
    EXPECT_EQ(m["unsupported"], 0);
    EXPECT_LE(m["p50_s"].get<double>(), m["p95_s"].get<double>());
    // The test driver acts in microseconds; the model plans seconds to minutes
    // (data/kourai2007.json).
    EXPECT_LT(m["p95_s"].get<double>(), 1.0);
    EXPECT_GT(s["mean_s"].get<double>(), 1.0);
    EXPECT_GT(m["planned_mean_s"].get<double>(), 1.0);
  }
  // The test driver has no migration: every one was emulated, and host reboots always are.
  EXPECT_EQ(ops["migrate"]["measured"]["emulated"], ops["migrate"]["measured"]["count"]);
  EXPECT_EQ(ops["host_reboot"]["measured"]["emulated"], ops["host_reboot"]["measured"]["count"]);
  EXPECT_EQ(ops["reboot"]["measured"]["emulated"], 0);
  // The table, on stdout and in compare.txt.
  EXPECT_EQ(read_file(out / "compare.txt"), r.out);
  EXPECT_EQ(r.out.rfind("op  ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("host_reboot"), std::string::npos);
  // One run per strategy, each as a curve set the fitting module reads.
  ASSERT_EQ(c["runs"].size(), 4u);
  EXPECT_EQ(c["runs"][0]["label"], "warm");
  EXPECT_EQ(c["runs"][3]["curve_set"], "measured/curves/live_rate_control");
  const auto warm = fitting::read_curve_set(out / "measured/curves/warm");
  EXPECT_TRUE(warm.has("host"));  // the whole cluster
  EXPECT_FALSE(warm.events_of("os_reboot_start").empty());
  EXPECT_FALSE(warm.events_of("vmm_reboot_start").empty());
  // 3 hosts of 11 VMs at p/n each (data/kourai2007.json: host_throughput p = 560, n = 11).
  EXPECT_NEAR(fitting::value_at(warm.series("host"), 0), 33 * 560.0 / 11, 1e-9);
  const auto migration = fitting::read_curve_set(out / "measured/curves/migration");
  EXPECT_FALSE(migration.events_of("migration_start").empty());
  for (const char* f :
       {"measured/operations.csv", "measured/summary.json", "simulated/operations.csv",
        "simulated/summary.json", "simulated/curves/cold/throughput.csv"})
    EXPECT_TRUE(std::filesystem::is_regular_file(out / f)) << f;
}

TEST(CliValidate, TheSimulatedSideIsTheSameForTheSameSeed) {
  TempDir dir;
  const std::string short_run = scenario_with(dir, "short.json", {{"horizon", "6h"}});
  for (const char* o : {"a", "b"})
    ASSERT_EQ(run_cli({"validate", short_run, "--connect", "test:///default", "--out",
                       (dir / o).string(), "--time-scale", "0"})
                  .status,
              0);
  EXPECT_EQ(read_file(dir / "a/simulated/operations.csv"),
            read_file(dir / "b/simulated/operations.csv"));
  EXPECT_EQ(read_file(dir / "a/simulated/curves/warm/throughput.csv"),
            read_file(dir / "b/simulated/curves/warm/throughput.csv"));
  EXPECT_EQ(read_file(dir / "a/simulated/summary.json"),
            read_file(dir / "b/simulated/summary.json"));
}

// Issue "Real backends", failure injection through libvirt: the paper's experiment 1 (seed 000
// §5.1: ibm34 cannot deploy, lineage replaces it by ibm42) with the fault striking as a failed host
// (effect fail_host), so that libvirt itself refuses the define on ibm34 — and the substitution
// runs end to end on the test driver, the same as in the simulation.
TEST(CliValidate, ALineageSubstitutionRunsOnLibvirtWhenLibvirtItselfFails) {
  TempDir dir;
  json doc = json::parse(read_file(source_path("scenarios/lineage-deploy.json")));
  doc["inject"][0]["effect"] = "fail_host";
  doc["policies"] = {"lineage"};
  write_file(dir / "deploy.json", doc.dump(2));
  const auto out = dir / "v";
  const CliResult r = run_cli({"validate", (dir / "deploy.json").string(), "--connect", "test:///default",
                               "--out", out.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* side : {"simulated", "measured"}) {
    SCOPED_TRACE(side);
    const json s = json::parse(read_file(out / side / "summary.json"));
    ASSERT_EQ(s["results"].size(), 1u);
    const json& res = s["results"][0];
    EXPECT_EQ(res["outcome"], "ok");
    ASSERT_EQ(res["substitutions"].size(), 1u);
    EXPECT_EQ(res["substitutions"][0]["failed"], "ibm34");
    EXPECT_EQ(res["substitutions"][0]["substitute"], "ibm42");
    EXPECT_EQ(res["elements"].size(), 10u);
  }
  // On the libvirt side the define on ibm34 failed with the adapter's failed-host error, not with
  // the injector's own refusal; the domains left on the failed host were removed at the end.
  const std::string ops = read_file(out / "measured/operations.csv");
  std::istringstream lines(ops);
  std::string line;
  int failed_defines = 0;
  while (std::getline(lines, line))
    if (line.find(",define,") != std::string::npos && line.find(",ibm34,") != std::string::npos &&
        line.find(",failed,") != std::string::npos) {
      ++failed_defines;
      EXPECT_NE(line.find(",failed,1001,host ibm34 has failed"), std::string::npos) << line;
    }
  EXPECT_EQ(failed_defines, 1) << ops;
  EXPECT_NE(r.err.find("removed 2 domains"), std::string::npos) << r.err;  // 34-0 and 34-1, on the failed host
}

TEST(CliValidate, RefusesQemuSystemWithoutAllowRealAndWritesNothing) {
  TempDir dir;
  const auto out = dir / "v";
  const CliResult r =
      run_cli({"validate", kScenario, "--connect", "qemu:///system", "--out", out.string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--connect: refusing qemu:///system"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--allow-real"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CliValidate, ADryRunShowsTheCallsOnARealUriAndWritesNothing) {
  TempDir dir;
  const auto out = dir / "v";
  const CliResult r = run_cli({"validate", kScenario, "--connect",
                               "qemu:///system,qemu+ssh://root@h2/system,qemu+ssh://root@h3/system",
                               "--dry-run", "--out", out.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("dry-run: virConnectOpen(qemu:///system)"), std::string::npos)
      << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("dry-run: virConnectOpen(qemu+ssh://root@h3/system)"), std::string::npos);
  EXPECT_NE(r.out.find("virDomainReboot(rejuv-vm"), std::string::npos);
  EXPECT_NE(r.out.find("virDomainMigrate3(rejuv-vm"), std::string::npos);
  EXPECT_NE(r.out.find("rate control"), std::string::npos);  // live_rate_control's migrations
  EXPECT_NE(r.err.find("dry run"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CliValidate, BadInputGetsOneMessageAndStatusTwoAndNothingWritten) {
  TempDir dir;
  const auto out = dir / "v";
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string three_hosts = scenario_with(dir, "three.json", json::object());
  const std::string bad = scenario_with(dir, "bad.json", {{"T_os", "-3h"}});
  const std::vector<Case> cases = {
      {{"validate", kScenario, "--connect", "test:///default", "--out", out.string(),
        "--time-scale", "-1"},
       "--time-scale: expected a number >= 0"},
      {{"validate", bad, "--connect", "test:///default", "--out", out.string()}, "/T_os"},
      {{"validate", three_hosts, "--connect", "test:///default,test:///default", "--out",
        out.string()},
       "--connect: the scenario needs 3 hosts but --connect names 2 URIs"},
      {{"validate", kScenario, "--connect", "test:///default", "--out", out.string(), "--prefix",
        "a b"},
       "--prefix: "},
      {{"validate", kScenario, "--connect", "test:///default"}, "--out: required"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    const CliResult r = run_cli(c.args);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.rfind("rejuv: ", 0), 0u) << r.err;  // one message, nothing before it
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out / "compare.json"));
  }
}

TEST(CliValidate, CtrlCStopsTheRunRemovesItsDomainsAndWritesNothing) {
  TempDir dir;
  const auto out = dir / "v", err_file = dir / "stderr";
  // At time scale 1 the first idle stretch waits for minutes: the run is interrupted in it.
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int fd = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    std::string exe = REJUV_EXE;
    std::vector<std::string> args = {exe,          "validate",        kScenario,
                                     "--connect",  "test:///default", "--out",
                                     out.string(), "--time-scale",    "1"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  // Wait for the run to announce its first wait (its domains are defined and running by then).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (read_file(err_file).find("waiting") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ::kill(pid, SIGINT);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  const std::string err = read_file(err_file);
  ASSERT_TRUE(WIFEXITED(wstatus)) << err;
  EXPECT_EQ(WEXITSTATUS(wstatus), 130) << err;
  EXPECT_NE(err.find("interrupted by signal 2"), std::string::npos) << err;
  // Each of the 33 VMs (3 hosts × 11) was removed, by name.
  size_t removed = 0;
  for (size_t at = err.find("cleanup: removed rejuv-vm"); at != std::string::npos;
       at = err.find("cleanup: removed rejuv-vm", at + 1))
    ++removed;
  EXPECT_EQ(removed, 33u) << err;
  EXPECT_FALSE(std::filesystem::exists(out / "compare.json"));
}

#endif

}  // namespace
}  // namespace rejuv::testing
