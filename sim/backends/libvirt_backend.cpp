// LibvirtBackend: hosts, bookkeeping, lifecycle events, the domain operations that are one call,
// and cleanup. Host operations are in libvirt_host_ops.cpp, migration in libvirt_migration.cpp.
#include "sim/backends/libvirt_backend.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <cmath>
#include <mutex>

#include "models/input_error.hpp"
#include "sim/backends/domain_xml.hpp"
#include "sim/backends/libvirt_detail.hpp"
#include "sim/backends/pacing.hpp"
#include "sim/backends/safety.hpp"
#include "sim/engine.hpp"

namespace rejuv::sim::backends {

using namespace libvirt_detail;

// --- shared helpers ---------------------------------------------------------------------------
namespace libvirt_detail {

LibvirtError take_last_error() {
  LibvirtError e;
  if (virErrorPtr p = virGetLastError()) {
    e.code = p->code;
    if (p->message) e.message = p->message;
  }
  virResetLastError();
  return e;
}

Outcome failure(Seconds elapsed, const char* call, const LibvirtError& error) {
  std::string message = fmt::format("{}: {}", call, error.message);
  if (error.code == VIR_ERR_NO_SUPPORT) return Outcome::unsupported(std::move(message));
  Blame blame = Blame::unknown;
  switch (error.code) {
    case VIR_ERR_NO_DOMAIN:
    case VIR_ERR_OPERATION_INVALID:
    case VIR_ERR_XML_ERROR:
    case VIR_ERR_XML_DETAIL:
      blame = Blame::domain;
      break;
    case VIR_ERR_NO_CONNECT:
    case VIR_ERR_INVALID_CONN:
    case VIR_ERR_SYSTEM_ERROR:
    case VIR_ERR_RPC:
    case VIR_ERR_AUTH_FAILED:
      blame = Blame::host;
      break;
    default:
      break;
  }
  return Outcome::failure(elapsed, error.code, std::move(message), blame);
}

DomainState map_state(virDomainPtr dom) {
  int state = VIR_DOMAIN_NOSTATE, reason = 0;
  if (virDomainGetState(dom, &state, &reason, 0) < 0) {
    virResetLastError();
    return DomainState::undefined;
  }
  switch (state) {
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED:
    case VIR_DOMAIN_SHUTDOWN:  // being shut down: still running until it is off
      return DomainState::running;
    case VIR_DOMAIN_PAUSED:
    case VIR_DOMAIN_PMSUSPENDED:
      return DomainState::paused;
    case VIR_DOMAIN_CRASHED:
      return DomainState::crashed;
    case VIR_DOMAIN_SHUTOFF: {
      const int saved = virDomainHasManagedSaveImage(dom, 0);
      if (saved < 0) virResetLastError();
      if (saved > 0) return DomainState::saved;
      return reason == VIR_DOMAIN_SHUTOFF_CRASHED ? DomainState::crashed : DomainState::shutoff;
    }
    default:
      return DomainState::shutoff;
  }
}

int create_maybe_paused(virDomainPtr dom, bool paused) {
  if (!paused) return virDomainCreate(dom);
  if (virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED) == 0) return 0;
  if (virGetLastErrorCode() != VIR_ERR_INVALID_ARG)
    return -1;  // not "unsupported flags": a real failure
  virResetLastError();
  if (virDomainCreate(dom) < 0) return -1;
  return virDomainSuspend(dom);
}

int restore_maybe_paused(virConnectPtr conn, const char* file, const char* dom_name, bool paused) {
  if (!paused) return virDomainRestore(conn, file);
  if (virDomainRestoreFlags(conn, file, nullptr, VIR_DOMAIN_SAVE_PAUSED) == 0) return 0;
  if (virGetLastErrorCode() != VIR_ERR_INVALID_ARG) return -1;
  virResetLastError();
  if (virDomainRestore(conn, file) < 0) return -1;
  DomPtr d{virDomainLookupByName(conn, dom_name)};
  return d ? virDomainSuspend(d.get()) : -1;
}

unsigned long to_mib_per_s(double bytes_per_s) {
  return std::max(1ul, static_cast<unsigned long>(std::lround(bytes_per_s / (1024.0 * 1024.0))));
}

}  // namespace libvirt_detail

namespace {

void quiet_errors(void*, virErrorPtr) {}  // errors are read with virGetLastError, not printed

// libvirt's process-wide set-up, once: thread support, no error printing, the default event loop
// (which lifecycle events need, and which must exist before the first connection opens).
void init_libvirt_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    virInitialize();
    virSetErrorFunc(nullptr, quiet_errors);
    virEventRegisterDefaultImpl();
  });
}

}  // namespace

struct LibvirtBackend::EventBox {
  LibvirtBackend* self;
  HostId host;
};

// --- construction, hosts -------------------------------------------------------------------------
LibvirtBackend::LibvirtBackend(LibvirtOptions options) : options_(std::move(options)) {
  if (std::string why = refuse_prefix(options_.prefix); !why.empty())
    throw InputError("--prefix", why);
  if (options_.hosts.empty()) throw InputError("--connect", "expected at least one libvirt URI");
  // A dry run opens no connection, so it may show what a run on real hosts would do.
  for (const auto& h : options_.hosts)
    if (std::string why = refuse_uri(h.uri, options_.allow_real || options_.dry_run); !why.empty())
      throw InputError("--connect", why);
  if (!options_.print)
    options_.print = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
  if (!options_.dry_run) init_libvirt_once();
}

LibvirtBackend::~LibvirtBackend() {
  cleanup();
  for (HostId h = 0; h < hosts_.size(); ++h) close_connection(h);
}

Seconds LibvirtBackend::now() const { return engine_ ? engine_->now() : 0.0; }

void LibvirtBackend::dry(const std::string& line) const { options_.print("dry-run: " + line); }

HostId LibvirtBackend::add_host(const HostSpec& spec) {
  const HostId h = HostId(hosts_.size());
  const auto& given = options_.hosts;
  const bool one_test_uri = given.size() == 1 && is_test_driver_uri(given[0].uri);
  if (!one_test_uri && h >= given.size())
    throw InputError(
        "--connect",
        fmt::format(
            "the scenario needs a host #{} but --connect names {} URI{}: give one URI per host "
            "(a single test:/// URI serves any number)",
            h + 1, given.size(), given.size() == 1 ? "" : "s"));
  const LibvirtHost& src = one_test_uri ? given[0] : given[h];
  HostRec rec;
  rec.name = spec.name.empty() ? fmt::format("h{}", h) : spec.name;
  rec.uri = src.uri;
  rec.migration_uri = src.migration_uri;
  rec.test_driver = is_test_driver_uri(src.uri);
  hosts_.push_back(std::move(rec));
  bool first_of_uri = true;
  for (HostId k = 0; k < h; ++k) first_of_uri = first_of_uri && hosts_[k].uri != hosts_[h].uri;
  try {
    open_connection(h);
  } catch (...) {
    hosts_.pop_back();
    throw;
  }
  if (options_.dry_run || !first_of_uri) return h;
  // Domains with our prefix that we did not define: another run's, or a killed run's. Never touch
  // them; refuse to start (cleanup would otherwise not know which are ours).
  virDomainPtr* list = nullptr;
  const int n = virConnectListAllDomains(hosts_[h].conn, &list, 0);
  std::vector<std::string> found;
  for (int i = 0; i < n; ++i) {
    const char* name = virDomainGetName(list[i]);
    if (name && has_prefix(name, options_.prefix)) found.emplace_back(name);
    virDomainFree(list[i]);
  }
  free(list);
  if (n < 0) virResetLastError();
  if (!found.empty()) {
    const std::string uri = hosts_[h].uri;
    close_connection(h);
    hosts_.pop_back();
    throw InputError(
        "--connect",
        fmt::format("{} already has {} domain{} named {}… ({}{}): another run's, or left by "
                    "a run that was killed; remove them (virsh -c {} destroy/undefine) or "
                    "choose another --prefix",
                    uri, found.size(), found.size() == 1 ? "" : "s", options_.prefix, found[0],
                    found.size() > 1 ? ", …" : "", uri));
  }
  return h;
}

void LibvirtBackend::open_connection(HostId h) {
  HostRec& host = hosts_[h];
  if (options_.dry_run) {
    dry(fmt::format("virConnectOpen({})  # host {}", host.uri, host.name));
    return;
  }
  host.conn = virConnectOpen(host.uri.c_str());
  if (!host.conn) {
    const LibvirtError e = take_last_error();
    const std::string uri = host.uri;
    throw InputError("--connect",
                     fmt::format("cannot open {}: {} (libvirt error {})", uri, e.message, e.code));
  }
  virConnSetErrorFunc(host.conn, nullptr, quiet_errors);
  // libvirt turns keepalive on for remote connections once an event loop is registered, and a
  // daemon drops a client that leaves its pings unanswered for 30 s; this adapter turns the loop
  // only around operations, and a paced run may wait for minutes between them. Off, then: a dead
  // host shows at the next call instead. (Drivers without keepalive refuse the call: ignored.)
  if (!host.test_driver && virConnectSetKeepAlive(host.conn, -1, 0) < 0) virResetLastError();
  if (const char* type = virConnectGetType(host.conn))
    host.test_driver = std::string(type) == "TEST";
  event_boxes_.push_back(std::make_unique<EventBox>(EventBox{this, h}));
  host.callback_id =
      virConnectDomainEventRegisterAny(host.conn, nullptr, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                       VIR_DOMAIN_EVENT_CALLBACK(&LibvirtBackend::event_trampoline),
                                       event_boxes_.back().get(), nullptr);
  if (host.callback_id < 0)
    virResetLastError();  // the driver has no events: the operations' own are emitted
}

void LibvirtBackend::close_connection(HostId h) {
  HostRec& host = hosts_[h];
  if (!host.conn) return;
  if (host.callback_id >= 0) virConnectDomainEventDeregisterAny(host.conn, host.callback_id);
  host.callback_id = -1;
  virConnectClose(host.conn);
  virResetLastError();
  host.conn = nullptr;
}

std::string LibvirtBackend::host_name(HostId h) const {
  return h < hosts_.size() ? hosts_[h].name : fmt::format("(no host {})", h);
}

HostState LibvirtBackend::host_state(HostId h) const {
  return h < hosts_.size() ? hosts_[h].state : HostState::failed;
}

bool LibvirtBackend::shared_driver(HostId a, HostId b) const {
  // test:///default is one driver per process; two connections to it are the same world.
  return hosts_[a].uri == hosts_[b].uri && hosts_[a].uri == "test:///default";
}

const std::filesystem::path& LibvirtBackend::work_dir() {
  if (!work_dir_.empty()) return work_dir_;
  if (!options_.work_dir.empty()) {
    work_dir_ = options_.work_dir;
    std::filesystem::create_directories(work_dir_);
    return work_dir_;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "rejuv-libvirt-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a work folder under " + tmpl);
  work_dir_ = tmpl;
  own_work_dir_ = true;
  return work_dir_;
}

// --- bookkeeping, events
// ---------------------------------------------------------------------------
std::string LibvirtBackend::domain_name(DomainId d) const {
  return d < doms_.size() ? doms_[d].name : fmt::format("(no domain {})", d);
}

std::optional<Outcome> LibvirtBackend::refuse(DomainId d, Op op) const {
  if (d >= doms_.size() || doms_[d].state == DomainState::undefined)
    return Outcome::failure(0, codes::kNoDomain, fmt::format("{}: no domain {}", name(op), d),
                            Blame::domain);
  const DomRec& x = doms_[d];
  if (!has_prefix(x.name,
                  options_.prefix))  // cannot happen through define; the rule is checked anyway
    return Outcome::failure(
        0, codes::kRefused,
        fmt::format("refusing to touch {}: not named {}…", x.name, options_.prefix));
  if (hosts_[x.host].state == HostState::failed)
    return Outcome::failure(0, codes::kHostFailed,
                            fmt::format("host {} has failed", hosts_[x.host].name), Blame::host);
  return std::nullopt;
}

_virDomain* LibvirtBackend::lookup(HostId h, const std::string& dom_name) const {
  if (!has_prefix(dom_name, options_.prefix) || !hosts_[h].conn) return nullptr;
  return virDomainLookupByName(hosts_[h].conn, dom_name.c_str());
}

void LibvirtBackend::refresh_state(DomainId d) {
  DomRec& x = doms_[d];
  if (DomPtr p{lookup(x.host, x.name)})
    x.state = map_state(p.get());
  else
    virResetLastError();
}

void LibvirtBackend::emit(Op cause, HostId h, DomainId d, DomainState s) const {
  if (listeners_.empty()) return;
  const LifecycleEvent ev{now(), cause, h, d, s};
  for (const auto& l : listeners_) l(ev);
}

int LibvirtBackend::event_trampoline(_virConnect*, _virDomain* dom, int event, int detail,
                                     void* opaque) {
  auto* box = static_cast<EventBox*>(opaque);
  box->self->on_libvirt_event(box->host, virDomainGetName(dom), event, detail);
  return 0;
}

void LibvirtBackend::on_libvirt_event(HostId h, const char* dom_name, int event, int detail) {
  if (dom_name && has_prefix(dom_name, options_.prefix))
    pending_.push_back(PendingEvent{h, dom_name, event, detail});
}

void LibvirtBackend::pump_events(const std::vector<DomainId>& touched) {
  bool any = false;
  for (const auto& h : hosts_) any = any || h.callback_id >= 0;
  if (!any) return;
  // One turn of libvirt's loop, which cannot block: a timer that is due at once.
  const int timer = virEventAddTimeout(
      0, [](int, void*) {}, nullptr, nullptr);
  virEventRunDefaultImpl();
  if (timer >= 0) virEventRemoveTimeout(timer);
  std::vector<PendingEvent> events;
  events.swap(pending_);
  for (const auto& e : events) {
    auto it = by_name_.find(e.name);
    if (it == by_name_.end()) continue;
    const DomainId d = it->second;
    if (std::find(touched.begin(), touched.end(), d) != touched.end())
      continue;  // the operation's own
    DomRec& x = doms_[d];
    if (x.host != e.host && !shared_driver(x.host, e.host)) continue;  // the other end of a move
    // A change nobody asked for (the guest powered off, crashed, was paused by the hypervisor).
    // The interface has no crash operation: a crash is emitted with cause destroy.
    DomainState s = x.state;
    Op cause = Op::destroy;
    switch (e.event) {
      case VIR_DOMAIN_EVENT_STARTED:
        s = DomainState::running, cause = Op::start;
        break;
      case VIR_DOMAIN_EVENT_SUSPENDED:
      case VIR_DOMAIN_EVENT_PMSUSPENDED:
        s = DomainState::paused, cause = Op::suspend;
        break;
      case VIR_DOMAIN_EVENT_RESUMED:
        s = DomainState::running, cause = Op::resume;
        break;
      case VIR_DOMAIN_EVENT_CRASHED:
        s = DomainState::crashed;
        break;
      case VIR_DOMAIN_EVENT_UNDEFINED:
        s = DomainState::undefined, cause = Op::undefine;
        break;
      case VIR_DOMAIN_EVENT_STOPPED:
        if (e.detail == VIR_DOMAIN_EVENT_STOPPED_MIGRATED) continue;
        s = e.detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED ||
                    e.detail == VIR_DOMAIN_EVENT_STOPPED_FAILED
                ? DomainState::crashed
            : e.detail == VIR_DOMAIN_EVENT_STOPPED_SAVED ? DomainState::saved
                                                         : DomainState::shutoff;
        cause = e.detail == VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN ? Op::shutdown
                : e.detail == VIR_DOMAIN_EVENT_STOPPED_SAVED  ? Op::save
                                                              : Op::destroy;
        break;
      default:
        continue;
    }
    if (s == x.state) continue;
    x.state = s;
    emit(cause, x.host, d, s);
  }
}

// --- domains -------------------------------------------------------------------------------------
std::string LibvirtBackend::domain_xml(const DomainSpec& spec, const std::string& dom_name,
                                       HostId h) const {
  const double kib = spec.memory_bytes > 0 ? std::ceil(spec.memory_bytes / 1024) : 65536;
  const int vcpus = std::max(1, spec.vcpus);
  if (!spec.xml.empty()) return with_domain_name(spec.xml, dom_name);
  if (!options_.domain_xml.empty())
    return with_domain_name(
        fmt::format(fmt::runtime(options_.domain_xml), fmt::arg("name", dom_name),
                    fmt::arg("memory_kib", kib), fmt::arg("vcpus", vcpus)),
        dom_name);
  const std::string type = !options_.domain_type.empty() ? options_.domain_type
                           : hosts_[h].test_driver       ? "test"
                                                         : "kvm";
  return fmt::format(
      "<domain type='{}'><name>{}</name><memory unit='KiB'>{:.0f}</memory><vcpu>{}</vcpu>"
      "<os><type>hvm</type></os><on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash></"
      "domain>",
      type, dom_name, kib, vcpus);
}

std::pair<DomainId, Outcome> LibvirtBackend::define(HostId h, const DomainSpec& spec,
                                                    Seconds planned) {
  if (interrupt_requested()) throw Interrupted();
  if (h >= hosts_.size())
    return {kNoId, Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", h))};
  if (hosts_[h].state == HostState::failed)
    return {kNoId,
            Outcome::failure(0, codes::kHostFailed,
                             fmt::format("host {} has failed", hosts_[h].name), Blame::host)};
  const DomainId d = DomainId(doms_.size());
  const std::string dom_name =
      options_.prefix + (spec.name.empty() ? fmt::format("d{}", d) : spec.name);
  if (auto it = by_name_.find(dom_name);
      it != by_name_.end() && doms_[it->second].state != DomainState::undefined)
    return {kNoId, Outcome::failure(0, codes::kOperationFailed,
                                    fmt::format("domain '{}' already exists", dom_name))};
  const std::string xml = domain_xml(spec, dom_name, h);
  DomRec rec{dom_name, h, DomainState::shutoff, xml, {}, {}};
  if (options_.dry_run) {
    dry(fmt::format("virDomainDefineXML({}, <domain {}>)", hosts_[h].uri, dom_name));
  } else {
    pump_events();
    Stopwatch sw;
    DomPtr p{virDomainDefineXML(hosts_[h].conn, xml.c_str())};
    if (!p) return {kNoId, failure(sw.elapsed(), "virDomainDefineXML")};
    const Seconds t = sw.elapsed();
    doms_.push_back(std::move(rec));
    by_name_[dom_name] = d;
    refresh_state(d);
    pump_events({d});
    emit(Op::define, h, d, doms_[d].state);
    return {d, Outcome::success(t)};
  }
  doms_.push_back(std::move(rec));
  by_name_[dom_name] = d;
  emit(Op::define, h, d, DomainState::shutoff);
  return {d, Outcome::success(planned)};
}

Outcome LibvirtBackend::simple_op(Op op, DomainId d, Seconds planned, DomainState dry_state,
                                  const char* call, const std::function<int(_virDomain*)>& fn) {
  if (interrupt_requested()) throw Interrupted();
  if (auto r = refuse(d, op)) return *r;
  DomRec& x = doms_[d];
  if (options_.dry_run) {
    dry(fmt::format("{}({})  # on {}", call, x.name, hosts_[x.host].uri));
    x.state = dry_state;
    emit(op, x.host, d, dry_state);
    return Outcome::success(planned);
  }
  pump_events();
  Stopwatch sw;
  DomPtr p{lookup(x.host, x.name)};
  if (!p) return failure(sw.elapsed(), "virDomainLookupByName");
  if (fn(p.get()) < 0) {
    Outcome o = failure(sw.elapsed(), call);
    pump_events({d});
    return o;
  }
  const Seconds t = sw.elapsed();
  if (op == Op::undefine) {
    x.state = DomainState::undefined;
  } else {
    x.state = map_state(p.get());
  }
  pump_events({d});
  emit(op, x.host, d, x.state);
  return Outcome::success(t);
}

Outcome LibvirtBackend::undefine(DomainId d, Seconds planned) {
  // A managed save image goes with the definition (as the simulated world forgets a saved domain).
  return simple_op(
      Op::undefine, d, planned, DomainState::undefined, "virDomainUndefineFlags",
      [](virDomainPtr p) { return virDomainUndefineFlags(p, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE); });
}

Outcome LibvirtBackend::start(DomainId d, Seconds planned) {
  return simple_op(Op::start, d, planned, DomainState::running, "virDomainCreate", virDomainCreate);
}

Outcome LibvirtBackend::reboot(DomainId d, Seconds planned) {
  return simple_op(Op::reboot, d, planned, DomainState::running, "virDomainReboot",
                   [](virDomainPtr p) { return virDomainReboot(p, 0); });
}

Outcome LibvirtBackend::destroy(DomainId d, Seconds planned) {
  return simple_op(Op::destroy, d, planned, DomainState::shutoff, "virDomainDestroy",
                   virDomainDestroy);
}

Outcome LibvirtBackend::suspend(DomainId d, Seconds planned) {
  return simple_op(Op::suspend, d, planned, DomainState::paused, "virDomainSuspend",
                   virDomainSuspend);
}

Outcome LibvirtBackend::resume(DomainId d, Seconds planned) {
  return simple_op(Op::resume, d, planned, DomainState::running, "virDomainResume",
                   virDomainResume);
}

Outcome LibvirtBackend::save(DomainId d, Seconds planned) {
  return simple_op(Op::save, d, planned, DomainState::saved, "virDomainManagedSave",
                   [](virDomainPtr p) { return virDomainManagedSave(p, 0); });
}

Outcome LibvirtBackend::restore(DomainId d, Seconds planned) {
  // virDomainCreate boots a domain afresh when it has no managed save image: that is no restore.
  if (!options_.dry_run && !refuse(d, Op::restore) && doms_[d].state != DomainState::saved) {
    refresh_state(d);
    if (doms_[d].state != DomainState::saved)
      return Outcome::failure(0, codes::kOperationInvalid,
                              fmt::format("cannot restore {}: it has no saved image (it is {})",
                                          doms_[d].name, name(doms_[d].state)),
                              Blame::domain);
  }
  return simple_op(Op::restore, d, planned, DomainState::running, "virDomainCreate",
                   virDomainCreate);
}

Outcome LibvirtBackend::shutdown(DomainId d, Seconds planned) {
  if (interrupt_requested()) throw Interrupted();
  if (auto r = refuse(d, Op::shutdown)) return *r;
  DomRec& x = doms_[d];
  if (options_.dry_run) {
    dry(
        fmt::format("virDomainShutdown({}), then poll virDomainGetState until shut off (destroy "
                    "never)  # on {}",
                    x.name, hosts_[x.host].uri));
    x.state = DomainState::shutoff;
    emit(Op::shutdown, x.host, d, x.state);
    return Outcome::success(planned);
  }
  pump_events();
  Seconds spent = 0;
  Outcome o = shutdown_and_wait(d, spent);
  pump_events({d});
  if (o.ok()) emit(Op::shutdown, x.host, d, x.state);
  return o;
}

// virDomainShutdown only asks the guest; the domain is shut off when libvirt says so.
Outcome LibvirtBackend::shutdown_and_wait(DomainId d, Seconds& spent) {
  DomRec& x = doms_[d];
  Stopwatch sw;
  DomPtr p{lookup(x.host, x.name)};
  if (!p) return failure(sw.elapsed(), "virDomainLookupByName");
  if (virDomainShutdown(p.get()) < 0) return failure(sw.elapsed(), "virDomainShutdown");
  for (;;) {
    x.state = map_state(p.get());
    if (x.state != DomainState::running && x.state != DomainState::paused) break;
    if (sw.elapsed() > options_.shutdown_timeout) {
      spent = sw.elapsed();
      return Outcome::failure(spent, codes::kOperationFailed,
                              fmt::format("virDomainShutdown: {} still running after {:g} s",
                                          x.name, options_.shutdown_timeout),
                              Blame::domain);
    }
    interruptible_sleep(0.02);
  }
  spent = sw.elapsed();
  return Outcome::success(spent);
}

DomainInfo LibvirtBackend::info(DomainId d) const {
  if (d >= doms_.size()) return {};
  const DomRec& x = doms_[d];
  DomainInfo i;
  i.state = x.state;
  i.host = x.host;
  if (options_.dry_run || x.state == DomainState::undefined ||
      hosts_[x.host].state == HostState::failed)
    return i;
  DomPtr p{lookup(x.host, x.name)};
  if (!p) {
    virResetLastError();
    return i;
  }
  virDomainInfo vi{};
  if (virDomainGetInfo(p.get(), &vi) == 0) {
    i.memory_bytes = double(vi.maxMem) * 1024;
    i.vcpus = vi.nrVirtCpu;
    // A domain the adapter left running may have stopped by itself (its guest powered off, or
    // panicked and rebooted with on_reboot=destroy): the live state says so.
    if (i.state == DomainState::running || i.state == DomainState::paused) {
      if (vi.state == VIR_DOMAIN_SHUTOFF) i.state = DomainState::shutoff;
      if (vi.state == VIR_DOMAIN_CRASHED) i.state = DomainState::crashed;
    }
  }
  // The domain's total CPU time ("cpu_time", ns), where the driver keeps it.
  virTypedParameter param{};
  if (virDomainGetCPUStats(p.get(), &param, 1, -1, 1, 0) == 1 &&
      std::string(param.field) == VIR_DOMAIN_CPU_STATS_CPUTIME &&
      param.type == VIR_TYPED_PARAM_ULLONG) {
    i.cpu_time_s = double(param.value.ul) * 1e-9;
    i.cpu_time_known = true;
  }
  virResetLastError();
  return i;
}

JobInfo LibvirtBackend::job_info(DomainId d) const {
  return d < doms_.size() ? doms_[d].job : JobInfo{};
}

// --- cleanup -------------------------------------------------------------------------------------
std::vector<std::string> LibvirtBackend::cleanup() {
  std::vector<std::string> lines;
  if (cleaned_) return lines;
  cleaned_ = true;
  if (options_.dry_run) {
    for (const auto& x : doms_)
      if (x.state != DomainState::undefined)
        dry(fmt::format("virDomainDestroy + virDomainUndefineFlags({})", x.name));
    return lines;
  }
  // Every name this backend defined, on every host that may hold it; nothing else is looked at.
  for (HostId h = 0; h < hosts_.size(); ++h) {
    bool reopened = false;
    if (!hosts_[h].conn) {
      hosts_[h].conn = virConnectOpen(hosts_[h].uri.c_str());
      reopened = hosts_[h].conn != nullptr;
      if (!reopened) {
        lines.push_back(fmt::format("cannot reopen {} to clean up: {}", hosts_[h].uri,
                                    take_last_error().message));
        continue;
      }
    }
    bool skip_shared = false;
    for (HostId k = 0; k < h; ++k)
      skip_shared = skip_shared || (hosts_[k].conn && shared_driver(k, h));
    if (skip_shared) continue;  // the same driver was cleaned through an earlier host
    for (const auto& x : doms_) {
      DomPtr p{lookup(h, x.name)};
      if (!p) {
        virResetLastError();
        continue;
      }
      if (virDomainIsActive(p.get()) == 1 && virDomainDestroy(p.get()) < 0)
        lines.push_back(fmt::format("cannot destroy {} on {}: {}", x.name, hosts_[h].uri,
                                    take_last_error().message));
      if (virDomainIsPersistent(p.get()) == 1 &&
          virDomainUndefineFlags(p.get(), VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) < 0)
        lines.push_back(fmt::format("cannot undefine {} on {}: {}", x.name, hosts_[h].uri,
                                    take_last_error().message));
      else
        lines.push_back(fmt::format("removed {} on {}", x.name, hosts_[h].uri));
      virResetLastError();
    }
    if (reopened) close_connection(h);
  }
  if (own_work_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(work_dir_, ec);
  }
  return lines;
}

}  // namespace rejuv::sim::backends
