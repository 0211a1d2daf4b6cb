#pragma once
// Reads a lineage scenario's "hosts": a list of hosts with their attributes and VMs, or a
// generator for large pools ({"count": 10000, "name": "h{i}", …}) whose attributes are drawn from
// named streams.
#include <nlohmann/json.hpp>

#include "sim/lineage/world.hpp"

namespace rejuv::sim::lineage {

// Fills `world` from doc["hosts"] (at JSON pointer "/hosts"). Throws InputError.
void read_hosts(const nlohmann::json& hosts, World& world, uint64_t seed);

}  // namespace rejuv::sim::lineage
