#include "sim/autoscale/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "sim/backends/simulated_backend.hpp"

namespace rejuv::sim::autoscale {

using backends::DomainId;
using backends::kNoId;
using backends::Op;
using backends::Outcome;

Simulation::Simulation(const AutoscaleScenario& sc, Strategy strategy, backends::Backend& backend)
    : sc_(sc), strategy_(strategy), be_(backend), streams_(sc.seed), dep_(sc, strategy) {
  result_.strategy = strategy;
  hpa_history_.resize(std::max(sc.services.size(), sc.vms.size()));
  step_handler_ = engine_.add_handler(
      [this](Engine&, uint32_t op, uint32_t step) { on_step(int(op), Step(step)); });
  sample_handler_ = engine_.add_handler([this](Engine& e, uint32_t, uint32_t) {
    sample();
    if (e.now() + sc_.autoscaler.interval <= sc_.horizon)
      e.schedule_in(sc_.autoscaler.interval, sample_handler_);
  });
}

bool Simulation::ok(Op op, const std::string& subject, const Outcome& o) {
  if (o.ok()) return true;
  ++result_.failed_operations;
  if (result_.first_failure.empty())
    result_.first_failure =
        fmt::format("{} {} at {:.3f} s: {}", backends::name(op), subject, engine_.now(), o.message);
  return false;
}

void Simulation::at(Seconds delay, int op, Step step) {
  engine_.schedule_in(std::max(0.0, delay), step_handler_, uint32_t(op), uint32_t(step));
}

int Simulation::template_of(int vm) const {
  const VmState& v = dep_.vms[vm];
  return v.added ? v.origin : vm;
}

int Simulation::pool_key(int service, int source_vm) const {
  return per_service(strategy_) ? service : template_of(source_vm);
}

std::vector<int> Simulation::containers_for(int key) const {
  if (strategy_ == Strategy::flexcapsule) return {};  // the application arrives by migration
  if (per_service(strategy_)) return {key};
  return sc_.vms[key].services;
}

VmState Simulation::vm_for(int key, const std::string& vm_name) const {
  VmState v;
  v.name = vm_name;
  v.added = true;
  v.pool_key = key;
  if (per_service(strategy_)) {
    const Service& s = sc_.services[key];
    v.vcpus = s.vm_vcpus;
    v.memory_bytes = s.vm_memory_bytes;
    v.origin = s.home_vm;
  } else {
    v.vcpus = sc_.vms[key].vcpus;
    v.memory_bytes = sc_.vms[key].memory_bytes;
    v.origin = key;
  }
  v.created_at = engine_.now();
  return v;
}

std::string Simulation::next_name(const std::string& stem) {
  return fmt::format("{}-{}", stem, ++names_[stem]);
}

std::vector<Seconds> Simulation::startup_work(const std::vector<int>& services) const {
  std::vector<Seconds> w;
  for (int s : services) w.push_back(sc_.services[s].start_cpu);
  if (strategy_ == Strategy::flexcapsule) w.push_back(sc_.flexcapsule.extra_start_cpu);
  return w;
}

double Simulation::peak_memory(const std::vector<int>& services) const {
  double m = sc_.os.memory_bytes;
  for (int s : services)
    m += std::max(sc_.services[s].memory_bytes, sc_.services[s].start_memory_bytes);
  return m;
}

void Simulation::retire_instances(int vm) {
  for (int id : dep_.vms[vm].instances) {
    Instance& i = dep_.instances[id];
    i.running = i.serving = false;
    i.queue = 0;
    i.vm = -1;
  }
  dep_.vms[vm].instances.clear();
}

// The scenario's VMs run from time 0 with their containers started; pool entries are ready at
// time 0 (made beforehand: their copies and boots are not part of any scale-out).
void Simulation::setup() {
  host_ = be_.add_host({.name = "cloud"});
  for (size_t v = 0; v < sc_.vms.size(); ++v) {
    const VmSpec& spec = sc_.vms[v];
    VmState vm;
    vm.name = spec.name;
    vm.vcpus = spec.vcpus;
    vm.memory_bytes = spec.memory_bytes;
    vm.sampled = true;
    auto [d, defined] = be_.define(
        host_, {.name = spec.name, .memory_bytes = spec.memory_bytes, .vcpus = spec.vcpus}, 0);
    if (!ok(Op::define, spec.name, defined) || !ok(Op::start, spec.name, be_.start(d, 0)))
      throw backends::BackendFailure(Op::start, spec.name,
                                     Outcome::failure(0, 0, result_.first_failure));
    vm.domain = d;
    vm.phase = Phase::serving;
    const int id = dep_.add_vm(vm);
    if (strategy_ == Strategy::flexcapsule)
      dep_.vms[id].nested_host = be_.add_host({.name = spec.name + "/nested"});
    for (int s : spec.services) {
      Instance& i = dep_.instances[dep_.add_instance(s, id)];
      i.running = i.serving = true;
    }
  }
  if (strategy_ == Strategy::flexcapsule) {
    nested_.assign(sc_.services.size(), kNoId);
    for (size_t s = 0; s < sc_.services.size(); ++s) {
      const Service& svc = sc_.services[s];
      const std::string n = svc.name + "-capsule";
      auto [d, defined] = be_.define(dep_.vms[svc.home_vm].nested_host,
                                     {.name = n, .memory_bytes = svc.nested_memory_bytes}, 0);
      if (!ok(Op::define, n, defined) || !ok(Op::start, n, be_.start(d, 0)))
        throw backends::BackendFailure(Op::start, n, Outcome::failure(0, 0, result_.first_failure));
      nested_[s] = d;
    }
  }
  if (is_pooled(strategy_) && sc_.pool.size > 0) {
    std::vector<int> keys;
    if (per_service(strategy_)) {
      for (size_t s = 0; s < sc_.services.size(); ++s)
        if (!(sc_.services[s].load.kind() == LoadTrace::Kind::constant &&
              sc_.services[s].load.rate(0) == 0))
          keys.push_back(int(s));
    } else {
      for (size_t v = 0; v < sc_.vms.size(); ++v) keys.push_back(int(v));
    }
    for (int key : keys) {
      for (int k = 0; k < sc_.pool.size; ++k) {
        VmState vm = vm_for(key, next_name("pool"));
        auto [d, defined] = be_.define(
            host_, {.name = vm.name, .memory_bytes = vm.memory_bytes, .vcpus = vm.vcpus}, 0);
        if (!ok(Op::define, vm.name, defined)) continue;
        vm.domain = d;
        const int id = dep_.add_vm(vm);
        if (sc_.pool.prebooted) {
          if (!ok(Op::start, vm.name, be_.start(d, 0)) ||
              !ok(Op::suspend, vm.name, be_.suspend(d, 0)))
            continue;
          dep_.vms[id].phase = Phase::paused;
          for (int s : containers_for(key)) dep_.instances[dep_.add_instance(s, id)].running = true;
        }
        pool_[key].push_back(id);
      }
    }
  }
}

void Simulation::teardown() {
  for (const auto& v : dep_.vms) {
    if (v.domain == kNoId || v.phase == Phase::gone) continue;
    const backends::DomainState s = be_.info(v.domain).state;
    if (s == backends::DomainState::running || s == backends::DomainState::paused)
      be_.destroy(v.domain, 0);
    be_.undefine(v.domain, 0);
  }
  for (DomainId d : nested_) {
    if (d == kNoId) continue;
    be_.destroy(d, 0);
    be_.undefine(d, 0);
  }
}

AutoscaleResult Simulation::run(const AutoscaleProgress& progress) {
  be_.attach(&engine_);
  setup();
  progress_ = progress ? &progress : nullptr;
  if (sc_.autoscaler.interval <= sc_.horizon)
    engine_.schedule_at(sc_.autoscaler.interval, sample_handler_);
  engine_.run_until(sc_.horizon);
  dep_.advance(sc_.horizon);
  teardown();
  be_.attach(nullptr);

  result_.demand_requests = dep_.demand_requests();
  result_.served_requests = dep_.served_requests();
  result_.unserved_requests = dep_.lost_requests();
  result_.peak_queue_requests = dep_.peak_queue();
  result_.bill = dep_.bill();
  result_.cost = dep_.bill().cost(sc_.prices);
  result_.final_window_s = dep_.final_window();
  for (const auto& v : dep_.vms)
    if (v.final_present_s > 0)
      result_.vm_cpu_final.push_back({v.name, v.final_cpu_s / (v.final_present_s * v.vcpus)});
  result_.timeline_rows = dep_.timeline_csv();
  result_.events = engine_.events_processed();
  return std::move(result_);
}

AutoscaleResult simulate_autoscale(const AutoscaleScenario& sc, Strategy strategy,
                                   backends::Backend* backend, const AutoscaleProgress& progress) {
  std::unique_ptr<backends::SimulatedBackend> own;
  if (!backend) {
    own = std::make_unique<backends::SimulatedBackend>();
    backend = own.get();
  }
  Simulation sim(sc, strategy, *backend);
  return sim.run(progress);
}

}  // namespace rejuv::sim::autoscale
