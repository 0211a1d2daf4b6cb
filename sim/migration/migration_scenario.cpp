#include "sim/migration/migration_scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "models/input_error.hpp"
#include "models/units.hpp"

namespace rejuv::sim {

using nlohmann::json;

namespace {

void only_keys(const json& obj, const std::string& where, std::initializer_list<std::string_view> keys) {
  for (const auto& [key, _] : obj.items()) {
    if (key.starts_with("_") || std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    std::string known;
    for (auto k : keys) known += (known.empty() ? "" : ", ") + std::string(k);
    throw InputError(where + "/" + key, fmt::format("expected one of the keys {}, got unknown key \"{}\"", known, key));
  }
}

const json& object_at(const json& doc, const char* key, const std::string& where) {
  const json& v = require_key(doc, key, where);
  if (!v.is_object()) throw InputError(where + "/" + key, fmt::format("expected an object, got {}", describe(v)));
  return v;
}

// A non-empty list of values, each read by `read(value, path)`.
template <class Read>
auto list_at(const json& grid, const char* key, Read read) {
  const std::string where = std::string("/grid/") + key;
  const json& v = require_key(grid, key, "/grid");
  if (!v.is_array() || v.empty())
    throw InputError(where, fmt::format("expected a non-empty list, got {}", describe(v)));
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(read(v[i], fmt::format("{}/{}", where, i)));
  return out;
}

}  // namespace

double MigrationScenario::fill_bytes(double memory) const {
  return std::max(0.0, fill_fraction * memory - fill_less_bytes);
}

std::vector<MigrationPoint> MigrationScenario::points() const {
  std::vector<MigrationPoint> out;
  for (double m : memory_bytes)
    for (double r : dirty_rate_Bps)
      for (double b : bandwidth_Bps)
        for (Seconds d : downtime_limit_s)
          out.push_back({.memory_bytes = m,
                         .fill_bytes = fill_bytes(m),
                         .dirty_rate_Bps = r,
                         .bandwidth_Bps = b,
                         .rate_control = b == 0,
                         .downtime_limit_s = d});
  return out;
}

MigrationScenario parse_migration_scenario(const json& doc) {
  only_keys(doc, "", {"kind", "grid", "repetitions", "guest", "model", "seed"});
  MigrationScenario sc;
  const json& grid = object_at(doc, "grid", "");
  only_keys(grid, "/grid", {"memory", "dirty_rate", "bandwidth", "downtime_limit"});
  sc.memory_bytes = list_at(grid, "memory", [](const json& v, const std::string& at) {
    const double b = parse_bytes(v, at, true);
    if (b < 16 * 1048576.0) throw InputError(at, fmt::format("expected a guest memory of at least 16 MiB, got {}", describe(v)));
    return b;
  });
  sc.dirty_rate_Bps = list_at(grid, "dirty_rate", [](const json& v, const std::string& at) { return parse_bit_rate(v, at) / 8; });
  sc.bandwidth_Bps = list_at(grid, "bandwidth", [](const json& v, const std::string& at) {
    if (v == "rate_control") return 0.0;
    double Bps = -1;
    if (v.is_string() || v.is_number()) {
      try {
        Bps = parse_bit_rate(v, at, true) / 8;
      } catch (const InputError&) {
      }
    }
    // libvirt takes the limit in whole MiB/s (0 would mean unlimited).
    if (Bps >= 1048576.0) return Bps;
    throw InputError(at, fmt::format("expected a bandwidth limit of at least 1 MiB/s such as \"32MiB/s\", or \"rate_control\", got {}",
                                     describe(v)));
  });
  sc.downtime_limit_s = list_at(grid, "downtime_limit", [](const json& v, const std::string& at) {
    const Seconds d = parse_duration(v, at, true);
    // libvirt takes the maximum downtime in whole milliseconds.
    if (d < 1e-3) throw InputError(at, fmt::format("expected a downtime limit of at least 1 ms, got {}", describe(v)));
    return d;
  });
  if (doc.contains("repetitions")) {
    const json& v = doc["repetitions"];
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 100)
      throw InputError("/repetitions", fmt::format("expected an integer in [1, 100], got {}", describe(v)));
    sc.repetitions = v.get<int>();
  }
  if (doc.contains("guest")) {
    const json& g = object_at(doc, "guest", "");
    only_keys(g, "/guest", {"fill_fraction", "fill_less", "boot", "gap", "xml", "console_dir"});
    if (g.contains("fill_fraction")) {
      sc.fill_fraction = require_number(g["fill_fraction"], "/guest/fill_fraction", "a fraction in [0, 1]");
      if (!(sc.fill_fraction >= 0 && sc.fill_fraction <= 1))
        throw InputError("/guest/fill_fraction", fmt::format("expected a fraction in [0, 1], got {}", describe(g["fill_fraction"])));
    }
    if (g.contains("fill_less")) sc.fill_less_bytes = parse_bytes(g["fill_less"], "/guest/fill_less");
    if (g.contains("boot")) sc.boot_s = parse_duration(g["boot"], "/guest/boot");
    if (g.contains("gap")) sc.gap_s = parse_duration(g["gap"], "/guest/gap");
    for (const char* key : {"xml", "console_dir"}) {
      if (!g.contains(key)) continue;
      if (!g[key].is_string() || g[key].get<std::string>().empty())
        throw InputError(std::string("/guest/") + key, fmt::format("expected a path, got {}", describe(g[key])));
    }
    if (g.contains("xml")) sc.xml_template = g["xml"].get<std::string>();
    if (g.contains("console_dir")) sc.console_dir = g["console_dir"].get<std::string>();
  }
  if (doc.contains("model")) {
    const json& m = object_at(doc, "model", "");
    only_keys(m, "/model", {"link_rate", "resume", "dirty_overlap", "base"});
    if (m.contains("link_rate")) sc.model.link_rate_bps = parse_bit_rate(m["link_rate"], "/model/link_rate", true);
    if (m.contains("resume")) sc.model.resume_s = parse_duration(m["resume"], "/model/resume");
    if (m.contains("base")) sc.model.base_bytes = parse_bytes(m["base"], "/model/base");
    if (m.contains("dirty_overlap")) {
      sc.model.dirty_overlap = require_number(m["dirty_overlap"], "/model/dirty_overlap", "a fraction in [0, 1)");
      if (!(sc.model.dirty_overlap >= 0 && sc.model.dirty_overlap < 1))
        throw InputError("/model/dirty_overlap", fmt::format("expected a fraction in [0, 1), got {}", describe(m["dirty_overlap"])));
    }
  }
  return sc;
}

}  // namespace rejuv::sim
