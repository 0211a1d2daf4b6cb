#include "sim/autoscale/load_balancer.hpp"

#include <algorithm>

namespace rejuv::sim::autoscale {

double round_robin_share(double rate, int serving) { return serving > 0 ? rate / serving : 0.0; }

void serve_on_vm(double cpu_available, const std::vector<InstanceDemand>& demand, double queue_bound, Seconds dt,
                 std::vector<InstanceServed>& out) {
  out.assign(demand.size(), InstanceServed{});
  const double avail = std::max(0.0, cpu_available);
  double wanted = 0;  // vCPUs all instances ask for
  for (const auto& d : demand) wanted += d.cpu_per_request * (d.arrival_rps + d.queue / dt);
  const double fraction = wanted > avail ? avail / wanted : 1.0;
  double used = 0;
  for (size_t k = 0; k < demand.size(); ++k) {
    const InstanceDemand& d = demand[k];
    InstanceServed& o = out[k];
    o.cpu = d.cpu_per_request * (d.arrival_rps + d.queue / dt) * fraction;
    used += o.cpu;
    if (fraction >= 1) {  // everything is served, the backlog included (exactly: no rounding left over)
      o.served_rps = d.arrival_rps + d.queue / dt;
      continue;
    }
    o.served_rps = o.cpu / d.cpu_per_request;
    double queue = d.queue + (d.arrival_rps - o.served_rps) * dt;
    queue = std::max(0.0, queue);
    if (queue > queue_bound) {
      o.lost = queue - queue_bound;
      queue = queue_bound;
    }
    o.queue = queue;
  }
  // What each could serve with the CPU the others leave it.
  for (size_t k = 0; k < demand.size(); ++k)
    out[k].capacity_rps = std::max(0.0, avail - (used - out[k].cpu)) / demand[k].cpu_per_request;
}

}  // namespace rejuv::sim::autoscale
