#pragma once
// A sweep: the cross product of --set values over a scenario. Each point runs on its own with a
// seed derived from the scenario's seed and the point's values, so a point's rows do not depend on
// how many workers, shards or MPI ranks ran the sweep, or in which order.
#include <nlohmann/json.hpp>
#include <functional>

#include "sim/cluster/rejuvenation_scenario.hpp"
#include <string>
#include <vector>

namespace rejuv::sim {

struct SweepAxis {
  std::string key;                     // as given: "hosts", "warm/downtime"
  std::string pointer;                 // "/hosts", "/warm/downtime"
  std::vector<nlohmann::json> values;  // numbers where they parse as JSON, else strings ("41s")
};

// Parses "KEY=V1,V2,…"; throws InputError("--set", …) when malformed.
SweepAxis parse_sweep_axis(const std::string& text);

struct SweepPoint {
  std::vector<nlohmann::json> values;  // one per axis
  uint64_t seed;
};

// Every point of the cross product, first axis slowest, with its derived seed:
// splitmix64(seed ^ fnv1a64("/key=value;…")).
std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes, uint64_t seed);

// The CSV header, and the rows of one point (one per strategy). A bad point throws InputError
// naming the JSON path and the point.
std::string sweep_header(const std::vector<SweepAxis>& axes);
RejuvenationScenario sweep_point_scenario(const nlohmann::json& scenario, const std::vector<SweepAxis>& axes,
                                          const SweepPoint& point);
std::string sweep_point_rows(const nlohmann::json& scenario, const std::vector<SweepAxis>& axes, const SweepPoint& point);

// What identifies a sweep: the scenario (after "extends"), the axes and the point count. Shards and
// resumed runs must match it before their points are joined.
nlohmann::json sweep_manifest(const nlohmann::json& scenario, const std::vector<SweepAxis>& axes, size_t points);

// Runs work(k) for every k in `todo` on `workers` threads; after each, done(k) runs serialised.
// The first exception stops handing out work and is rethrown once every thread has stopped.
void run_parallel(const std::vector<size_t>& todo, unsigned workers, const std::function<void(size_t)>& work,
                  const std::function<void(size_t)>& done);

// "i/N" with 0 ≤ i < N; throws InputError("--shard", …).
std::pair<size_t, size_t> parse_shard(const std::string& text);

}  // namespace rejuv::sim
