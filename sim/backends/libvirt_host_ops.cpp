// LibvirtBackend's host operations, which libvirt has no call for, emulated on the host's domains
// (each Outcome says how in `emulated`), and restart_on, which is define + start on another host.
#include <fmt/format.h>

#include "sim/backends/libvirt_backend.hpp"
#include "sim/backends/libvirt_detail.hpp"
#include "sim/backends/pacing.hpp"
#include "sim/backends/safety.hpp"

namespace rejuv::sim::backends {

using namespace libvirt_detail;

Outcome LibvirtBackend::host_reboot(HostId h, HostReboot mode, Seconds planned) {
  if (interrupt_requested()) throw Interrupted();
  if (h >= hosts_.size())
    return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", h));
  if (hosts_[h].state == HostState::failed)
    return Outcome::failure(0, codes::kHostFailed,
                            fmt::format("host {} has failed", hosts_[h].name), Blame::host);
  std::vector<DomainId> on_host;
  for (DomainId d = 0; d < doms_.size(); ++d)
    if (doms_[d].host == h &&
        (doms_[d].state == DomainState::running || doms_[d].state == DomainState::paused))
      on_host.push_back(d);
  const bool warm = mode == HostReboot::warm;
  const std::string how = warm ? fmt::format(
                                     "emulated warm VMM reboot: managed save of {} domain(s), then "
                                     "restore (libvirt cannot reboot a "
                                     "hypervisor)",
                                     on_host.size())
                               : fmt::format(
                                     "emulated cold VMM reboot: shutdown of {} domain(s) (destroy "
                                     "after {:g} s), then start (libvirt "
                                     "cannot reboot a hypervisor)",
                                     on_host.size(), options_.shutdown_timeout);
  if (options_.dry_run) {
    for (DomainId d : on_host)
      dry(warm ? fmt::format(
                     "virDomainManagedSave({}) then virDomainCreate{}  # host_reboot warm on {}",
                     doms_[d].name,
                     doms_[d].state == DomainState::paused ? "WithFlags(START_PAUSED)" : "",
                     hosts_[h].uri)
               : fmt::format("virDomainShutdown({}) (virDomainDestroy after {:g} s) then "
                             "virDomainCreate  # host_reboot "
                             "cold on {}",
                             doms_[d].name, options_.shutdown_timeout, hosts_[h].uri));
    if (!warm)
      for (DomainId d : on_host)
        if (doms_[d].state == DomainState::running)
          emit(Op::host_reboot, h, d, DomainState::running);
    Outcome o = Outcome::success(planned);
    o.emulated = how;
    return o;
  }
  pump_events();
  Stopwatch sw;
  // Down: every domain of the host, then up again, as a VMM reboot takes them all down together.
  std::vector<bool> was_paused(on_host.size());
  std::vector<DomPtr> ptrs;
  for (size_t i = 0; i < on_host.size(); ++i) {
    DomRec& x = doms_[on_host[i]];
    was_paused[i] = x.state == DomainState::paused;
    ptrs.emplace_back(lookup(h, x.name));
    if (!ptrs.back()) return failure(sw.elapsed(), "virDomainLookupByName");
    if (warm) {
      if (virDomainManagedSave(ptrs.back().get(), 0) < 0)
        return failure(sw.elapsed(), "virDomainManagedSave");
    } else if (was_paused[i]) {
      // A cold reboot loses a paused domain's memory: it is powered off and booted afresh.
      if (virDomainDestroy(ptrs.back().get()) < 0) return failure(sw.elapsed(), "virDomainDestroy");
    } else if (virDomainShutdown(ptrs.back().get()) < 0) {
      return failure(sw.elapsed(), "virDomainShutdown");
    }
  }
  if (!warm) {  // the guests power off in parallel; those still up after the timeout are destroyed
    const Seconds asked = sw.elapsed();
    for (size_t i = 0; i < on_host.size(); ++i) {
      for (;;) {
        const DomainState s = map_state(ptrs[i].get());
        if (s != DomainState::running && s != DomainState::paused) break;
        if (sw.elapsed() - asked > options_.shutdown_timeout) {
          if (virDomainDestroy(ptrs[i].get()) < 0) return failure(sw.elapsed(), "virDomainDestroy");
          break;
        }
        interruptible_sleep(0.02);
      }
    }
  }
  for (size_t i = 0; i < on_host.size(); ++i) {
    DomRec& x = doms_[on_host[i]];
    if (create_maybe_paused(ptrs[i].get(), warm && was_paused[i]) < 0)
      return failure(sw.elapsed(), "virDomainCreate");
    x.state = map_state(ptrs[i].get());
  }
  Outcome o = Outcome::success(sw.elapsed());
  o.emulated = how;
  pump_events(on_host);
  // As the simulated world: a cold reboot shows as a running → running change of each domain.
  for (size_t i = 0; i < on_host.size(); ++i)
    if (!warm ||
        doms_[on_host[i]].state != (was_paused[i] ? DomainState::paused : DomainState::running))
      emit(Op::host_reboot, h, on_host[i], doms_[on_host[i]].state);
  return o;
}

Outcome LibvirtBackend::fail_host(HostId h) {
  if (interrupt_requested()) throw Interrupted();
  if (h >= hosts_.size())
    return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", h));
  if (hosts_[h].state == HostState::failed)
    return Outcome::failure(0, codes::kHostFailed,
                            fmt::format("host {} has failed already", hosts_[h].name));
  std::vector<DomainId> crashed;
  for (DomainId d = 0; d < doms_.size(); ++d)
    if (doms_[d].host == h &&
        (doms_[d].state == DomainState::running || doms_[d].state == DomainState::paused))
      crashed.push_back(d);
  Stopwatch sw;
  if (options_.dry_run) {
    for (DomainId d : crashed)
      dry(fmt::format("virDomainDestroy({})  # host_fail on {}", doms_[d].name, hosts_[h].uri));
    dry(fmt::format("virConnectClose({})  # host_fail: later operations on host {} fail",
                    hosts_[h].uri, hosts_[h].name));
  } else {
    pump_events();
    for (DomainId d : crashed) {
      DomPtr p{lookup(h, doms_[d].name)};
      if (!p || virDomainDestroy(p.get()) < 0)
        return failure(sw.elapsed(), p ? "virDomainDestroy" : "virDomainLookupByName");
    }
    pump_events(crashed);
    close_connection(h);
  }
  hosts_[h].state = HostState::failed;
  emit(Op::host_fail, h, kNoId, DomainState::undefined);
  for (DomainId d : crashed) {
    doms_[d].state = DomainState::crashed;
    emit(Op::host_fail, h, d, DomainState::crashed);
  }
  Outcome o = Outcome::success(options_.dry_run ? 0 : sw.elapsed());
  o.emulated = fmt::format("emulated host failure: destroyed {} domain(s), closed the connection",
                           crashed.size());
  return o;
}

Outcome LibvirtBackend::repair_host(HostId h, Seconds planned) {
  if (interrupt_requested()) throw Interrupted();
  if (h >= hosts_.size())
    return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", h));
  if (hosts_[h].state == HostState::up)
    return Outcome::failure(0, codes::kOperationInvalid,
                            fmt::format("host {} has not failed", hosts_[h].name));
  Stopwatch sw;
  if (!options_.dry_run) {
    try {
      open_connection(h);
    } catch (const std::exception& e) {
      return Outcome::failure(sw.elapsed(), codes::kHostFailed, e.what(), Blame::host);
    }
    // Definitions left behind by domains restarted elsewhere while the host was down.
    for (DomainId d = 0; d < doms_.size(); ++d) {
      auto& stale = doms_[d].stale;
      if (std::find(stale.begin(), stale.end(), h) == stale.end()) continue;
      if (DomPtr p{lookup(h, doms_[d].name)})
        virDomainUndefineFlags(p.get(), VIR_DOMAIN_UNDEFINE_MANAGED_SAVE);
      virResetLastError();
      stale.erase(std::remove(stale.begin(), stale.end(), h), stale.end());
    }
  } else {
    dry(fmt::format("virConnectOpen({})  # host_repair of {}", hosts_[h].uri, hosts_[h].name));
  }
  hosts_[h].state = HostState::up;
  emit(Op::host_repair, h, kNoId, DomainState::undefined);
  Outcome o = Outcome::success(options_.dry_run ? planned : sw.elapsed());
  o.emulated = "emulated host repair: reopened the connection";
  return o;
}

Outcome LibvirtBackend::restart_on(DomainId d, HostId to, Seconds planned) {
  if (interrupt_requested()) throw Interrupted();
  if (d >= doms_.size() || doms_[d].state == DomainState::undefined)
    return Outcome::failure(0, codes::kNoDomain, fmt::format("no domain {}", d));
  if (to >= hosts_.size())
    return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", to));
  if (hosts_[to].state == HostState::failed)
    return Outcome::failure(0, codes::kHostFailed,
                            fmt::format("host {} has failed", hosts_[to].name), Blame::target_host);
  DomRec& x = doms_[d];
  if (x.state != DomainState::shutoff && x.state != DomainState::crashed)
    return Outcome::failure(
        0, codes::kOperationInvalid,
        fmt::format("cannot restart domain {} elsewhere: it is {}", x.name, name(x.state)),
        Blame::domain);
  const HostId from = x.host;
  if (options_.dry_run) {
    dry(fmt::format("virDomainDefineXML({}, <domain {}>), virDomainCreate, virDomainUndefine on {}",
                    hosts_[to].uri, x.name, hosts_[from].uri));
    x.host = to;
    x.state = DomainState::running;
    emit(Op::restart_on, to, d, x.state);
    return Outcome::success(planned);
  }
  pump_events();
  Stopwatch sw;
  // Its disk is on shared storage: the definition moves, and the domain boots there. On a shared
  // driver (test:///default) the definition is already where the target looks.
  if (!shared_driver(from, to)) {
    DomPtr p{virDomainDefineXML(hosts_[to].conn, x.xml.c_str())};
    if (!p) return failure(sw.elapsed(), "virDomainDefineXML");
    if (hosts_[from].state == HostState::failed) {
      x.stale.push_back(from);  // removed when the host comes back (or by cleanup)
    } else if (DomPtr old{lookup(from, x.name)};
               !old || virDomainUndefineFlags(old.get(), VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) < 0) {
      return failure(sw.elapsed(), old ? "virDomainUndefineFlags" : "virDomainLookupByName");
    }
  }
  x.host = to;
  DomPtr p{lookup(to, x.name)};
  if (!p) return failure(sw.elapsed(), "virDomainLookupByName");
  if (virDomainCreate(p.get()) < 0) return failure(sw.elapsed(), "virDomainCreate");
  x.state = map_state(p.get());
  const Seconds t = sw.elapsed();
  pump_events({d});
  emit(Op::restart_on, to, d, x.state);
  return Outcome::success(t);
}

}  // namespace rejuv::sim::backends
