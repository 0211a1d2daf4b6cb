#pragma once
// Hardware failures of hosts (beyond the papers' models), shared by the scenario kinds that
// simulate them: each host fails at a random time, is repaired, and fails again, more readily once
// it has failed before (Vishwanath & Nagappan: a server that failed is more likely to fail again;
// seed 000 §4.1).
#include <nlohmann/json.hpp>
#include <string>

#include "sim/distribution.hpp"
#include "sim/random.hpp"

namespace rejuv::sim {

struct HardwareFailures {
  bool enabled = false;
  double annual_rate = 0.08;  // fraction of servers that fail in a year: the lineage paper (seed
                              // 000 §1) and Vishwanath & Nagappan, SoCC 2010
  double weibull_shape =
      1;  // 1: exponential; otherwise Weibull with P(fail within a year) = annual_rate
  double repeat_factor = 2;  // hazard multiplier once a host has failed (assumption; see README)
  Distribution repair = Distribution::exponential(4 * 3600.0);
};

// Reads a scenario's "failures" object (at JSON pointer `where`): annual_rate, distribution
// ("exponential" or "weibull" with a shape), repeat_factor, repair. Throws InputError.
HardwareFailures parse_hardware_failures(const nlohmann::json& f, const std::string& where);

// A host's time to its next failure: a Weibull (exponential when shape = 1) whose probability of a
// failure within a year is annual_rate; once the host has failed, its hazard is repeat_factor times
// higher. One uniform draw from `rng`.
Seconds time_to_failure(const HardwareFailures& f, bool failed_before, Rng& rng);

}  // namespace rejuv::sim
