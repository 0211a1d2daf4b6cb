// The autoscaler: every interval it samples each VM's CPU from the hypervisor's cumulative
// counter (seed 004 §4.1: libvirt's CPU time, its increase over the interval), then applies its
// policy. Containers are read by introspection only when needed (§3: it costs more than reading a
// VM's CPU); a container's usage is the increase of its cumulative counter (cpuacct.usage)
// between two readings, so the first reading of a hot VM gives no usage yet.
#include <algorithm>
#include <cmath>

#include "sim/autoscale/simulation.hpp"

namespace rejuv::sim::autoscale {

namespace {
bool is_nan(double x) { return std::isnan(x); }
}  // namespace

void Simulation::sample() {
  const Seconds now = engine_.now();
  dep_.advance(now);
  if (progress_) (*progress_)(now / sc_.horizon);
  const auto& scale_in = sc_.autoscaler.scale_in;
  for (auto& v : dep_.vms) {
    if (v.phase != Phase::serving) continue;
    const Seconds elapsed = now - v.sampled_at;
    if (elapsed <= 0) continue;
    v.utilisation = (v.cpu_time_s - v.sampled_cpu_time_s) / (elapsed * v.vcpus);
    v.sampled_cpu_time_s = v.cpu_time_s;
    v.sampled_at = now;
    v.sampled = true;
    for (int id : v.instances) {
      Instance& i = dep_.instances[id];
      i.usage_last = (i.cpu_time_s - i.sampled_cpu_time_s) / elapsed;
      i.request_usage_last = (i.request_cpu_s - i.sampled_request_cpu_s) / elapsed;
      i.sampled_cpu_time_s = i.cpu_time_s;
      i.sampled_request_cpu_s = i.request_cpu_s;
    }
    if (scale_in && v.utilisation < scale_in->threshold) {
      if (is_nan(v.low_since)) v.low_since = now - elapsed;
    } else {
      v.low_since = std::numeric_limits<double>::quiet_NaN();
    }
  }
  if (sc_.autoscaler.policy == Autoscaler::Policy::hpa)
    hpa_policy();
  else
    threshold_policy();
}

void Simulation::introspect(int vm) {
  VmState& v = dep_.vms[vm];
  ++result_.introspections;
  result_.introspection_cpu_s += sc_.autoscaler.introspection_cpu;
  const Seconds now = engine_.now();
  const size_t keep = size_t(sc_.autoscaler.trend_samples);
  for (int id : v.instances) {
    Instance& i = dep_.instances[id];
    if (!is_nan(v.read_at) && now > v.read_at) {
      i.usage.push_back((i.cpu_time_s - i.read_cpu_time_s) / (now - v.read_at));
      if (i.usage.size() > keep) i.usage.erase(i.usage.begin());
    }
    i.read_cpu_time_s = i.cpu_time_s;
  }
  v.read_at = now;
}

void Simulation::threshold_policy() {
  const Autoscaler& a = sc_.autoscaler;
  const Seconds now = engine_.now();
  auto forget_readings = [&](VmState& v) {
    v.read_at = std::numeric_limits<double>::quiet_NaN();
    for (int id : v.instances) dep_.instances[id].usage.clear();
  };
  std::vector<int> hot;
  for (size_t v = 0; v < dep_.vms.size(); ++v) {
    VmState& vm = dep_.vms[v];
    if (vm.phase == Phase::serving && vm.sampled && vm.utilisation >= a.threshold)
      hot.push_back(int(v));
    else
      forget_readings(vm);
  }
  if (busy_ > 0 || now < cooldown_until_) {
    for (int v : hot) forget_readings(dep_.vms[v]);
    return;
  }
  std::stable_sort(hot.begin(), hot.end(),
                   [&](int x, int y) { return dep_.vms[x].utilisation > dep_.vms[y].utilisation; });
  for (int v : hot) {
    if (!per_service(strategy_)) {
      // VM-level autoscaling sees only the VM: it clones it, whichever service is hot.
      const int tmpl = template_of(v);
      int copies = 0;
      for (size_t u = 0; u < dep_.vms.size(); ++u) {
        const Phase p = dep_.vms[u].phase;
        copies += template_of(int(u)) == tmpl && p != Phase::gone && p != Phase::off &&
                  p != Phase::paused;
      }
      if (copies >= a.max_instances) continue;
      decide_scale_out(-1, v, ContainerChoice::Reason::hottest, 0);
      return;
    }
    introspect(v);
    const VmState& vm = dep_.vms[v];
    std::vector<ContainerUsage> candidates;
    int serving_here = 0;
    for (int id : vm.instances) serving_here += dep_.instances[id].serving;
    bool waiting = false;
    // FlexCapsule relieves a VM by moving an application out: not the only one left in it.
    if (strategy_ == Strategy::flexcapsule && serving_here < 2) continue;
    for (int id : vm.instances) {
      const Instance& i = dep_.instances[id];
      if (!i.serving || !i.running) continue;
      if (i.usage.empty()) waiting = true;
      candidates.push_back({i.service, i.usage});
    }
    if (candidates.empty() || waiting) continue;
    const auto choice = choose_container(candidates, a.stand_out, a.trend_samples);
    if (!choice) continue;  // none stands out: read again at the next sample for a trend
    // The container to scale has as many instances as allowed: scaling another would not help.
    if (strategy_ != Strategy::flexcapsule &&
        dep_.instance_count(choice->service) >= a.max_instances)
      continue;
    forget_readings(dep_.vms[v]);
    decide_scale_out(choice->service, v, choice->reason, a.introspection_time);
    return;
  }
  if (!a.scale_in) return;
  std::vector<int> low;
  for (size_t v = 0; v < dep_.vms.size(); ++v) {
    const VmState& vm = dep_.vms[v];
    if (vm.added && vm.phase == Phase::serving && vm.sampled && !is_nan(vm.low_since) &&
        now - vm.low_since >= a.scale_in->window)
      low.push_back(int(v));
  }
  std::stable_sort(low.begin(), low.end(),
                   [&](int x, int y) { return dep_.vms[x].created_at > dep_.vms[y].created_at; });
  for (int v : low) {
    if (!scale_in_candidate(v)) continue;
    begin_scale_in(v, -1);
    return;
  }
}

// Removing VM `vm` must leave every service it serves another instance, and no VM that takes
// over its requests at or above the scale-out threshold (or the autoscaler would scale out again).
bool Simulation::scale_in_candidate(int vm) const {
  const VmState& v = dep_.vms[vm];
  const double threshold = sc_.autoscaler.threshold;
  if (strategy_ == Strategy::flexcapsule) {
    if (v.instances.size() != 1) return false;
    const Instance& i = dep_.instances[v.instances.front()];
    const VmState& home = dep_.vms[sc_.services[i.service].home_vm];
    return home.phase == Phase::serving && home.sampled &&
           home.utilisation + i.usage_last / home.vcpus < threshold;
  }
  std::vector<int> k(sc_.services.size(), 0);
  std::vector<bool> on_v(sc_.services.size(), false);
  for (const auto& i : dep_.instances) k[i.service] += i.serving;
  for (int id : v.instances)
    if (dep_.instances[id].serving) on_v[dep_.instances[id].service] = true;
  for (size_t s = 0; s < k.size(); ++s)
    if (on_v[s] && k[s] < 2) return false;
  for (size_t u = 0; u < dep_.vms.size(); ++u) {
    const VmState& other = dep_.vms[u];
    if (int(u) == vm || other.phase != Phase::serving || !other.sampled) continue;
    double projected = other.utilisation;
    for (int id : other.instances) {
      const Instance& i = dep_.instances[id];
      // Each of the k − 1 instances left takes a share of the removed one's requests.
      if (i.serving && on_v[i.service])
        projected += i.request_usage_last / (k[i.service] - 1) / other.vcpus;
    }
    if (projected >= threshold) return false;
  }
  return true;
}

// Kubernetes' horizontal autoscaler: it reads the usage of each replica every interval, scales up
// at once and down to the highest count it recommended over its stabilisation window. A replica
// is a container of the service for the per-service strategies (read by introspection, with its
// cost); VM-level strategies see only VMs, so there a replica is a VM cloned from one template
// and its utilisation is the VM's CPU, as a cloud's VM autoscaler measures it.
void Simulation::hpa_policy() {
  const Autoscaler& a = sc_.autoscaler;
  const Seconds now = engine_.now();
  const Seconds window = a.scale_in ? a.scale_in->window : 300.0;
  const bool vm_level = !per_service(strategy_);
  if (!vm_level)
    for (const auto& v : dep_.vms)
      if (v.phase == Phase::serving) {
        ++result_.introspections;
        result_.introspection_cpu_s += a.introspection_cpu;
      }
  // A group is a service (per-service strategies) or a scenario VM's template (VM level).
  const size_t groups = vm_level ? sc_.vms.size() : sc_.services.size();
  for (size_t g = 0; g < groups; ++g) {
    int k = 0, source = vm_level ? int(g) : -1;
    double usage = 0;
    std::vector<int> removable;  // added VMs serving the group
    if (vm_level) {
      for (size_t v = 0; v < dep_.vms.size(); ++v) {
        const VmState& vm = dep_.vms[v];
        if (vm.phase != Phase::serving || template_of(int(v)) != int(g)) continue;
        ++k;
        usage += vm.utilisation;
        if (vm.added) removable.push_back(int(v));
      }
    } else {
      for (const auto& i : dep_.instances) {
        if (i.service != int(g) || !i.serving) continue;
        ++k;
        usage += i.usage_last / sc_.services[g].cpu_request;
        if (source < 0 || i.vm == sc_.services[g].home_vm) source = i.vm;
        if (dep_.vms[i.vm].added && dep_.vms[i.vm].phase == Phase::serving)
          removable.push_back(i.vm);
      }
    }
    if (k == 0) continue;
    int pending = 0;
    for (const auto& o : ops_)
      if (!o.over && o.kind == Operation::Kind::scale_out)
        pending += vm_level ? template_of(o.source) == int(g) : o.service == int(g);
    const int desired =
        hpa_desired(k, usage / k, a.target, a.tolerance, a.min_replicas, a.max_replicas);
    auto& history = hpa_history_[g];
    history.push_back({now, desired});
    while (!history.empty() && history.front().first < now - window) history.erase(history.begin());
    if (now < cooldown_until_) continue;
    if (desired > k + pending) {
      for (int n = desired - k - pending; n > 0; --n)
        decide_scale_out(vm_level ? -1 : int(g), source, ContainerChoice::Reason::hottest,
                         vm_level ? 0.0 : a.introspection_time);
      continue;
    }
    if (pending > 0) continue;
    int stabilised = 0;
    for (const auto& [t, d] : history) stabilised = std::max(stabilised, d);
    std::stable_sort(removable.begin(), removable.end(),
                     [&](int x, int y) { return dep_.vms[x].created_at > dep_.vms[y].created_at; });
    for (int n = 0; n < k - stabilised && n < int(removable.size()); ++n)
      begin_scale_in(removable[n], int(g));
  }
}

}  // namespace rejuv::sim::autoscale
