#include "sim/backends/simulated_backend.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/engine.hpp"

namespace rejuv::sim::backends {

Seconds SimulatedBackend::now() const { return engine_ ? engine_->now() : 0.0; }

void SimulatedBackend::emit(Op cause, HostId h, DomainId d, DomainState s) const {
  if (listeners_.empty()) return;
  const LifecycleEvent ev{now(), cause, h, d, s};
  for (const auto& l : listeners_) l(ev);
}

// --- hosts ------------------------------------------------------------------------------------
HostId SimulatedBackend::add_host(const HostSpec& spec) {
  const HostId h = HostId(hosts_.size());
  hosts_.push_back(Host{spec.name.empty() ? fmt::format("h{}", h) : spec.name, spec, HostState::up});
  on_host_.emplace_back();
  return h;
}

std::string SimulatedBackend::host_name(HostId h) const {
  return valid_host(h) ? hosts_[h].name : fmt::format("(no host {})", h);
}

HostState SimulatedBackend::host_state(HostId h) const { return valid_host(h) ? hosts_[h].state : HostState::failed; }

Outcome SimulatedBackend::host_reboot(HostId h, HostReboot mode, Seconds planned) {
  if (!valid_host(h)) return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", h));
  if (hosts_[h].state == HostState::failed)
    return Outcome::failure(0, codes::kHostFailed, fmt::format("host {} has failed", hosts_[h].name));
  // Warm: every domain keeps its memory and comes back as it was. Cold: running domains boot again
  // (their state is running before and after; a listener sees the reboot).
  if (mode == HostReboot::cold && !listeners_.empty())
    for (DomainId d : on_host_[h])
      if (dom_state_[d] == DomainState::running) emit(Op::host_reboot, h, d, DomainState::running);
  return Outcome::success(planned);
}

Outcome SimulatedBackend::fail_host(HostId h) {
  if (!valid_host(h)) return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", h));
  if (hosts_[h].state == HostState::failed)
    return Outcome::failure(0, codes::kHostFailed, fmt::format("host {} has failed already", hosts_[h].name));
  hosts_[h].state = HostState::failed;
  emit(Op::host_fail, h, kNoId, DomainState::undefined);
  for (DomainId d : on_host_[h]) {
    const DomainState s = dom_state_[d];
    if (s == DomainState::running || s == DomainState::paused) {
      dom_state_[d] = DomainState::crashed;
      emit(Op::host_fail, h, d, DomainState::crashed);
    }
  }
  return Outcome::success(0);
}

Outcome SimulatedBackend::repair_host(HostId h, Seconds planned) {
  if (!valid_host(h)) return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", h));
  if (hosts_[h].state == HostState::up)
    return Outcome::failure(0, codes::kOperationInvalid, fmt::format("host {} has not failed", hosts_[h].name));
  hosts_[h].state = HostState::up;
  emit(Op::host_repair, h, kNoId, DomainState::undefined);
  return Outcome::success(planned);
}

// --- domains ----------------------------------------------------------------------------------
std::pair<DomainId, Outcome> SimulatedBackend::define(HostId h, const DomainSpec& spec, Seconds planned) {
  if (!valid_host(h)) return {kNoId, Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", h))};
  if (hosts_[h].state == HostState::failed)
    return {kNoId, Outcome::failure(planned, codes::kHostFailed, fmt::format("host {} has failed", hosts_[h].name),
                                    Blame::host)};
  if (!spec.name.empty()) {
    auto it = by_name_.find(spec.name);
    if (it != by_name_.end() && dom_state_[it->second] != DomainState::undefined)
      return {kNoId, Outcome::failure(planned, codes::kOperationFailed,
                                      fmt::format("domain '{}' already exists", spec.name))};
  }
  const DomainId d = DomainId(dom_state_.size());
  dom_state_.push_back(DomainState::shutoff);
  dom_host_.push_back(h);
  specs_.push_back(SpecRange{d, 1, false, spec});
  specs_.back().spec.xml.clear();  // the simulated world has no use for it
  if (!spec.name.empty()) by_name_[spec.name] = d;
  on_host_[h].push_back(d);
  emit(Op::define, h, d, DomainState::shutoff);
  return {d, Outcome::success(planned)};
}

std::pair<DomainId, Outcome> SimulatedBackend::define_running(HostId h, const DomainSpec& spec, uint32_t count) {
  if (!valid_host(h)) return {kNoId, Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", h))};
  if (hosts_[h].state == HostState::failed)
    return {kNoId, Outcome::failure(0, codes::kHostFailed, fmt::format("host {} has failed", hosts_[h].name),
                                    Blame::host)};
  const DomainId first = DomainId(dom_state_.size());
  if (count == 0) return {first, Outcome::success(0)};
  const bool same = !specs_.empty() && specs_.back().batch && specs_.back().first + specs_.back().count == first &&
                    specs_.back().spec.name == spec.name && specs_.back().spec.memory_bytes == spec.memory_bytes &&
                    specs_.back().spec.vcpus == spec.vcpus;
  if (same) {
    specs_.back().count += count;
  } else {
    specs_.push_back(SpecRange{first, count, true, spec});
    specs_.back().spec.xml.clear();
  }
  dom_state_.insert(dom_state_.end(), count, DomainState::running);
  dom_host_.insert(dom_host_.end(), count, h);
  auto& list = on_host_[h];
  list.reserve(list.size() + count);
  for (uint32_t i = 0; i < count; ++i) list.push_back(first + i);
  return {first, Outcome::success(0)};
}

const SimulatedBackend::SpecRange& SimulatedBackend::range_of(DomainId d) const {
  auto it = std::upper_bound(specs_.begin(), specs_.end(), d,
                             [](DomainId id, const SpecRange& r) { return id < r.first; });
  return *(it - 1);
}

std::string SimulatedBackend::domain_name(DomainId d) const {
  if (d >= dom_state_.size()) return fmt::format("(no domain {})", d);
  const SpecRange& r = range_of(d);
  if (!r.batch && !r.spec.name.empty()) return r.spec.name;
  return fmt::format("{}{}", r.spec.name.empty() ? "d" : r.spec.name, d);
}

DomainInfo SimulatedBackend::info(DomainId d) const {
  if (d >= dom_state_.size()) return {};
  const DomainSpec& spec = range_of(d).spec;
  DomainInfo i;
  i.state = dom_state_[d];
  i.host = dom_host_[d];
  i.memory_bytes = spec.memory_bytes;
  i.vcpus = spec.vcpus;
  return i;
}

JobInfo SimulatedBackend::job_info(DomainId d) const { return d == last_job_domain_ ? last_job_ : JobInfo{}; }

Outcome SimulatedBackend::check_domain(DomainId d, Op op, Seconds planned,
                                       std::initializer_list<DomainState> from) const {
  if (!valid_domain(d)) return Outcome::failure(0, codes::kNoDomain, fmt::format("no domain {}", d));
  const HostId h = dom_host_[d];
  if (hosts_[h].state == HostState::failed)
    return Outcome::failure(planned, codes::kHostFailed, fmt::format("host {} has failed", hosts_[h].name),
                            Blame::host);
  const DomainState s = dom_state_[d];
  if (std::find(from.begin(), from.end(), s) == from.end())
    return Outcome::failure(0, codes::kOperationInvalid,
                            fmt::format("cannot {} domain {}: it is {}", name(op), domain_name(d), name(s)),
                            Blame::domain);
  return Outcome::success(planned);
}

Outcome SimulatedBackend::set_state(DomainId d, Op op, DomainState to, Seconds planned) {
  dom_state_[d] = to;
  emit(op, dom_host_[d], d, to);
  return Outcome::success(planned);
}

Outcome SimulatedBackend::undefine(DomainId d, Seconds planned) {
  Outcome c = check_domain(d, Op::undefine, planned, {DomainState::shutoff, DomainState::saved, DomainState::crashed});
  if (!c.ok()) return c;
  auto& list = on_host_[dom_host_[d]];
  list.erase(std::remove(list.begin(), list.end(), d), list.end());
  return set_state(d, Op::undefine, DomainState::undefined, planned);
}

Outcome SimulatedBackend::start(DomainId d, Seconds planned) {
  // libvirt starts a managed-saved domain from its image; a crashed one boots afresh.
  Outcome c = check_domain(d, Op::start, planned, {DomainState::shutoff, DomainState::saved, DomainState::crashed});
  return c.ok() ? set_state(d, Op::start, DomainState::running, planned) : c;
}

Outcome SimulatedBackend::shutdown(DomainId d, Seconds planned) {
  Outcome c = check_domain(d, Op::shutdown, planned, {DomainState::running});
  return c.ok() ? set_state(d, Op::shutdown, DomainState::shutoff, planned) : c;
}

Outcome SimulatedBackend::reboot(DomainId d, Seconds planned) {
  Outcome c = check_domain(d, Op::reboot, planned, {DomainState::running});
  if (c.ok()) emit(Op::reboot, dom_host_[d], d, DomainState::running);
  return c;
}

Outcome SimulatedBackend::destroy(DomainId d, Seconds planned) {
  Outcome c = check_domain(d, Op::destroy, planned, {DomainState::running, DomainState::paused});
  return c.ok() ? set_state(d, Op::destroy, DomainState::shutoff, planned) : c;
}

Outcome SimulatedBackend::suspend(DomainId d, Seconds planned) {
  Outcome c = check_domain(d, Op::suspend, planned, {DomainState::running});
  return c.ok() ? set_state(d, Op::suspend, DomainState::paused, planned) : c;
}

Outcome SimulatedBackend::resume(DomainId d, Seconds planned) {
  Outcome c = check_domain(d, Op::resume, planned, {DomainState::paused});
  return c.ok() ? set_state(d, Op::resume, DomainState::running, planned) : c;
}

Outcome SimulatedBackend::save(DomainId d, Seconds planned) {
  Outcome c = check_domain(d, Op::save, planned, {DomainState::running, DomainState::paused});
  return c.ok() ? set_state(d, Op::save, DomainState::saved, planned) : c;
}

Outcome SimulatedBackend::restore(DomainId d, Seconds planned) {
  Outcome c = check_domain(d, Op::restore, planned, {DomainState::saved});
  return c.ok() ? set_state(d, Op::restore, DomainState::running, planned) : c;
}

Outcome SimulatedBackend::migrate(DomainId d, HostId to, const MigrateOptions&, const MigrationPlan& plan) {
  Outcome c = check_domain(d, Op::migrate, plan.total, {DomainState::running, DomainState::paused});
  if (!c.ok()) return c;
  if (!valid_host(to)) return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", to));
  if (to == dom_host_[d])
    return Outcome::failure(0, codes::kOperationInvalid,
                            fmt::format("domain {} is on {} already", domain_name(d), hosts_[to].name));
  if (hosts_[to].state == HostState::failed)
    return Outcome::failure(plan.total, codes::kHostFailed, fmt::format("host {} has failed", hosts_[to].name),
                            Blame::target_host);
  auto& list = on_host_[dom_host_[d]];
  list.erase(std::remove(list.begin(), list.end(), d), list.end());
  on_host_[to].push_back(d);
  dom_host_[d] = to;
  last_job_domain_ = d;
  last_job_ = JobInfo{true, plan.total, plan.downtime, plan.bytes, plan.iterations, 0};
  emit(Op::migrate, to, d, dom_state_[d]);
  return Outcome::success(plan.total);
}

Outcome SimulatedBackend::restart_on(DomainId d, HostId to, Seconds planned) {
  if (!valid_domain(d)) return Outcome::failure(0, codes::kNoDomain, fmt::format("no domain {}", d));
  if (!valid_host(to)) return Outcome::failure(0, codes::kInvalidArg, fmt::format("no host {}", to));
  if (hosts_[to].state == HostState::failed)
    return Outcome::failure(planned, codes::kHostFailed, fmt::format("host {} has failed", hosts_[to].name),
                            Blame::target_host);
  const DomainState s = dom_state_[d];
  if (s != DomainState::shutoff && s != DomainState::crashed)
    return Outcome::failure(0, codes::kOperationInvalid,
                            fmt::format("cannot restart domain {} elsewhere: it is {}", domain_name(d), name(s)));
  auto& list = on_host_[dom_host_[d]];
  list.erase(std::remove(list.begin(), list.end(), d), list.end());
  on_host_[to].push_back(d);
  dom_host_[d] = to;
  return set_state(d, Op::restart_on, DomainState::running, planned);
}

std::vector<DomainId> SimulatedBackend::domains_on(HostId h) const {
  return valid_host(h) ? on_host_[h] : std::vector<DomainId>{};
}

size_t SimulatedBackend::bytes() const {
  size_t b = hosts_.capacity() * sizeof(Host) + dom_state_.capacity() * sizeof(DomainState) +
             dom_host_.capacity() * sizeof(HostId) + specs_.capacity() * sizeof(SpecRange) +
             on_host_.capacity() * sizeof(std::vector<DomainId>);
  for (const auto& l : on_host_) b += l.capacity() * sizeof(DomainId);
  return b;
}

}  // namespace rejuv::sim::backends
