#include "sim/autoscale/deployment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rejuv::sim::autoscale {

namespace {
// The window at the end of the horizon over which the summary's vm_cpu_final is measured.
constexpr Seconds kFinalWindow = 60;

bool runs(Phase p) {
  return p == Phase::booting || p == Phase::starting || p == Phase::serving || p == Phase::stopping;
}
}  // namespace

Deployment::Deployment(const AutoscaleScenario& sc, Strategy strategy)
    : sc_(sc),
      strategy_(name(strategy)),
      cpu_factor_(strategy == Strategy::flexcapsule ? 1 + sc.flexcapsule.cpu_overhead : 1.0),
      row_width_(sc.horizon / sc.timeline_rows),
      final_from_(sc.horizon - std::min(kFinalWindow, sc.horizon / 2)),
      loaded_(sc.services.size()),
      row_demand_(sc.services.size()),
      row_capacity_(sc.services.size()),
      row_served_(sc.services.size()) {
  for (size_t s = 0; s < sc.services.size(); ++s) {
    const LoadTrace& t = sc.services[s].load;
    loaded_[s] = !(t.kind() == LoadTrace::Kind::constant && t.rate(0) == 0);
  }
}

int Deployment::add_vm(VmState vm) {
  vms.push_back(std::move(vm));
  return int(vms.size()) - 1;
}

int Deployment::add_instance(int service, int vm) {
  Instance i;
  i.service = service;
  i.vm = vm;
  instances.push_back(i);
  const int id = int(instances.size()) - 1;
  vms[vm].instances.push_back(id);
  return id;
}

void Deployment::move_instance(int id, int to) {
  Instance& i = instances[id];
  auto& from = vms[i.vm].instances;
  from.erase(std::remove(from.begin(), from.end(), id), from.end());
  vms[to].instances.push_back(id);
  i.vm = to;
}

void Deployment::deregister(int id) {
  Instance& i = instances[id];
  i.serving = false;
  lost_ += i.queue;
  i.queue = 0;
}

void Deployment::rebase_samples(int vm) {
  VmState& v = vms[vm];
  v.sampled_cpu_time_s = v.cpu_time_s;
  v.sampled_at = now_;
  v.sampled = false;
  v.read_at = std::numeric_limits<double>::quiet_NaN();
  v.low_since = std::numeric_limits<double>::quiet_NaN();
  for (int id : v.instances) {
    Instance& i = instances[id];
    i.sampled_cpu_time_s = i.cpu_time_s;
    i.sampled_request_cpu_s = i.request_cpu_s;
    i.usage.clear();
  }
}

int Deployment::serving_count(int service) const {
  int n = 0;
  for (const auto& i : instances) n += i.service == service && i.serving;
  return n;
}

int Deployment::instance_count(int service) const {
  int n = 0;
  for (const auto& i : instances) {
    if (i.service != service || i.vm < 0) continue;
    const Phase p = vms[i.vm].phase;
    n += p == Phase::starting || p == Phase::serving || p == Phase::booting;
  }
  return n;
}

void Deployment::line(Seconds t, const std::string& metric, const std::string& subject,
                      double value) {
  lines_.push_back(
      {t, seq_++, fmt::format("{:.3f},{},{},{},{:.6g}", t, strategy_, metric, subject, value)});
}

void Deployment::event(Seconds t, const std::string& metric, const std::string& subject,
                       double value) {
  line(t, metric, subject, value);
}

std::string Deployment::timeline_csv() const {
  std::vector<const TimelineLine*> order;
  order.reserve(lines_.size());
  for (const auto& l : lines_) order.push_back(&l);
  std::stable_sort(order.begin(), order.end(), [](const TimelineLine* a, const TimelineLine* b) {
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
  });
  std::string out;
  for (const auto* l : order) out += l->text + "\n";
  return out;
}

void Deployment::flush_row() {
  const Seconds t = row_ * row_width_;
  for (size_t s = 0; s < sc_.services.size(); ++s) {
    if (!loaded_[s]) continue;
    const std::string& n = sc_.services[s].name;
    line(t, "demand", n, row_demand_[s] / row_width_);
    line(t, "capacity", n, row_capacity_[s] / row_width_);
    line(t, "served", n, row_served_[s] / row_width_);
    row_demand_[s] = row_capacity_[s] = row_served_[s] = 0;
  }
  for (auto& v : vms) {
    if (v.row_present_s > 0) line(t, "cpu", v.name, v.row_cpu_s / (v.row_present_s * v.vcpus));
    v.row_cpu_s = v.row_present_s = 0;
  }
}

void Deployment::advance(Seconds t) {
  t = std::min(t, sc_.horizon);
  while (now_ < t) {
    const Seconds row_end = row_ + 1 >= sc_.timeline_rows ? sc_.horizon : (row_ + 1) * row_width_;
    Seconds end = std::min({t, row_end, now_ + sc_.step});
    if (now_ < final_from_) end = std::min(end, final_from_);
    if (end > now_) step(end - now_);
    now_ = end;
    if (now_ >= row_end && row_ < sc_.timeline_rows) {
      flush_row();
      ++row_;
    }
  }
}

void Deployment::step(Seconds dt) {
  const Seconds mid = now_ + dt / 2;
  const bool final = now_ >= final_from_;
  const size_t ns = sc_.services.size();
  // The balancer: each service's requests over its serving instances.
  serving_scratch_.assign(ns, 0);
  for (const auto& i : instances) serving_scratch_[i.service] += i.serving;
  per_instance_rps_.assign(ns, 0);
  for (size_t s = 0; s < ns; ++s) {
    const double d = sc_.services[s].load.rate(mid);
    demand_ += d * dt;
    row_demand_[s] += d * dt;
    if (serving_scratch_[s] == 0) lost_ += d * dt;  // nowhere to send them
    per_instance_rps_[s] = round_robin_share(d, serving_scratch_[s]);
  }
  for (auto& v : vms) {
    if (v.phase == Phase::paused) bill_.suspended(v.memory_bytes, dt);
    if (!runs(v.phase)) continue;
    bill_.running(v.vcpus, v.memory_bytes, dt);
    // Background work first: the OS, idle containers, a boot or start-ups in progress.
    double os = v.phase == Phase::booting ? 0.0 : sc_.os.idle_cpu;
    double idle = 0;
    if (v.phase == Phase::serving)
      for (int id : v.instances)
        if (instances[id].running) idle += sc_.services[instances[id].service].idle_cpu;
    const double background_wanted = os + idle + v.extra_cpu;
    const double squeeze = background_wanted > v.vcpus ? v.vcpus / background_wanted : 1.0;
    const double background = background_wanted * squeeze;
    demand_scratch_.clear();
    for (int id : v.instances) {
      const Instance& i = instances[id];
      if (!i.serving) continue;
      demand_scratch_.push_back({per_instance_rps_[i.service],
                                 sc_.services[i.service].cpu_per_request * cpu_factor_, i.queue});
    }
    serve_on_vm(v.vcpus - background, demand_scratch_, sc_.queue_bound, dt, served_scratch_);
    double used = background;
    size_t k = 0;
    for (int id : v.instances) {
      Instance& i = instances[id];
      const double idle_i =
          i.running && v.phase == Phase::serving ? sc_.services[i.service].idle_cpu * squeeze : 0.0;
      i.cpu_time_s += idle_i * dt;
      if (!i.serving) continue;
      const InstanceServed& o = served_scratch_[k++];
      i.queue = o.queue;
      i.cpu_time_s += o.cpu * dt;
      i.request_cpu_s += o.cpu * dt;
      used += o.cpu;
      served_ += o.served_rps * dt;
      lost_ += o.lost;
      peak_queue_ = std::max(peak_queue_, o.queue);
      row_served_[i.service] += o.served_rps * dt;
      row_capacity_[i.service] += o.capacity_rps * dt;
    }
    v.cpu_time_s += used * dt;
    v.row_cpu_s += used * dt;
    v.row_present_s += dt;
    if (final) {
      v.final_cpu_s += used * dt;
      v.final_present_s += dt;
    }
  }
}

}  // namespace rejuv::sim::autoscale
