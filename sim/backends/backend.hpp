#pragma once
// The one interface through which a simulation acts on hosts and their domains (VMs): define, start,
// shutdown, reboot, destroy, suspend/resume, save/restore, live migration with a bandwidth and a
// downtime limit, a host's VMM reboot, and a host's hardware failure and repair.
//
// Implementations: SimulatedBackend (what every scenario uses by default: the world is a table of
// states, and an operation takes the time the scenario's model planned for it) and LibvirtBackend
// (sim/backends/libvirt_backend.hpp: each call is one libvirt call, timed on the wall clock).
// Decorators stack on either: FaultInjection (injected failures), Recording (an operation log).
//
// Every call is synchronous and returns an Outcome: whether the operation worked and how long it
// took. The caller, a model running on the engine, passes the duration its model planned, and
// schedules what follows after outcome.duration. The simulated backend takes the plan as the
// duration; a real backend returns what it measured. So the same simulator code replays its
// timeline on real virtualisation (`rejuv validate`), and the log says how far the plan was off.
//
//   SimulatedBackend world;
//   const HostId h = world.add_host({.name = "ibm30"});
//   auto [d, defined] = world.define(h, {.name = "vm1", .memory_bytes = 1 << 30}, 0.0);
//   Outcome started = world.start(d, 7.0);        // started.duration == 7 s, the plan
//   if (!started.ok()) throw BackendFailure(Op::start, world.domain_name(d), started);
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/units.hpp"

namespace rejuv::sim {

class Engine;

namespace backends {

using HostId = uint32_t;
using DomainId = uint32_t;
inline constexpr uint32_t kNoId = UINT32_MAX;

// What a backend can be asked to do. Domain operations name a domain; host operations a host.
enum class Op : uint8_t {
  define,       // create a domain's definition on a host (shut off)
  undefine,     // remove a shut-off domain's definition
  start,        // boot a shut-off domain
  shutdown,     // orderly power-off of a running domain
  reboot,       // orderly reboot of a running domain's OS (OS rejuvenation)
  destroy,      // immediate power-off
  suspend,      // pause a running domain (its memory stays)
  resume,       // run a paused domain again
  save,         // write a domain's memory to storage and stop it
  restore,      // bring a saved domain back running
  migrate,      // move a running or paused domain to another host
  restart_on,   // boot a shut-off or crashed domain on another host (its disk is on shared storage)
  host_reboot,  // reboot a host's VMM (warm: domains kept in memory; cold: domains rebooted)
  host_fail,    // a hardware failure: the host stops, its domains crash
  host_repair,  // the host is back, empty of running domains
};
inline constexpr int kOpCount = int(Op::host_repair) + 1;
std::string_view name(Op op);
std::optional<Op> parse_op(std::string_view text);
bool is_host_op(Op op);

enum class DomainState : uint8_t { undefined, shutoff, running, paused, saved, crashed };
std::string_view name(DomainState s);

enum class HostState : uint8_t { up, failed };

// How a host's VMM is rebooted (seed 003 §2): warm keeps each domain's memory across the reboot
// (Warm-VM reboot; the domains are suspended, then resumed); cold shuts the domains down with the
// VMM and boots them again afterwards.
enum class HostReboot : uint8_t { warm, cold };

// Error codes of the simulated backend, chosen to match libvirt's virErrorNumber where libvirt has
// the same error, so that a log from either backend reads the same.
namespace codes {
inline constexpr int kNoSupport = 3;          // VIR_ERR_NO_SUPPORT
inline constexpr int kInvalidArg = 8;         // VIR_ERR_INVALID_ARG
inline constexpr int kOperationFailed = 9;    // VIR_ERR_OPERATION_FAILED
inline constexpr int kNoDomain = 42;          // VIR_ERR_NO_DOMAIN
inline constexpr int kOperationInvalid = 55;  // VIR_ERR_OPERATION_INVALID (wrong state)
inline constexpr int kHostFailed = 1001;      // the host has failed (no libvirt equivalent)
inline constexpr int kInjected = 1002;        // an injected fault (FaultInjection)
inline constexpr int kRefused = 1003;         // the adapter's safety rules refused the call
}  // namespace codes

// Which object a failure is the fault of, where the backend can tell: the domain itself, the host
// it is on, or the host it was being moved to. (The lineage pipelines walk back to the extraction
// function of the object that failed.)
enum class Blame : uint8_t { unknown, domain, host, target_host };
std::string_view name(Blame b);

// The result of one operation.
struct Outcome {
  enum class Status : uint8_t { ok, failed, unsupported };
  Status status = Status::ok;
  Seconds duration = 0;  // how long the operation took (simulated: as planned; real: measured)
  int code = 0;          // the backend's error code (libvirt's virErrorNumber) when not ok
  std::string message;   // the backend's message when not ok
  Blame blame = Blame::unknown;

  bool ok() const { return status == Status::ok; }
  static Outcome success(Seconds duration) { return Outcome{Status::ok, duration, 0, {}, Blame::unknown}; }
  static Outcome failure(Seconds duration, int code, std::string message, Blame blame = Blame::unknown) {
    return Outcome{Status::failed, duration, code, std::move(message), blame};
  }
  static Outcome unsupported(std::string message) {
    return Outcome{Status::unsupported, 0, codes::kNoSupport, std::move(message), Blame::unknown};
  }
};

// A failed operation as an exception, for code that prefers to throw (the lineage pipelines):
// the backend's code and message travel with it.
class BackendFailure : public std::runtime_error {
 public:
  BackendFailure(Op op, std::string subject, const Outcome& outcome);
  Op op() const { return op_; }
  const std::string& subject() const { return subject_; }
  const Outcome& outcome() const { return outcome_; }

 private:
  Op op_;
  std::string subject_;
  Outcome outcome_;
};

struct HostSpec {
  std::string name{};        // empty: the backend names it ("h<id>")
  int cpus = 0;              // 0: unknown
  double memory_bytes = 0;   // 0: unknown
};

struct DomainSpec {
  std::string name{};        // empty: the backend names it ("d<id>")
  double memory_bytes = 0;
  int vcpus = 1;
  // For real backends: a whole libvirt domain XML to define instead of the generated one; the
  // adapter replaces its <name> with the prefixed name.
  std::string xml{};
};

// What the model expects of a live migration; the simulated backend reports it as the job's
// statistics, a real backend reports what the hypervisor measured.
struct MigrationPlan {
  Seconds total = 0;          // M(i): from the first page sent until the domain runs on the target
  Seconds downtime = 0;       // the stop-and-copy part
  double bytes = 0;           // data sent
  int iterations = 0;         // pre-copy rounds, the stop-and-copy round included
};

// Xen-like adaptive rate control (seed 003 §4.2), applied by the adapter while the migration runs:
// the bandwidth limit starts at `min_Bps` and is raised toward `max_Bps` with the dirtying rate
// the hypervisor reports (limit = dirty rate + step), polled every `poll_s`.
struct RateControl {
  double min_Bps = 100e6 / 8;
  double max_Bps = 500e6 / 8;
  double step_Bps = 50e6 / 8;
  Seconds poll_s = 0.05;
};

struct MigrateOptions {
  bool live = true;
  double max_bandwidth_Bps = 0;  // 0: no limit
  Seconds max_downtime = 0;      // 0: the hypervisor's default (QEMU: 300 ms)
  std::optional<RateControl> rate_control;
};

// The statistics of a domain's last completed job (a migration), where the backend has them.
struct JobInfo {
  bool available = false;
  Seconds total_s = 0;
  Seconds downtime_s = 0;
  double data_bytes = 0;
  int iterations = 0;
  double dirty_rate_Bps = 0;
};

struct DomainInfo {
  DomainState state = DomainState::undefined;
  HostId host = kNoId;
  double memory_bytes = 0;
  int vcpus = 0;
  Seconds cpu_time_s = 0;      // CPU time the domain used, where the backend can tell
  bool cpu_time_known = false;
};

// A domain changed state (or a host failed or came back: domain == kNoId).
struct LifecycleEvent {
  Seconds time = 0;  // simulated time of the change
  Op cause = Op::define;
  HostId host = kNoId;
  DomainId domain = kNoId;
  DomainState state = DomainState::undefined;
};
using Listener = std::function<void(const LifecycleEvent&)>;

class Backend {
 public:
  virtual ~Backend() = default;

  // "simulated", "libvirt", or a decorator's kind around its inner backend's.
  virtual std::string kind() const = 0;
  // The simulated time operations happen at: the engine's now(), or 0 with no engine attached.
  virtual void attach(const Engine* engine) = 0;

  // --- hosts ----------------------------------------------------------------------------------
  virtual HostId add_host(const HostSpec& spec) = 0;
  virtual size_t host_count() const = 0;
  virtual std::string host_name(HostId h) const = 0;
  virtual HostState host_state(HostId h) const = 0;
  virtual Outcome host_reboot(HostId h, HostReboot mode, Seconds planned) = 0;
  virtual Outcome fail_host(HostId h) = 0;
  virtual Outcome repair_host(HostId h, Seconds planned) = 0;

  // --- domains --------------------------------------------------------------------------------
  // The id is kNoId when the definition failed.
  virtual std::pair<DomainId, Outcome> define(HostId h, const DomainSpec& spec, Seconds planned) = 0;
  virtual Outcome undefine(DomainId d, Seconds planned) = 0;
  virtual Outcome start(DomainId d, Seconds planned) = 0;
  virtual Outcome shutdown(DomainId d, Seconds planned) = 0;
  virtual Outcome reboot(DomainId d, Seconds planned) = 0;
  virtual Outcome destroy(DomainId d, Seconds planned) = 0;
  virtual Outcome suspend(DomainId d, Seconds planned) = 0;
  virtual Outcome resume(DomainId d, Seconds planned) = 0;
  virtual Outcome save(DomainId d, Seconds planned) = 0;
  virtual Outcome restore(DomainId d, Seconds planned) = 0;
  virtual Outcome migrate(DomainId d, HostId to, const MigrateOptions& options, const MigrationPlan& plan) = 0;
  virtual Outcome restart_on(DomainId d, HostId to, Seconds planned) = 0;

  // Defines `count` domains from one spec on host h and starts them: a cluster's initial VMs, set up
  // before its timeline begins. Their ids are first .. first + count − 1 (ids are issued in order)
  // and their names spec.name followed by the id ("vm17"; "d17" without a name). The default
  // defines and starts them one by one (planned 0 s each) and stops at the first failure; a backend
  // may do it at once.
  virtual std::pair<DomainId, Outcome> define_running(HostId h, const DomainSpec& spec, uint32_t count);

  virtual size_t domain_count() const = 0;  // ids ever issued; undefined ones included
  virtual std::string domain_name(DomainId d) const = 0;
  virtual DomainInfo info(DomainId d) const = 0;
  virtual JobInfo job_info(DomainId d) const = 0;

  // Called after every change of state, in the order of the changes.
  virtual void subscribe(Listener listener) = 0;

  // Runs operation `op` on a domain (any op but define and migrate) or a host (host ops), for code
  // that dispatches on a configured action. migrate uses a default plan of `planned` seconds.
  Outcome run(Op op, uint32_t subject, Seconds planned);
};

// Throws BackendFailure unless the outcome is ok; returns its duration.
Seconds expect_ok(const Backend& backend, Op op, uint32_t subject, const Outcome& outcome);

}  // namespace backends
}  // namespace rejuv::sim
