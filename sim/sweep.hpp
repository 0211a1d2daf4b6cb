#pragma once
// A sweep: the cross product of --set values over a scenario, each point run on its own with a
// seed derived from the scenario's seed and the point, so the rows do not depend on how many
// workers ran them or in which order.
#include <nlohmann/json.hpp>
#include <functional>
#include <string>
#include <vector>

namespace rejuv::sim {

struct SweepAxis {
  std::string key;                    // as given: "hosts", "warm/downtime"
  std::string pointer;                // "/hosts", "/warm/downtime"
  std::vector<nlohmann::json> values;  // numbers where they parse as JSON, else strings ("41s")
};

// Parses "KEY=V1,V2,…"; throws InputError("--set", …) when malformed.
SweepAxis parse_sweep_axis(const std::string& text);

struct SweepPoint {
  std::vector<nlohmann::json> values;  // one per axis
  uint64_t seed;
};

// Every point of the cross product, first axis slowest, with its derived seed.
std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes, uint64_t seed);

// Runs every point on `workers` threads and returns the CSV (header and one row per point and
// strategy, in point order). `progress(done, total)` is called from the workers, serialised.
// A bad point throws InputError naming the point and the JSON path.
std::string run_sweep(const nlohmann::json& scenario, const std::vector<SweepAxis>& axes, unsigned workers,
                      const std::function<void(size_t, size_t)>& progress);

}  // namespace rejuv::sim
