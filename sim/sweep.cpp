#include "sim/sweep.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>

#include "models/input_error.hpp"
#include "models/units.hpp"
#include "sim/random.hpp"

namespace rejuv::sim {

using nlohmann::json;

SweepAxis parse_sweep_axis(const std::string& text) {
  try {
    (void)json(text).dump();  // keys and values end up in JSON documents, which hold UTF-8 only
  } catch (const json::type_error&) {
    throw InputError("--set", "expected UTF-8 text, got bytes that are not");
  }
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw InputError("--set", fmt::format("expected KEY=V1,V2,… such as hosts=1000,5000, got \"{}\"", text));
  SweepAxis axis;
  axis.key = text.substr(0, eq);
  axis.pointer = axis.key.starts_with("/") ? axis.key : "/" + axis.key;
  try {
    (void)json::json_pointer(axis.pointer);
  } catch (const json::exception&) {
    throw InputError("--set", fmt::format("\"{}\" is not a valid key path", axis.key));
  }
  std::string rest = text.substr(eq + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    const size_t comma = rest.find(',', start);
    const std::string item = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw InputError("--set", fmt::format("empty value in \"{}\"", text));
    json v = json::parse(item, nullptr, false);
    axis.values.push_back(v.is_discarded() ? json(item) : v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return axis;
}

std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes, uint64_t seed) {
  double count = 1;
  for (const auto& axis : axes) count *= double(axis.values.size());
  if (count > kMaxSweepPoints)
    throw InputError("--set", fmt::format("expected at most {:g} points in the cross product of the --set values, got {:g}",
                                          kMaxSweepPoints, count));
  std::vector<SweepPoint> points{SweepPoint{{}, 0}};
  for (const auto& axis : axes) {
    std::vector<SweepPoint> next;
    for (const auto& p : points)
      for (const auto& v : axis.values) {
        SweepPoint q = p;
        q.values.push_back(v);
        next.push_back(q);
      }
    points = std::move(next);
  }
  // The point's seed: splitmix64(seed ^ fnv1a64("key=value;key=value")), the point named by its values.
  for (auto& p : points) {
    std::string name;
    for (size_t a = 0; a < axes.size(); ++a) name += axes[a].pointer + "=" + p.values[a].dump() + ";";
    p.seed = splitmix64(seed ^ fnv1a64(name));
  }
  return points;
}

namespace {

std::string cell(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

std::string sweep_header(const std::vector<SweepAxis>& axes, const ScenarioKind& kind) {
  std::string h;
  for (const auto& axis : axes) h += axis.key + ",";
  return h + kind.sweep_columns + "\n";
}

namespace {

// Sets doc at `axis.pointer` as json's operator[] would (missing objects on the way are created),
// except that an array index must name an existing element: "/strategies/99999999" would otherwise
// grow the array to that size.
void set_at(json& doc, const SweepAxis& axis, const json& value) {
  auto refuse = [&](const std::string& why) {
    return InputError("--set", fmt::format("cannot set \"{}\" in the scenario: {}", axis.key, why));
  };
  std::vector<std::string> tokens;
  for (size_t start = 1; start <= axis.pointer.size();) {
    size_t slash = axis.pointer.find('/', start);
    if (slash == std::string::npos) slash = axis.pointer.size();
    std::string t = axis.pointer.substr(start, slash - start);
    for (size_t k = 0; (k = t.find('~', k)) != std::string::npos; ++k) t.replace(k, 2, t[k + 1] == '1' ? "/" : "~");
    tokens.push_back(t);
    start = slash + 1;
  }
  json* at = &doc;
  for (const auto& t : tokens) {
    if (at->is_null() || at->is_object()) {
      at = &(*at)[t];
    } else if (at->is_array()) {
      size_t k = 0;
      const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), k);
      if (t.empty() || ec != std::errc() || end != t.data() + t.size() || k >= at->size())
        throw refuse(fmt::format("\"{}\" is not an index of the list there (0 to {})", t, at->size() - 1));
      at = &(*at)[k];
    } else {
      throw refuse(fmt::format("the value before \"{}\" is {}, not an object", t, describe(*at)));
    }
  }
  *at = value;
}

}  // namespace

json sweep_point_doc(const json& scenario, const std::vector<SweepAxis>& axes, const SweepPoint& point) {
  json doc = scenario;
  for (size_t a = 0; a < axes.size(); ++a) set_at(doc, axes[a], point.values[a]);
  doc["seed"] = point.seed;
  return doc;
}

namespace {

std::string point_name(const std::vector<SweepAxis>& axes, const SweepPoint& point) {
  std::string at;
  for (size_t a = 0; a < axes.size(); ++a) at += (a ? "," : "") + axes[a].key + "=" + cell(point.values[a]);
  return at;
}

}  // namespace

void check_sweep_point(const ScenarioKind& kind, const json& scenario, const std::vector<SweepAxis>& axes,
                       const SweepPoint& point) {
  const json doc = sweep_point_doc(scenario, axes, point);
  try {
    kind.check(doc);
  } catch (const InputError& e) {
    throw InputError(e.where(), fmt::format("{} (at sweep point {})", e.message(), point_name(axes, point)));
  }
}

std::string sweep_point_rows(const ScenarioKind& kind, const json& scenario, const std::vector<SweepAxis>& axes,
                             const SweepPoint& point) {
  std::string prefix;
  for (const auto& v : point.values) prefix += cell(v) + ",";
  std::string rows;
  try {
    rows = kind.sweep_rows(sweep_point_doc(scenario, axes, point));
  } catch (const InputError& e) {
    throw InputError(e.where(), fmt::format("{} (at sweep point {})", e.message(), point_name(axes, point)));
  }
  std::string out;
  for (size_t start = 0; start < rows.size();) {
    const size_t nl = rows.find('\n', start);
    const size_t end = nl == std::string::npos ? rows.size() : nl + 1;
    out += prefix;
    out.append(rows, start, end - start);
    start = end;
  }
  return out;
}

json sweep_manifest(const json& scenario, const std::vector<SweepAxis>& axes, size_t points) {
  json ax = json::array();
  for (const auto& a : axes) ax.push_back({{"key", a.key}, {"values", a.values}});
  return {{"sweep", 1},
          {"kind", scenario.value("kind", json())},
          {"points", points},
          {"axes", ax},
          {"scenario_fnv1a64", fmt::format("{:016x}", fnv1a64(scenario.dump()))}};
}

SweepManifest read_sweep_manifest(const json& doc) {
  if (!doc.is_object()) throw InputError("/", fmt::format("expected a sweep.json object, got {}", describe(doc)));
  SweepManifest m;
  m.kind = &scenario_kind(doc);
  const json& points = require_key(doc, "points", "");
  if (!points.is_number_unsigned() || points.get<double>() > kMaxSweepPoints)
    throw InputError("/points", fmt::format("expected a point count from 0 to {:g}, got {}", kMaxSweepPoints, describe(points)));
  m.points = points.get<size_t>();
  const json& axes = require_key(doc, "axes", "");
  if (!axes.is_array()) throw InputError("/axes", fmt::format("expected an array of axes, got {}", describe(axes)));
  double count = 1;
  for (size_t a = 0; a < axes.size(); ++a) {
    const std::string at = fmt::format("/axes/{}", a);
    const json& key = require_key(axes[a], "key", at);
    const json& values = require_key(axes[a], "values", at);
    if (!key.is_string()) throw InputError(at + "/key", fmt::format("expected a key, got {}", describe(key)));
    if (!values.is_array() || values.empty())
      throw InputError(at + "/values", fmt::format("expected a non-empty array of values, got {}", describe(values)));
    SweepAxis axis;
    axis.key = key.get<std::string>();
    axis.values.assign(values.begin(), values.end());
    count *= double(values.size());
    m.axes.push_back(std::move(axis));
  }
  if (count != double(m.points))
    throw InputError("/points", fmt::format("expected the number of points of the axes' cross product, {:g}, got {}", count,
                                            m.points));
  return m;
}

std::pair<size_t, size_t> parse_shard(const std::string& text) {
  unsigned long long i = 0, n = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%llu/%llu%n", &i, &n, &used) != 2 || used != int(text.size()) || n == 0 || i >= n)
    throw InputError("--shard", fmt::format("expected i/N with 0 ≤ i < N, such as 0/4, got \"{}\"", text));
  return {size_t(i), size_t(n)};
}

}  // namespace rejuv::sim
