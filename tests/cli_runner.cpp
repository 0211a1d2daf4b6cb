#include "cli_runner.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace rejuv::testing {

namespace fs = std::filesystem;

CliResult run_cli(const std::vector<std::string>& args) {
  static int counter = 0;
  fs::path base = fs::temp_directory_path() /
                  ("rejuv-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::path out_path = base.string() + ".out", err_path = base.string() + ".err";
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv;
    std::string exe = REJUV_EXE;
    argv.push_back(exe.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  CliResult r;
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return r;
}

TempDir::TempDir() {
  std::random_device rd;  // only names a scratch directory; never feeds a simulation
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = fs::temp_directory_path() / ("rejuv-test-" + std::to_string(rd()));
    if (fs::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temp dir");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::vector<std::string> TempDir::files() const {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(path_))
    names.push_back(fs::relative(e.path(), path_).string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

fs::path source_path(const std::string& relative) { return fs::path(REJUV_SOURCE_DIR) / relative; }

void merge_keeping_nulls(nlohmann::json& into, const nlohmann::json& patch) {
  for (const auto& [k, v] : patch.items()) {
    if (v.is_object() && into.contains(k) && into[k].is_object())
      merge_keeping_nulls(into[k], v);
    else
      into[k] = v;
  }
}

}  // namespace rejuv::testing
