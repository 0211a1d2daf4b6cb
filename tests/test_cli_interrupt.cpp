// Ctrl-C during a long `rejuv run` or `rejuv sweep` (cli/interrupt.hpp): the process dies of the
// signal (status 128 + 2, as a shell expects), says so, and leaves no temporary file and no folder
// it made for a run; a sweep keeps its manifest and finished points, and resumes from them.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "cli_runner.hpp"
#include "paper_params.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// `rejuv ARGS…` started in the background, its stderr going to `err`.
pid_t start(const std::vector<std::string>& args, const fs::path& err) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    std::vector<std::string> copy = args;
    std::vector<char*> argv{const_cast<char*>(REJUV_EXE)};
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(REJUV_EXE, argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits (polling, at most 60 s) until `ready` holds; false if the process ended first.
template <class F>
bool wait_until(pid_t pid, F ready) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

int interrupt_and_wait(pid_t pid) {
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

bool any_temporary(const TempDir& dir) {
  for (const auto& f : dir.files())
    if (f.find(".tmp-") != std::string::npos) return true;
  return false;
}

// A scenario long enough to be interrupted (1,000 VMM cycles): its progress line, printed at each
// 1 % of simulated time once a second has passed, shows after about a second.
std::string long_scenario(const TempDir& dir, int hosts) {
  json doc = paper_json();
  doc.merge_patch({{"kind", "rejuvenation"}, {"hosts", hosts}, {"strategies", {"warm", "cold"}},
                   {"horizon", "28000d"}, {"seed", 5}});
  const std::string file = (dir / "scenario.json").string();
  write_file(file, doc.dump());
  return file;
}

TEST(Interrupt, RunDiesOfTheSignalAndLeavesNoFolder) {
  TempDir dir;
  const std::string file = long_scenario(dir, 400);
  const pid_t pid = start({"run", file, "--out", (dir / "out" / "run").string()}, dir / "err.txt");
  ASSERT_TRUE(wait_until(pid, [&] { return read_file(dir / "err.txt").find("rejuv run:") != std::string::npos; }))
      << read_file(dir / "err.txt");
  EXPECT_EQ(interrupt_and_wait(pid), 128 + SIGINT);
  EXPECT_NE(read_file(dir / "err.txt").find("interrupted"), std::string::npos) << read_file(dir / "err.txt");
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"err.txt", "scenario.json"}));
}

TEST(Interrupt, SweepKeepsItsFinishedPointsAndResumes) {
  TempDir dir;
  json doc = paper_json();
  doc.merge_patch({{"kind", "rejuvenation"}, {"strategies", {"warm"}}, {"horizon", "365d"}, {"seed", 5}});
  const std::string file = (dir / "scenario.json").string();
  write_file(file, doc.dump());
  const std::vector<std::string> args{"sweep", file, "--set", "hosts=100,200,400,800,1600,3200",
                                      "--jobs", "1", "--out", (dir / "sweep").string()};
  const pid_t pid = start(args, dir / "err.txt");
  ASSERT_TRUE(wait_until(pid, [&] { return fs::exists(dir / "sweep/points/p0.csv"); })) << read_file(dir / "err.txt");
  EXPECT_EQ(interrupt_and_wait(pid), 128 + SIGINT);
  EXPECT_FALSE(any_temporary(dir));
  EXPECT_TRUE(fs::exists(dir / "sweep/sweep.json"));
  EXPECT_FALSE(fs::exists(dir / "sweep/sweep.csv"));
  EXPECT_FALSE(fs::exists(dir / "sweep/points/p5.csv"));  // the last, largest point had not run
  auto r = run_cli(args);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string csv = read_file(dir / "sweep/sweep.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 6);
}

}  // namespace
}  // namespace rejuv::testing
