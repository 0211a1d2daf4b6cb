#include "cli/interrupt.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace rejuv::cli {

namespace {

std::mutex& registry_mutex() {
  static std::mutex mu;
  return mu;
}

std::vector<std::string>& folders() {
  static std::vector<std::string> dirs;
  return dirs;
}

[[noreturn]] void die_of(int sig) {
  // Deepest first, so that a folder this command created inside another it created goes first;
  // rmdir removes only empty folders, so nothing a user put there is touched.
  std::vector<std::string> dirs = folders();
  std::sort(dirs.begin(), dirs.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& d : dirs) ::rmdir(d.c_str());
  std::fputs(sig == SIGINT ? "\nrejuv: interrupted; nothing partial was left behind\n"
                           : "\nrejuv: terminated; nothing partial was left behind\n",
             stderr);
  std::fflush(stderr);
  ::signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  ::raise(sig);
  ::_exit(128 + sig);  // not reached: the default action of SIGINT and SIGTERM ends the process
}

}  // namespace

void install_interrupt_cleanup() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started from now on
  std::thread([set] {
    int sig = 0;
    while (::sigwait(&set, &sig) != 0) {
    }
    // Holding the lock, no temporary file exists and none can be created.
    registry_mutex().lock();
    die_of(sig);
  }).detach();
}

std::unique_lock<std::mutex> write_lock() { return std::unique_lock<std::mutex>(registry_mutex()); }

void remove_folder_on_interrupt(const std::filesystem::path& dir) {
  std::lock_guard lock(registry_mutex());
  folders().push_back(dir.string());
}

void keep_folder_on_interrupt(const std::filesystem::path& dir) {
  std::lock_guard lock(registry_mutex());
  auto& v = folders();
  v.erase(std::remove(v.begin(), v.end(), dir.string()), v.end());
}

}  // namespace rejuv::cli
