#include "sim/lineage/controller.hpp"

#include <fmt/format.h>

#include <utility>

namespace rejuv::sim::lineage {

using backends::Blame;
using backends::Outcome;

Controller::Controller(const LineageScenario& sc, World& world, backends::Backend& backend,
                       Engine& engine, const Streams& streams)
    : sc_(sc),
      world_(world),
      backend_(backend),
      engine_(engine),
      deploy_rng_(streams.get("lineage/duration/deploy_vm")),
      start_rng_(streams.get("lineage/duration/start_vm")),
      migrate_rng_(streams.get("lineage/duration/migrate_vm")),
      reboot_rng_(streams.get("lineage/duration/reboot")),
      lifetime_rng_(streams.get("lineage/lifetime")),
      fail_rng_(streams.get("failures/time_to_failure")),
      repair_rng_(streams.get("failures/repair")) {
  failure_times_.resize(world.count(Kind::host));
  deployed_on_.resize(world.count(Kind::host));
  h_fail_ = engine_.add_handler([this](Engine& e, uint32_t h, uint32_t) {
    // A hardware failure: the host stops and its VMs crash; it is repaired after a while. The
    // controller's view of it stays as it was until then (World::host_back).
    backend_.fail_host(world_.host_id(h));
    failure_times_[h].push_back(e.now());
    ++host_failures_;
    e.schedule_in(planned(sc_.failures.repair, repair_rng_), h_repair_, h);
  });
  h_repair_ = engine_.add_handler([this](Engine&, uint32_t h, uint32_t) {
    backend_.repair_host(world_.host_id(h), 0);
    world_.host_back(h);
    arm_failure(h, true);
  });
  h_end_ = engine_.add_handler(
      [this](Engine&, uint32_t vm, uint32_t undefine) { end_of_life(vm, undefine != 0); });
}

void Controller::set_up() {
  for (uint32_t vm = 0; vm < world_.count(Kind::vm); ++vm) {
    const uint32_t h = world_.host_of(vm);
    deployed_on_[h].push_back(vm);
    backends::DomainSpec spec{
        world_.name(Kind::vm, vm), world_.num(Kind::vm, World::vm_memory, vm), 1, {}};
    auto [d, o] = backend_.define(world_.host_id(h), spec, 0);
    if (!o.ok()) throw backends::BackendFailure(backends::Op::define, spec.name, o);
    world_.set_domain(vm, d);
    if (world_.running(vm)) {
      const Outcome s = backend_.start(d, 0);
      if (!s.ok()) throw backends::BackendFailure(backends::Op::start, spec.name, s);
    }
  }
  if (sc_.failures.enabled)
    for (uint32_t h = 0; h < world_.count(Kind::host); ++h) arm_failure(h, false);
}

void Controller::tear_down() {
  for (uint32_t vm = 0; vm < world_.count(Kind::vm); ++vm) {
    const backends::DomainId d = world_.domain(vm);
    if (d == backends::kNoId || !world_.exists(vm)) continue;
    const auto state = backend_.info(d).state;
    if (state == backends::DomainState::running || state == backends::DomainState::paused)
      backend_.destroy(d, 0);
    backend_.undefine(d, 0);
  }
}

void Controller::arm_failure(uint32_t h, bool failed_before) {
  engine_.schedule_in(time_to_failure(sc_.failures, failed_before, fail_rng_), h_fail_, h);
}

void Controller::end_of_life(uint32_t vm, bool undefine) {
  if (!world_.exists(vm)) return;
  const backends::DomainId d = world_.domain(vm);
  const auto state = backend_.info(d).state;
  if (undefine) {
    // A deployed VM's lifetime is over: it is removed (whatever its host's state).
    if (state == backends::DomainState::running || state == backends::DomainState::paused)
      backend_.destroy(d, 0);
    backend_.undefine(d, 0);
    world_.remove_vm(vm);
  } else if (state == backends::DomainState::running) {
    // A started VM's work is done: it is shut down, ready to be started again.
    if (backend_.shutdown(d, 0).ok()) world_.set_running(vm, false, "shutoff");
  }
}

void Controller::advance_to(Seconds t) {
  if (t > t_) t_ = t;
  engine_.run_until(t_);
}

Outcome Controller::act(const std::function<Outcome()>& op) {
  engine_.run_until(t_);
  const Outcome o = op();
  t_ += o.duration;
  times_.operations += o.duration;
  if (!o.ok())
    times_.failed += o.duration;
  else if (replay_depth_ > 0)
    times_.replayed += o.duration;
  return o;
}

void Controller::fail(const std::string& what, const Outcome& o, std::optional<ObjectId> blamed) {
  throw ElementFailure(fmt::format("{}: {}", what, o.message), blamed);
}

Element Controller::deploy_vm(const ActionSpec& a, const Element& host) {
  const uint32_t h = host.index;
  // {host}, {n} (the VMs deployed to the host so far, its first ones included) and host attributes.
  std::string vm_name = a.name;
  auto put = [&](const std::string& key, const std::string& value) {
    for (size_t at; (at = vm_name.find("{" + key + "}")) != std::string::npos;)
      vm_name.replace(at, key.size() + 2, value);
  };
  put("host", world_.name(Kind::host, h));
  put("n", std::to_string(deployed_on_[h].size()));
  for (const std::string& c : world_.column_names(Kind::host)) {
    if (vm_name.find('{') == std::string::npos) break;
    const auto col = world_.find_column(Kind::host, c);
    put(c, col->type == ValueType::string
               ? world_.text(world_.str(Kind::host, col->index, h))
               : fmt::format("{}", world_.num(Kind::host, col->index, h)));
  }
  if (note) note(fmt::format("{}: deploying {}", world_.name(Kind::host, h), vm_name));
  const Seconds plan = planned(sc_.operations.deploy_vm, deploy_rng_);
  backends::DomainId d = backends::kNoId;
  // Deploying is defining the VM and booting it: one operation of the planned duration, booked on
  // the definition, where an injected deploy fault strikes (the paper's broken disk image).
  const Outcome defined = act([&] {
    auto [id, o] = backend_.define(world_.host_id(h), {vm_name, a.memory, 1, {}}, plan);
    d = id;
    return o;
  });
  if (!defined.ok())
    fail(fmt::format("deploy_vm on {}", world_.name(Kind::host, h)), defined,
         defined.blame == Blame::host || defined.blame == Blame::unknown
             ? std::optional(object_id(Kind::host, h))
             : std::nullopt);
  const Outcome started = act([&] { return backend_.start(d, 0); });
  if (!started.ok()) {
    backend_.undefine(d, 0);
    fail(fmt::format("deploy_vm on {}", world_.name(Kind::host, h)), started,
         started.blame == Blame::host ? std::optional(object_id(Kind::host, h)) : std::nullopt);
  }
  const uint32_t vm = world_.add_vm(vm_name, h, a.memory, a.cpu);
  world_.set_domain(vm, d);
  world_.set_running(vm, true, "running");
  deployed_on_[h].push_back(vm);
  if (a.lifetime) engine_.schedule_at(t_ + planned(*a.lifetime, lifetime_rng_), h_end_, vm, 1);
  return world_.element(Kind::vm, vm);
}

void Controller::start_vm(const ActionSpec& a, const Element& e) {
  const uint32_t vm = e.index;
  if (note) note(fmt::format("{} starting...", world_.name(Kind::vm, vm)));
  const Seconds plan = planned(sc_.operations.start_vm, start_rng_);
  const Outcome o = act([&] { return backend_.start(world_.domain(vm), plan); });
  if (!o.ok()) {
    const bool host = o.blame == Blame::host;
    fail(fmt::format("start_vm {}", world_.name(Kind::vm, vm)), o,
         host ? object_id(Kind::host, world_.host_of(vm)) : object_id(Kind::vm, vm));
  }
  world_.set_running(vm, true, "running");
  if (a.lifetime) engine_.schedule_at(t_ + planned(*a.lifetime, lifetime_rng_), h_end_, vm, 0);
}

void Controller::migrate_vm(const ActionSpec& a, const Element& e, const Element& target) {
  const uint32_t vm = e.index, from = world_.host_of(vm), to = target.index;
  if (note)
    note(fmt::format("{}: {} -> {}", world_.name(Kind::vm, vm), world_.name(Kind::host, from),
                     world_.name(Kind::host, to)));
  const Seconds plan = planned(sc_.operations.migrate_vm, migrate_rng_);
  backends::MigrateOptions options;
  options.live = a.live;
  const Outcome o = act([&] {
    return backend_.migrate(
        world_.domain(vm), world_.host_id(to), options,
        backends::MigrationPlan{plan, 0, world_.num(Kind::vm, World::vm_memory, vm), 1});
  });
  if (!o.ok()) {
    std::optional<ObjectId> blamed;
    switch (o.blame) {
      case Blame::domain:
        blamed = object_id(Kind::vm, vm);
        break;
      case Blame::host:
        blamed = object_id(Kind::host, from);
        break;
      case Blame::target_host:
        blamed = object_id(Kind::host, to);
        break;
      case Blame::unknown:
        // A VM that is gone (its lifetime ended since the list was evaluated) is the VM's fault.
        blamed = o.code == backends::codes::kNoDomain ? object_id(Kind::vm, vm)
                                                      : object_id(Kind::host, to);
        break;
    }
    fail(fmt::format("migrate_vm {} to {}", world_.name(Kind::vm, vm), world_.name(Kind::host, to)),
         o, blamed);
  }
  world_.move_vm(vm, to);
}

void Controller::reboot(const ActionSpec& a, const Element& host) {
  const uint32_t h = host.index;
  if (note) note(fmt::format("{} rebooting...", world_.name(Kind::host, h)));
  const Seconds plan = planned(sc_.operations.reboot, reboot_rng_);
  const Outcome o = act([&] { return backend_.host_reboot(world_.host_id(h), a.mode, plan); });
  if (!o.ok())
    fail(fmt::format("reboot {}", world_.name(Kind::host, h)), o, object_id(Kind::host, h));
}

}  // namespace rejuv::sim::lineage
