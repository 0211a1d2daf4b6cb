#include "sim/backends/safety.hpp"

#include <fmt/format.h>

#include <csignal>

namespace rejuv::sim::backends {

bool is_test_driver_uri(std::string_view uri) {
  // "test:///…": the scheme is exactly "test" (no "+transport") and the host part is empty, so
  // libvirt opens its test driver inside this process instead of asking a daemon.
  constexpr std::string_view kTest = "test:///";
  return uri.size() > kTest.size() && uri.substr(0, kTest.size()) == kTest;
}

std::string refuse_uri(std::string_view uri, bool allow_real) {
  if (uri.empty())
    return "an empty URI lets libvirt choose a hypervisor (often qemu:///system); name one, e.g. "
           "test:///default";
  if (uri.find("://") == std::string_view::npos)
    return fmt::format(
        "\"{}\" is not a libvirt URI (expected driver[+transport]://[host]/path, e.g. "
        "test:///default)",
        uri);
  if (is_test_driver_uri(uri) || allow_real) return {};
  return fmt::format(
      "refusing {}: it is real virtualisation (only libvirt's in-process test driver, test:///…, "
      "is used "
      "without asking); pass --allow-real to act on it",
      uri);
}

std::string refuse_prefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > 32)
    return fmt::format("expected a domain name prefix of 1 to 32 characters, got \"{}\"", prefix);
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!letter(prefix[0]))
    return fmt::format("a domain name prefix must start with a letter, got \"{}\"", prefix);
  for (char c : prefix)
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.')
      return fmt::format(
          "a domain name prefix may hold letters, digits, '-', '_' and '.' only, got \"{}\"",
          prefix);
  return {};
}

bool has_prefix(std::string_view name, std::string_view prefix) {
  return !prefix.empty() && name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix;
}

namespace {
std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the signal handler may only touch lock-free atomics");

extern "C" void on_signal(int sig) {
  g_signal.store(sig);
  g_interrupted.store(true);
}
}  // namespace

void request_interrupt(int sig) {
  if (sig) g_signal.store(sig);
  g_interrupted.store(true);
}
bool interrupt_requested() { return g_interrupted.load(); }
void clear_interrupt() {
  g_interrupted.store(false);
  g_signal.store(0);
}

struct InterruptGuard::Saved {
  struct sigaction int_action {};
  struct sigaction term_action {};
};

InterruptGuard::InterruptGuard() : saved_(new Saved) {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  // No SA_RESTART: a wait in progress returns early and sees the flag.
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, &saved_->int_action);
  sigaction(SIGTERM, &sa, &saved_->term_action);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &saved_->int_action, nullptr);
  sigaction(SIGTERM, &saved_->term_action, nullptr);
  delete saved_;
}

int InterruptGuard::signal_received() { return g_signal.load(); }

}  // namespace rejuv::sim::backends
