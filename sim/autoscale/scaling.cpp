// A scale-out or scale-in, step by step, in the order seed 004 §4.3 describes: a VM is made from a
// template (its config registered, its disk copied: only used blocks, the images being sparse)
// or taken from a pool; it boots; only the containers it needs start; the balancer then sends it
// requests. FlexCapsule (seed 002 §3) instead moves the application's nested VM by live
// migration into a new cloud VM. Scale-in (seed 004 §7, future work) stops a VM or returns it
// to the pool.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "sim/autoscale/simulation.hpp"

namespace rejuv::sim::autoscale {

using backends::Op;

void Simulation::on_step(int op, Step step) {
  dep_.advance(engine_.now());
  Operation& o = ops_[op];
  if (o.over) return;
  VmState* vm = o.vm >= 0 ? &dep_.vms[o.vm] : nullptr;
  switch (step) {
    case begin:
      begin_scale_out(op);
      return;
    case copied:
      if (o.kind == Operation::Kind::refill && !sc_.pool.prebooted) {
        pool_[vm->pool_key].push_back(o.vm);  // a shut-off entry: its disk is all it needs
        o.over = true;
        return;
      }
      boot(op);
      return;
    case booted:
      start_containers(op);
      return;
    case started:
      containers_up(op);
      return;
    case resumed:
      vm->phase = Phase::serving;
      dep_.rebase_samples(o.vm);
      for (int id : vm->instances) dep_.instances[id].serving = dep_.instances[id].running = true;
      finish_scale_out(op);
      return;
    case cutover:
      dep_.deregister(o.instance);
      return;
    case migrated: {
      const int to = o.kind == Operation::Kind::scale_out ? o.vm : o.source;
      dep_.move_instance(o.instance, to);
      Instance& i = dep_.instances[o.instance];
      i.running = i.serving = true;
      if (o.kind == Operation::Kind::scale_out) {
        finish_scale_out(op);
        return;
      }
      // Consolidated back: the cloud VM it leaves is shut down.
      const auto out = be_.shutdown(vm->domain, sc_.os.shutdown);
      if (!ok(Op::shutdown, vm->name, out)) return fail(op);
      vm->phase = Phase::stopping;
      at(out.duration, op, stopped);
      return;
    }
    case stopped:
      if (o.kind == Operation::Kind::refill) {  // a prebooted entry, now suspended
        vm->phase = Phase::paused;
        pool_[vm->pool_key].push_back(o.vm);
        o.over = true;
        return;
      }
      finish_scale_in(op);
      return;
  }
}

// --- scale-out -------------------------------------------------------------------------------

void Simulation::decide_scale_out(int service, int source_vm, ContainerChoice::Reason reason,
                                  Seconds delay) {
  ScaleOutRecord rec;
  rec.service = service;
  rec.reason = reason;
  rec.source_vm = dep_.vms[source_vm].name;
  rec.decided_at = engine_.now() + delay;
  result_.scale_outs.push_back(rec);
  ops_.push_back(
      {Operation::Kind::scale_out, service, source_vm, -1, int(result_.scale_outs.size()) - 1});
  ++busy_;
  at(delay, int(ops_.size()) - 1, begin);
}

void Simulation::begin_scale_out(int op) {
  const int key = pool_key(ops_[op].service, ops_[op].source);
  auto entry = pool_.find(key);
  if (is_pooled(strategy_) && entry != pool_.end() && !entry->second.empty()) {
    const int taken = entry->second.front();
    entry->second.erase(entry->second.begin());
    ops_[op].vm = taken;
    // The refill adds a VM and an operation: references into dep_.vms, ops_ and the records are
    // taken after it.
    if (sc_.pool.refill) start_refill(key);
    ScaleOutRecord& rec = result_.scale_outs[ops_[op].record];
    VmState& vm = dep_.vms[taken];
    vm.created_at = engine_.now();  // newest first on scale-in
    rec.new_vm = vm.name;
    if (vm.phase == Phase::paused) {
      rec.how = "prebooted_pool";
      double memory = sc_.os.memory_bytes;
      for (int id : vm.instances) memory += sc_.services[dep_.instances[id].service].memory_bytes;
      rec.plan.peak_memory_bytes = memory;
      const auto out = be_.resume(vm.domain, sc_.pool.resume);
      if (!ok(Op::resume, vm.name, out)) return fail(op);
      rec.plan.resume_s = out.duration;
      at(out.duration, op, resumed);
      return;
    }
    rec.how = "pool";
    boot(op);
    return;
  }
  result_.scale_outs[ops_[op].record].how = strategy_ == Strategy::flexcapsule ? "migrate" : "create";
  create_vm(op);
}

void Simulation::create_vm(int op) {
  Operation& o = ops_[op];
  const int key = o.kind == Operation::Kind::refill ? o.service : pool_key(o.service, o.source);
  std::string stem;
  if (o.kind == Operation::Kind::refill)
    stem = "pool";
  else if (strategy_ == Strategy::flexcapsule)
    stem = sc_.services[key].name + "-vm";
  else if (per_service(strategy_))
    stem = sc_.services[key].name;
  else
    stem = sc_.vms[key].name + "-clone";
  VmState vm = vm_for(key, next_name(stem));
  double used = sc_.os.used_bytes;
  if (strategy_ == Strategy::flexcapsule) used += sc_.flexcapsule.extra_bytes;
  for (int s : containers_for(key)) used += sc_.services[s].image_bytes;
  const std::string tmpl = strategy_ == Strategy::flexcapsule ? "flexcapsule-template"
                           : per_service(strategy_)           ? sc_.services[key].name + "-template"
                                                              : sc_.vms[key].name + "-template";
  auto [d, out] = be_.define(host_,
                             {.name = vm.name,
                              .memory_bytes = vm.memory_bytes,
                              .vcpus = vm.vcpus,
                              .clone_of = tmpl,
                              .clone_bytes = used},
                             copy_time(used, sc_.copy_bandwidth_Bps));
  vm.domain = d;
  vm.phase = d == backends::kNoId ? Phase::gone : Phase::off;
  o.vm = dep_.add_vm(vm);
  if (o.record >= 0 && o.kind == Operation::Kind::scale_out)
    result_.scale_outs[o.record].new_vm = vm.name;
  if (!ok(Op::define, vm.name, out)) return fail(op);
  if (o.kind == Operation::Kind::scale_out) result_.scale_outs[o.record].plan.copy_s = out.duration;
  at(out.duration, op, copied);
}

void Simulation::boot(int op) {
  Operation& o = ops_[op];
  VmState& vm = dep_.vms[o.vm];
  Rng rng = streams_.get("autoscale/boot", vms_made_++);
  const Seconds os_boot = sc_.os.boot.is_fixed() ? sc_.os.boot.mean() : sc_.os.boot.sample(rng);
  const auto out = be_.start(vm.domain, boot_time(os_boot, sc_.os.boot_cpu, vm.vcpus));
  if (!ok(Op::start, vm.name, out)) return fail(op);
  vm.phase = Phase::booting;
  vm.extra_cpu =
      out.duration > 0 ? std::min(double(vm.vcpus), sc_.os.boot_cpu / out.duration) : 0.0;
  if (o.kind == Operation::Kind::scale_out) {
    result_.scale_outs[o.record].plan.boot_s = out.duration;
    result_.scale_outs[o.record].plan.cpu_s += sc_.os.boot_cpu;
  }
  at(out.duration, op, booted);
}

void Simulation::start_containers(int op) {
  Operation& o = ops_[op];
  VmState& vm = dep_.vms[o.vm];
  const std::vector<int> services = containers_for(vm.pool_key);
  for (int s : services) dep_.add_instance(s, o.vm);
  const std::vector<Seconds> work = startup_work(services);
  const Seconds start_s = startup_makespan(work, vm.vcpus);
  const Seconds cpu = std::accumulate(work.begin(), work.end(), 0.0);
  vm.phase = Phase::starting;
  vm.extra_cpu = start_s > 0 ? cpu / start_s : 0.0;
  if (o.kind == Operation::Kind::scale_out) {
    ScaleOutPlan& plan = result_.scale_outs[o.record].plan;
    plan.start_s = start_s;
    plan.cpu_s += cpu;
    plan.peak_memory_bytes = peak_memory(services);
    if (strategy_ == Strategy::flexcapsule)
      plan.peak_memory_bytes +=
          sc_.flexcapsule.extra_memory_bytes + sc_.services[o.service].nested_memory_bytes;
  }
  at(start_s, op, started);
}

void Simulation::containers_up(int op) {
  Operation& o = ops_[op];
  VmState& vm = dep_.vms[o.vm];
  vm.phase = Phase::serving;
  vm.extra_cpu = 0;
  dep_.rebase_samples(o.vm);
  for (int id : vm.instances) dep_.instances[id].running = true;
  if (o.kind == Operation::Kind::refill) {  // a prebooted entry: suspend it until it is needed
    const auto out = be_.suspend(vm.domain, sc_.pool.suspend);
    if (!ok(Op::suspend, vm.name, out)) return fail(op);
    vm.phase = Phase::stopping;
    at(out.duration, op, stopped);
    return;
  }
  if (strategy_ == Strategy::flexcapsule) return migrate_in(op);
  for (int id : vm.instances) dep_.instances[id].serving = true;
  finish_scale_out(op);
}

backends::MigrationPlan Simulation::migration_plan(int service) const {
  PrecopyConfig c = sc_.flexcapsule.migration;
  c.memory_bytes = sc_.services[service].nested_memory_bytes;
  c.dirty_rate_Bps = sc_.services[service].dirty_rate_Bps;
  const PrecopyResult r = simulate_precopy(c);
  return {.total = r.total_time_s,
          .downtime = r.downtime_s,
          .bytes = r.bytes_sent,
          .iterations = r.rounds};
}

backends::MigrateOptions Simulation::migration_options() const {
  const PrecopyConfig& c = sc_.flexcapsule.migration;
  backends::MigrateOptions o;
  o.live = true;
  if (c.rate_control)
    o.rate_control =
        backends::RateControl{c.min_rate_bps / 8, c.max_rate_bps / 8, c.rate_step_bps / 8, 0.05};
  else
    o.max_bandwidth_Bps = c.link_rate_bps / 8;
  return o;
}

// FlexCapsule: the new cloud VM runs its own nested hypervisor; the application's nested VM moves
// into it while it keeps serving, and stops only for the last round (seed 002 §4: about 0.2 s).
void Simulation::migrate_in(int op) {
  Operation& o = ops_[op];
  VmState& vm = dep_.vms[o.vm];
  vm.nested_host = be_.add_host({.name = vm.name + "/nested"});
  for (int id : dep_.vms[o.source].instances)
    if (dep_.instances[id].service == o.service) o.instance = id;
  const backends::MigrationPlan plan = migration_plan(o.service);
  const auto out = be_.migrate(nested_[o.service], vm.nested_host, migration_options(), plan);
  if (!ok(Op::migrate, sc_.services[o.service].name + "-capsule", out)) return fail(op);
  ScaleOutPlan& p = result_.scale_outs[o.record].plan;
  p.migrate_s = out.duration;
  p.downtime_s = std::min(plan.downtime, out.duration);
  at(out.duration - p.downtime_s, op, cutover);
  at(out.duration, op, migrated);
}

void Simulation::finish_scale_out(int op) {
  Operation& o = ops_[op];
  ScaleOutRecord& rec = result_.scale_outs[o.record];
  rec.serving_at = engine_.now();
  rec.done = true;
  o.over = true;
  --busy_;
  cooldown_until_ = engine_.now() + sc_.autoscaler.cooldown;
  dep_.event(engine_.now(), "scale_out",
             o.service >= 0 ? sc_.services[o.service].name : rec.source_vm, rec.scale_out_s());
}

void Simulation::fail(int op) {
  Operation& o = ops_[op];
  o.over = true;
  if (o.kind == Operation::Kind::scale_in) {
    // The VM stays as it was: still serving.
    VmState& vm = dep_.vms[o.vm];
    vm.phase = Phase::serving;
    for (int id : vm.instances) dep_.instances[id].serving = dep_.instances[id].running;
    result_.scale_ins[o.record].failed = true;
    --busy_;
    return;
  }
  if (o.vm >= 0) {  // the VM being made or taken is given up
    VmState& vm = dep_.vms[o.vm];
    retire_instances(o.vm);
    if (vm.domain != backends::kNoId) {
      const auto s = be_.info(vm.domain).state;
      if (s == backends::DomainState::running || s == backends::DomainState::paused)
        be_.destroy(vm.domain, 0);
      if (s != backends::DomainState::undefined) be_.undefine(vm.domain, 0);
    }
    vm.phase = Phase::gone;
  }
  if (o.kind == Operation::Kind::scale_out) {
    result_.scale_outs[o.record].failed = true;
    --busy_;
    dep_.event(engine_.now(), "scale_out_failed",
               o.service >= 0 ? sc_.services[o.service].name : "", 1);
  }
}

void Simulation::start_refill(int key) {
  ops_.push_back({Operation::Kind::refill, key});
  create_vm(int(ops_.size()) - 1);
}

// --- scale-in ----------------------------------------------------------------------------------

void Simulation::begin_scale_in(int v, int service) {
  VmState& vm = dep_.vms[v];
  ScaleInRecord rec;
  rec.vm = vm.name;
  rec.at = engine_.now();
  result_.scale_ins.push_back(rec);
  ops_.push_back({Operation::Kind::scale_in, service, -1, v, int(result_.scale_ins.size()) - 1});
  const int op = int(ops_.size()) - 1;
  Operation& o = ops_[op];
  ScaleInRecord& r = result_.scale_ins.back();
  ++busy_;
  if (strategy_ == Strategy::flexcapsule) {
    // Consolidate: the application moves back into the VM it came from, serving until the cutover.
    r.how = "migrate_back";
    o.instance = vm.instances.front();
    o.service = dep_.instances[o.instance].service;
    o.source = sc_.services[o.service].home_vm;
    const auto out = be_.migrate(nested_[o.service], dep_.vms[o.source].nested_host,
                                 migration_options(), migration_plan(o.service));
    if (!ok(Op::migrate, sc_.services[o.service].name + "-capsule", out)) return fail(op);
    const Seconds downtime = std::min(migration_plan(o.service).downtime, out.duration);
    at(out.duration - downtime, op, cutover);
    at(out.duration, op, migrated);
    return;
  }
  // The balancer stops sending it requests at once.
  for (int id : vm.instances) dep_.deregister(id);
  int returning = 0;
  for (const auto& other : ops_)
    if (!other.over && other.to_pool && dep_.vms[other.vm].pool_key == vm.pool_key) ++returning;
  if (is_pooled(strategy_) && int(pool_[vm.pool_key].size()) + returning < sc_.pool.size) {
    r.how = "to_pool";
    o.to_pool = true;
    const auto out = sc_.pool.prebooted ? be_.suspend(vm.domain, sc_.pool.suspend)
                                        : be_.shutdown(vm.domain, sc_.os.shutdown);
    if (!ok(sc_.pool.prebooted ? Op::suspend : Op::shutdown, vm.name, out)) return fail(op);
    vm.phase = Phase::stopping;
    at(out.duration, op, stopped);
    return;
  }
  r.how = "stop";
  const auto out = be_.shutdown(vm.domain, sc_.os.shutdown);
  if (!ok(Op::shutdown, vm.name, out)) return fail(op);
  vm.phase = Phase::stopping;
  at(out.duration, op, stopped);
}

void Simulation::finish_scale_in(int op) {
  Operation& o = ops_[op];
  VmState& vm = dep_.vms[o.vm];
  if (o.to_pool) {
    if (sc_.pool.prebooted) {
      vm.phase = Phase::paused;  // its containers stay started, frozen
    } else {
      vm.phase = Phase::off;
      retire_instances(o.vm);
    }
    pool_[vm.pool_key].push_back(o.vm);
  } else {
    retire_instances(o.vm);
    if (!ok(Op::undefine, vm.name, be_.undefine(vm.domain, 0))) return fail(op);
    vm.phase = Phase::gone;
  }
  ScaleInRecord& rec = result_.scale_ins[o.record];
  rec.done_at = engine_.now();
  rec.done = true;
  o.over = true;
  --busy_;
  cooldown_until_ = engine_.now() + sc_.autoscaler.cooldown;
  dep_.event(engine_.now(), "scale_in", vm.name, 1);
}

}  // namespace rejuv::sim::autoscale
