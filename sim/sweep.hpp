#pragma once
// A sweep: the cross product of --set values over a scenario of any kind. Each point runs on its
// own with a seed derived from the scenario's seed and the point's values, so a point's rows do
// not depend on how many workers, shards or MPI ranks ran the sweep, or in which order. The kind
// (sim/scenario.hpp) checks each point and gives its rows.
#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

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
// splitmix64(seed ^ fnv1a64("/key=value;…")). More than kMaxSweepPoints throws InputError("--set").
inline constexpr double kMaxSweepPoints = 1e6;
std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes, uint64_t seed);

// The CSV header: the swept keys, then the kind's columns.
std::string sweep_header(const std::vector<SweepAxis>& axes, const ScenarioKind& kind);
// The scenario of one point: the values set at their keys, "seed" the point's. A key that cannot
// be set there (a path through a number) throws InputError("--set", …).
nlohmann::json sweep_point_doc(const nlohmann::json& scenario, const std::vector<SweepAxis>& axes,
                               const SweepPoint& point);
// Checks one point as the kind reads it; a bad point throws InputError naming the JSON path and the
// point.
void check_sweep_point(const ScenarioKind& kind, const nlohmann::json& scenario, const std::vector<SweepAxis>& axes,
                       const SweepPoint& point);
// The rows of one point, each starting with the point's values.
std::string sweep_point_rows(const ScenarioKind& kind, const nlohmann::json& scenario,
                             const std::vector<SweepAxis>& axes, const SweepPoint& point);

// What identifies a sweep (its sweep.json): the scenario's kind and a hash of the scenario (after
// "extends"), the axes and the point count. Shards and resumed runs must match it before their
// points are joined.
nlohmann::json sweep_manifest(const nlohmann::json& scenario, const std::vector<SweepAxis>& axes, size_t points);
struct SweepManifest {
  const ScenarioKind* kind = nullptr;
  std::vector<SweepAxis> axes;  // keys and values
  size_t points = 0;
};
// Reads a sweep.json back (`rejuv sweep merge`); throws InputError with the JSON path.
SweepManifest read_sweep_manifest(const nlohmann::json& doc);

// "i/N" with 0 ≤ i < N; throws InputError("--shard", …).
std::pair<size_t, size_t> parse_shard(const std::string& text);

}  // namespace rejuv::sim
