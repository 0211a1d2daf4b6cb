#pragma once
// Requests as a fluid: a load balancer spreads each service's requests round-robin over its
// serving instances (LVS in seed 004 §4.3, §5.5), and each VM's CPU serves its instances.
//
// Per instance, a VM with v vCPUs, of which `background` go to its OS, idle containers and any
// start-up in progress, has v − background left for requests. Instances on one VM share that in
// proportion to what each asks for (its arrivals plus the backlog it would clear in the step).
// What cannot be served is queued up to the scenario's bound per instance and lost beyond it.
#include <vector>

#include "models/units.hpp"

namespace rejuv::sim::autoscale {

// Round robin: each of `serving` instances receives rate / serving (0 when none serves).
double round_robin_share(double rate, int serving);

struct InstanceDemand {
  double arrival_rps = 0;  // requests/s the balancer sends it
  Seconds cpu_per_request = 0;
  double queue = 0;  // requests waiting at the start of the step
};

struct InstanceServed {
  double served_rps = 0;    // requests/s served during the step
  double lost = 0;          // requests lost in the step (beyond the queue bound)
  double queue = 0;         // requests waiting at the end of the step
  double cpu = 0;           // vCPUs used for requests
  double capacity_rps = 0;  // requests/s it could serve with the CPU the other instances leave it
};

// One VM over a step of dt > 0; `out` gets one entry per demand.
void serve_on_vm(double cpu_available, const std::vector<InstanceDemand>& demand,
                 double queue_bound, Seconds dt, std::vector<InstanceServed>& out);

}  // namespace rejuv::sim::autoscale
