// `rejuv sweep`: the same bytes whatever runs it (1, 2 or 4 threads, MPI ranks, merged shards), and
// an interrupted sweep resumes without losing or repeating a point.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.hpp"
#include "paper_params.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string sweep_scenario(const TempDir& dir) {
  json doc = {{"kind", "rejuvenation"},
              {"extends", source_path("data/kourai2007.json").string()},
              {"hosts", 40},
              {"strategies", {"warm", "migration"}},
              {"horizon", "60d"},
              {"seed", 9},
              {"failures", json::object()}};  // random draws, so the point seeds matter
  const std::string file = (dir / "scenario.json").string();
  write_file(file, doc.dump(2));
  return file;
}

std::vector<std::string> sweep_args(const std::string& file, const fs::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> a{"sweep", file, "--set", "hosts=20,40,60", "--set", "spares=1,2", "--out", out.string()};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

TEST(CliSweep, SameBytesForOneTwoFourWorkersMpiRanksAndMergedShards) {
  TempDir dir;
  const std::string file = sweep_scenario(dir);
  ASSERT_EQ(run_cli(sweep_args(file, dir / "w1", {"--jobs", "1"})).status, 0);
  const std::string reference = read_file(dir / "w1/sweep.csv");
  EXPECT_EQ(std::count(reference.begin(), reference.end(), '\n'), 1 + 3 * 2 * 2);
  EXPECT_EQ(reference.substr(0, reference.find(',', reference.find(',') + 1)), "hosts,spares");
  EXPECT_NE(reference.find("\n60,2,migration,"), std::string::npos);
  for (const char* jobs : {"2", "4"}) {
    ASSERT_EQ(run_cli(sweep_args(file, dir / jobs, {"--jobs", jobs})).status, 0);
    EXPECT_EQ(read_file(dir / jobs / "sweep.csv"), reference) << jobs << " workers";
  }
  for (int i = 0; i < 3; ++i) {
    auto r = run_cli(sweep_args(file, dir / ("s" + std::to_string(i)), {"--shard", std::to_string(i) + "/3"}));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_FALSE(fs::exists(dir / ("s" + std::to_string(i)) / "sweep.csv"));  // a shard alone is incomplete
  }
  auto m = run_cli({"sweep", "merge", (dir / "s0").string(), (dir / "s1").string(), (dir / "s2").string(), "--out",
                    (dir / "merged").string()});
  ASSERT_EQ(m.status, 0) << m.err;
  EXPECT_EQ(read_file(dir / "merged/sweep.csv"), reference);
#if REJUV_HAVE_MPI
  // mpirun -n 3: rank 0 hands out points, ranks 1 and 2 run them.
  // Leak checking is off for these three processes only: Open MPI's plugins are dlopen'ed and
  // unloaded at MPI_Finalize, leaving allocations LeakSanitizer can neither attribute nor suppress.
  // The same sweep code runs leak-checked in the thread and shard cases above.
  const std::string cmd = "ASAN_OPTIONS=detect_leaks=0 " + std::string(REJUV_MPIEXEC) +
                          " -x ASAN_OPTIONS --allow-run-as-root --oversubscribe -n 3 " + REJUV_EXE +
                          " sweep " + file + " --set hosts=20,40,60 --set spares=1,2 --out " +
                          (dir / "mpi").string() + " > " + (dir / "mpi.log").string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(dir / "mpi.log");
  EXPECT_EQ(read_file(dir / "mpi/sweep.csv"), reference);
#else
  GTEST_LOG_(INFO) << "MPI not built in: the mpirun case is skipped";
#endif
}

TEST(CliSweep, AnInterruptedSweepResumesWithoutLosingOrRepeatingAPoint) {
  TempDir dir;
  const std::string file = sweep_scenario(dir);
  ASSERT_EQ(run_cli(sweep_args(file, dir / "whole")).status, 0);
  // Half of the points finished before the "crash"; one point file was being written (a .tmp).
  ASSERT_EQ(run_cli(sweep_args(file, dir / "resumed", {"--shard", "0/2"})).status, 0);
  write_file(dir / "resumed/points/p1.csv.tmp-999", "garbage of an interrupted write");
  const auto before = fs::last_write_time(dir / "resumed/points/p0.csv");
  auto r = run_cli(sweep_args(file, dir / "resumed"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(dir / "resumed/sweep.csv"), read_file(dir / "whole/sweep.csv"));
  EXPECT_EQ(fs::last_write_time(dir / "resumed/points/p0.csv"), before);  // not run again
  EXPECT_NE(r.err.find("3/3 points"), std::string::npos) << r.err;        // only the other half ran
}

TEST(CliSweep, RefusesAFolderOfAnotherSweepAndBadInput) {
  TempDir dir;
  const std::string file = sweep_scenario(dir);
  ASSERT_EQ(run_cli(sweep_args(file, dir / "out")).status, 0);
  auto r = run_cli({"sweep", file, "--set", "hosts=20,40", "--out", (dir / "out").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("holds another sweep"), std::string::npos) << r.err;

  r = run_cli({"sweep", file, "--set", "hosts", "--out", (dir / "bad").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--set: expected KEY=V1,V2"), std::string::npos) << r.err;
  r = run_cli({"sweep", file, "--set", "hosts=10,-1", "--out", (dir / "bad").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(file + ": /hosts: expected an integer ≥ 1, got -1 (at sweep point hosts=-1)"), std::string::npos)
      << r.err;
  r = run_cli({"sweep", file, "--set", "hosts=10", "--shard", "3/3", "--out", (dir / "bad").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--shard: expected i/N with 0 ≤ i < N"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "bad"));
  r = run_cli({"sweep", "merge", (dir / "out").string(), (dir / "nope").string(), "--out", (dir / "m").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no sweep.json"), std::string::npos) << r.err;
}

TEST(CliSweep, RefusesSetPathsThatCannotBeSetAndAMalformedManifestWithThePlace) {
  TempDir dir;
  const std::string file = sweep_scenario(dir);
  // Before: an uncaught nlohmann::json type_error (abort, exit 134).
  auto r = run_cli({"sweep", file, "--set", "hosts/x=1,2", "--out", (dir / "a").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--set: cannot set \"hosts/x\" in the scenario: the value before \"x\" is 40, not an object"),
            std::string::npos)
      << r.err;
  // Before: the list grew to 10^9 elements.
  r = run_cli({"sweep", file, "--set", "strategies/999999999=warm", "--out", (dir / "a").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("\"999999999\" is not an index of the list there (0 to 1)"), std::string::npos) << r.err;
  std::string forty = "=1";
  for (int k = 2; k <= 40; ++k) forty += "," + std::to_string(k);
  r = run_cli({"sweep", file, "--set", "hosts" + forty, "--set", "spares" + forty, "--set", "T_os" + forty, "--set",
               "T_vmm" + forty, "--out", (dir / "a").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--set: expected at most 1e+06 points in the cross product of the --set values, got 2.56e+06"),
            std::string::npos)
      << r.err;
  // Found by fuzz/sweep_set (fuzz/regressions/sweep_set/set-value-not-utf8): json::dump threw.
  r = run_cli({"sweep", file, "--set", "hosts=20,\xff", "--out", (dir / "a").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--set: expected UTF-8 text, got bytes that are not"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "a"));
  // Before: sweep merge aborted on a sweep.json whose axis key was not a string.
  fs::create_directories(dir / "shard");
  write_file(dir / "shard/sweep.json", R"({"sweep":1,"kind":"rejuvenation","points":2,"axes":[{"key":5,"values":[1,2]}]})");
  r = run_cli({"sweep", "merge", (dir / "shard").string(), "--out", (dir / "m").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find((dir / "shard/sweep.json").string() + ": /axes/0/key: expected a key, got 5"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "m"));
}

TEST(CliSweep, TakesTheScenarioReadersSeedsAndRecordsTheKind) {
  TempDir dir;
  json doc = json::parse(read_file(sweep_scenario(dir)));
  doc["seed"] = 18446744073709551615ULL;  // 2^64 − 1: the scenario reader takes it, so the sweep does too
  write_file(dir / "big-seed.json", doc.dump());
  auto r = run_cli({"sweep", (dir / "big-seed.json").string(), "--set", "hosts=20", "--out", (dir / "big").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(read_file(dir / "big/sweep.json"))["kind"], "rejuvenation");
  doc["seed"] = -1;
  write_file(dir / "bad-seed.json", doc.dump());
  r = run_cli({"sweep", (dir / "bad-seed.json").string(), "--set", "hosts=20", "--out", (dir / "bad").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/seed: expected an integer ≥ 0, got -1"), std::string::npos) << r.err;
  doc["seed"] = 1;
  doc["kind"] = "tepid";
  write_file(dir / "bad-kind.json", doc.dump());
  r = run_cli({"sweep", (dir / "bad-kind.json").string(), "--set", "hosts=20", "--out", (dir / "bad").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/kind: expected one of \"rejuvenation\""), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "bad"));
}

TEST(CliHelp, SweepHasHelpWithAnExample) {
  auto r = run_cli({"sweep", "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Example"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rejuv::testing
