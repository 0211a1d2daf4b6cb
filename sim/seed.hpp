#pragma once
// The "seed" of a scenario, read the same way by every kind and by the sweep (which derives each
// point's seed from it): every random stream of a run is seeded from it (sim/random.hpp).
#include <nlohmann/json.hpp>
#include <cstdint>

namespace rejuv::sim {

// doc["seed"]: an integer from 0 to 2^64 − 1. Throws InputError("/seed", …).
uint64_t read_seed(const nlohmann::json& doc);

}  // namespace rejuv::sim
