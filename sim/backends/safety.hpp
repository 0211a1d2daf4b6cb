#pragma once
// The rules that keep a real backend from touching what is not its own, and the interrupt flag its
// operations check. They need no libvirt, so they are built (and tested) everywhere.
//
// - URIs: only libvirt's in-process test driver ("test:///default", "test:///abs/node.xml") is
//   safe without asking. Every other URI (qemu:///system, qemu:///session, qemu+unix:///…, any
//   remote "driver+transport://host/…") acts on real virtualisation and needs allow_real. This is
//   stricter than "qemu:///system or remote": a session daemon runs real guests too.
// - Names: the adapter defines domains only under a prefix it owns ("rejuv-" by default) and acts
//   only on names with that prefix; the prefix must be a plain word so that it cannot match a
//   domain by accident (no glob characters, not empty).
// - Interrupts: SIGINT/SIGTERM set a flag (async-signal-safe); the adapter checks it before each
//   operation and in every wait, and stops with Interrupted, so the caller cleans up and exits.
#include <atomic>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rejuv::sim::backends {

// Empty when `uri` may be used; otherwise why not (a sentence naming the URI and what to do).
std::string refuse_uri(std::string_view uri, bool allow_real);
// True for test:///… with no host part: libvirt's in-process test driver.
bool is_test_driver_uri(std::string_view uri);
// Empty when `prefix` is acceptable: 1–32 characters of [A-Za-z0-9_.-], starting with a letter.
std::string refuse_prefix(std::string_view prefix);
bool has_prefix(std::string_view name, std::string_view prefix);

// Thrown by a real backend's operation once an interrupt was requested.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

// The flag the signal handlers set. request_interrupt() is async-signal-safe; `sig`, when given,
// is what signal_received() reports (the CLI's signal thread passes it on).
void request_interrupt(int sig = 0);
bool interrupt_requested();
void clear_interrupt();
// Installs SIGINT and SIGTERM handlers that call request_interrupt(); the previous handlers are
// restored by the guard's destructor.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  // The signal that interrupted the run (0 if none).
  static int signal_received();

 private:
  struct Saved;
  Saved* saved_;
};

}  // namespace rejuv::sim::backends
