#pragma once
// The backend interface on real virtualisation, through libvirt's C API. Thin: each operation is
// one libvirt call (or a short, stated sequence of them), timed on the wall clock
// (std::chrono::steady_clock); every libvirt error becomes a failed Outcome carrying libvirt's
// virErrorNumber and message, and VIR_ERR_NO_SUPPORT becomes Outcome::unsupported, so a run goes
// on past what a driver lacks. Built only when pkg-config finds libvirt (REJUV_HAVE_LIBVIRT).
//
// Safety (safety.hpp): the adapter defines domains only as "<prefix><name>" (default "rejuv-"),
// looks up and acts on nothing else, refuses any URI but the in-process test driver unless
// allow_real, refuses to start when domains with its prefix already exist (another run's, or one
// left by a run that was killed), and removes every domain it defined in cleanup(), which the
// destructor calls (so on errors too) and `rejuv validate` calls on Ctrl-C. With dry_run it opens
// no connection (so any URI is accepted), prints the calls it would make, and lets every operation
// succeed in the time its caller planned.
//
// What libvirt cannot do, and how the adapter does it instead (each such Outcome says so in
// Outcome::emulated):
// - host_reboot: libvirt cannot reboot a hypervisor. Warm: managed save of every running or paused
//   domain of the host, then start each from its image (paused ones stay paused). Cold: shutdown of
//   every running domain (destroy after shutdown_timeout), then start each.
// - fail_host: destroys the host's domains (they become crashed) and closes its connection; every
//   later operation on the host fails (codes::kHostFailed, blame host) until repair_host reopens
//   it.
// - migrate on the test driver (VIR_ERR_NO_SUPPORT there): save on the source, restore on the
//   target. Not live; no bandwidth or downtime limit applies; the job's downtime is its whole
//   duration.
//
// Durations are what the calls took: start is until libvirt reports the domain running (not until
// its OS has booted), shutdown until it is shut off (polled), reboot the request only (libvirt
// cannot see the guest's reboot end).
//
// Hosts: host i of a scenario uses hosts[i] of the options, each on its own connection. A single
// test:/// URI serves any number of hosts. test:///default is one driver per process, shared by
// every connection to it (its domains are visible from all of them; the adapter keeps which host
// each domain is on); test:///abs/path/node.xml gives a separate, empty host per connection.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/backends/backend.hpp"

struct _virConnect;
struct _virDomain;

namespace rejuv::sim::backends {

struct LibvirtHost {
  std::string uri;  // e.g. "test:///default", "qemu+unix:///system?socket=/run/h2/libvirt-sock"
  // Where migrations to this host go (VIR_MIGRATE_PARAM_URI, e.g. "tcp://127.0.0.1:49152");
  // empty: libvirt's choice.
  std::string migration_uri;
};

struct LibvirtOptions {
  std::vector<LibvirtHost> hosts;
  std::string prefix = "rejuv-";
  bool allow_real = false;
  bool dry_run = false;
  // Where dry-run lines go (one call per line); default: stdout.
  std::function<void(const std::string&)> print;
  // The domain XML used when a DomainSpec has none: "{name}", "{memory_kib}" and "{vcpus}" are
  // filled in (fmt syntax: a literal brace is doubled). Empty: a minimal domain of type
  // `domain_type`, with no disk.
  std::string domain_xml;
  std::string domain_type;  // empty: "test" on the test driver, "kvm" elsewhere
  Seconds shutdown_timeout = 120;
  // Where migration emulation writes save images; empty: a fresh folder under the system's temp
  // folder, removed by cleanup().
  std::filesystem::path work_dir;
};

class LibvirtBackend final : public Backend {
 public:
  // Throws InputError("--connect", …) for a refused URI or an empty host list,
  // InputError("--prefix", …) for a bad prefix. Connections open in add_host.
  explicit LibvirtBackend(LibvirtOptions options);
  ~LibvirtBackend() override;
  LibvirtBackend(const LibvirtBackend&) = delete;
  LibvirtBackend& operator=(const LibvirtBackend&) = delete;

  std::string kind() const override { return options_.dry_run ? "libvirt (dry run)" : "libvirt"; }
  void attach(const Engine* engine) override { engine_ = engine; }

  // Opens the host's connection. Throws InputError("--connect", …) when there is no URI for the
  // host, when libvirt cannot open it, or when it already holds domains named with the prefix.
  HostId add_host(const HostSpec& spec) override;
  size_t host_count() const override { return hosts_.size(); }
  std::string host_name(HostId h) const override;
  HostState host_state(HostId h) const override;
  Outcome host_reboot(HostId h, HostReboot mode, Seconds planned) override;
  Outcome fail_host(HostId h) override;
  Outcome repair_host(HostId h, Seconds planned) override;

  std::pair<DomainId, Outcome> define(HostId h, const DomainSpec& spec, Seconds planned) override;
  Outcome undefine(DomainId d, Seconds planned) override;
  Outcome start(DomainId d, Seconds planned) override;
  Outcome shutdown(DomainId d, Seconds planned) override;
  Outcome reboot(DomainId d, Seconds planned) override;
  Outcome destroy(DomainId d, Seconds planned) override;
  Outcome suspend(DomainId d, Seconds planned) override;
  Outcome resume(DomainId d, Seconds planned) override;
  Outcome save(DomainId d, Seconds planned) override;
  Outcome restore(DomainId d, Seconds planned) override;
  Outcome migrate(DomainId d, HostId to, const MigrateOptions& options,
                  const MigrationPlan& plan) override;
  Outcome restart_on(DomainId d, HostId to, Seconds planned) override;

  size_t domain_count() const override { return doms_.size(); }
  std::string domain_name(DomainId d) const override;  // the libvirt name, prefix included
  DomainInfo info(DomainId d) const override;
  JobInfo job_info(DomainId d) const override;
  void subscribe(Listener listener) override { listeners_.push_back(std::move(listener)); }

  const std::string& host_uri(HostId h) const { return hosts_.at(h).uri; }
  // Whether libvirt delivers lifecycle events on the host's connection
  // (virConnectDomainEventRegisterAny).
  bool host_has_events(HostId h) const { return hosts_.at(h).callback_id >= 0; }

  // Destroys and undefines every domain this backend defined and has not undefined, on every host
  // (reopening a failed host's connection for it), and removes the work folder. Never throws;
  // returns one line per domain removed ("rejuv-vm1 on test:///default") or per failure to remove.
  // Safe to call twice; the destructor calls it.
  std::vector<std::string> cleanup();

 private:
  struct HostRec {
    std::string name;
    std::string uri;
    std::string migration_uri;
    _virConnect* conn = nullptr;
    int callback_id = -1;  // lifecycle event registration; -1: the driver has no events
    HostState state = HostState::up;
    bool test_driver = false;
  };
  struct DomRec {
    std::string name;  // prefix included
    HostId host = kNoId;
    DomainState state = DomainState::undefined;
    std::string xml;            // as defined (for restart_on from a failed host)
    std::vector<HostId> stale;  // hosts still holding a definition to remove (failed when it moved)
    JobInfo job;
  };
  struct PendingEvent {
    HostId host;
    std::string name;
    int event, detail;
  };
  struct EventBox;  // what a libvirt event callback gets: this backend and the host

  Seconds now() const;
  bool shared_driver(HostId a, HostId b) const;
  // The failure for an operation on domain d, or nullopt if it may go on: an unknown or undefined
  // domain, a name without the prefix, a failed host.
  std::optional<Outcome> refuse(DomainId d, Op op) const;
  _virDomain* lookup(HostId h, const std::string& name) const;  // null for names without the prefix
  // Reads libvirt's state of d into the bookkeeping (a managed save image → saved).
  void refresh_state(DomainId d);
  void emit(Op cause, HostId h, DomainId d, DomainState s) const;
  // Delivers libvirt's pending lifecycle events as changes nobody asked for. Events of `touched`
  // domains are the operation's own and are dropped: the operation emits its result itself.
  void pump_events(const std::vector<DomainId>& touched = {});
  void on_libvirt_event(HostId h, const char* name, int event, int detail);
  static int event_trampoline(_virConnect*, _virDomain*, int event, int detail, void* opaque);
  void dry(const std::string& line) const;
  std::string domain_xml(const DomainSpec& spec, const std::string& name, HostId h) const;
  const std::filesystem::path& work_dir();
  void open_connection(HostId h);
  void close_connection(HostId h);

  // A domain operation that is one libvirt call on the domain; in a dry run, the domain goes to
  // `dry_state`.
  Outcome simple_op(Op op, DomainId d, Seconds planned, DomainState dry_state, const char* call,
                    const std::function<int(_virDomain*)>& fn);
  Outcome shutdown_and_wait(DomainId d, Seconds& spent);
  // Save on the source, restore on the target: the test driver's stand-in for a migration.
  Outcome emulate_migration(DomainId d, HostId to, const Outcome& native);
  Outcome migrate_native(DomainId d, HostId to, const MigrateOptions& options);

  LibvirtOptions options_;
  const Engine* engine_ = nullptr;
  std::vector<HostRec> hosts_;
  std::vector<DomRec> doms_;
  std::vector<Listener> listeners_;
  std::filesystem::path work_dir_;
  bool own_work_dir_ = false;
  bool cleaned_ = false;
  std::unordered_map<std::string, DomainId> by_name_;
  std::vector<PendingEvent> pending_;
  std::vector<std::unique_ptr<EventBox>> event_boxes_;
};

}  // namespace rejuv::sim::backends
