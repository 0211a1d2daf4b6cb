#include "models/params.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "models/consistency.hpp"
#include "models/input_error.hpp"

namespace rejuv {

namespace {

using nlohmann::json;

void check_keys(const json& obj, const std::string& where, const std::set<std::string>& known,
                const std::set<std::string>& ignore = {}) {
  for (const auto& [key, _] : obj.items()) {
    if (key.starts_with("_") || known.count(key) || ignore.count(key)) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw InputError(where + "/" + key, fmt::format("unknown key (expected one of: {})", list));
  }
}

const json& object_at(const json& doc, const std::string& key, const std::string& where) {
  const json& v = require_key(doc, key, where);
  if (!v.is_object())
    throw InputError(where + "/" + key, fmt::format("expected an object, got {}", describe(v)));
  return v;
}

int integer_at_least(const json& doc, const std::string& key, const std::string& where, int min,
                     const char* why = "", long long max = 1'000'000'000, const char* why_max = "") {
  const std::string at = where + "/" + key;
  const json& v = require_key(doc, key, where);
  if (!v.is_number_integer() || v.get<long long>() < min)
    throw InputError(at, fmt::format("expected an integer ≥ {}{}, got {}", min, why, describe(v)));
  if (v.get<long long>() > max)
    throw InputError(at, fmt::format("expected an integer ≤ {}{}, got {}", max, why_max, describe(v)));
  return v.get<int>();
}

Seconds positive_duration(const json& doc, const std::string& key, const std::string& where) {
  const std::string at = where + "/" + key;
  return parse_duration(require_key(doc, key, where), at, /*positive=*/true);
}

double fraction(const json& v, const std::string& at) {
  double x = require_number(v, at, "a fraction in [0, 1]");
  if (x < 0 || x > 1) throw InputError(at, fmt::format("expected a fraction in [0, 1], got {}", describe(v)));
  return x;
}

Reboot parse_reboot(const json& doc, const std::string& key) {
  const std::string at = "/" + key;
  const json& o = object_at(doc, key, "");
  check_keys(o, at, {"downtime", "degraded_period", "degradation"});
  Reboot r;
  r.downtime = parse_duration(require_key(o, "downtime", at), at + "/downtime");
  r.degraded_period = parse_duration(require_key(o, "degraded_period", at), at + "/degraded_period");
  r.degradation = fraction(require_key(o, "degradation", at), at + "/degradation");
  return r;
}

// Which curves a strategy needs, and over which i: V_d only from i = 2, since at i = 1 no VM is on
// the destination yet ((i−1)·V_d(i) = 0 in V_c).
MigrationCurves parse_curves(const json& o, const std::string& at, int n, bool live, bool required) {
  MigrationCurves c;
  if (!o.contains("curves")) {
    if (required)
      throw InputError(at + "/curves", "missing key (needed to derive γ unless \"gamma\" is given)");
    return c;
  }
  const std::string cat = at + "/curves";
  const json& cj = o["curves"];
  if (!cj.is_object()) throw InputError(cat, fmt::format("expected an object of curves, got {}", describe(cj)));
  if (live)
    check_keys(cj, cat, {"V_s", "V_m", "V_d", "M"});
  else
    check_keys(cj, cat, {"V_s", "V_d", "M"});
  auto get = [&](const char* name, int first) -> std::optional<Curve> {
    if (!cj.contains(name)) {
      if (required) throw InputError(cat + "/" + name, "missing key");
      return std::nullopt;
    }
    return parse_curve(cj[name], cat + "/" + name, first, n, /*positive=*/std::string(name) == "M");
  };
  c.V_s = get("V_s", 1);
  if (live) c.V_m = get("V_m", 1);
  c.V_d = get("V_d", 2);
  c.M = get("M", 1);
  return c;
}

std::optional<double> optional_gamma(const json& o, const std::string& at) {
  if (!o.contains("gamma")) return std::nullopt;
  return fraction(o["gamma"], at + "/gamma");
}

LiveMigration parse_live(const json& doc, const std::string& key, int n) {
  const std::string at = "/" + key;
  const json& o = object_at(doc, key, "");
  check_keys(o, at, {"total_time", "curves", "gamma"});
  LiveMigration l;
  l.total_time = parse_duration(require_key(o, "total_time", at), at + "/total_time");
  l.gamma = optional_gamma(o, at);
  l.curves = parse_curves(o, at, n, true, !l.gamma);
  return l;
}

}  // namespace

Params parse_params(const json& doc, const std::set<std::string>& ignore) {
  if (!doc.is_object()) throw InputError("/", fmt::format("expected a JSON object of parameters, got {}", describe(doc)));
  check_keys(doc, "",
             {"hosts", "vms_per_host", "host_throughput", "spares", "T_vmm", "T_os", "os", "warm", "cold",
              "migration", "live", "live_rate_control"},
             ignore);
  Params p;
  p.hosts = integer_at_least(doc, "hosts", "", 1);
  p.vms_per_host = integer_at_least(doc, "vms_per_host", "", 2, " (migration's γ divides by (n−1)/n·p)",
                                    kMaxVmsPerHost, " (every formula sums over the n VMs of a host)");
  {
    const json& v = require_key(doc, "host_throughput", "");
    double x = require_number(v, "/host_throughput", "a throughput > 0");
    // P = index·m·p must stay finite for every host count a command accepts.
    if (x <= 0) throw InputError("/host_throughput", fmt::format("expected a throughput > 0, got {}", describe(v)));
    if (!std::isfinite(x * kMaxHostCount))
      throw InputError("/host_throughput", fmt::format("expected a throughput whose total over {:g} hosts is finite, got {}",
                                                       kMaxHostCount, describe(v)));
    p.host_throughput = x;
  }
  if (doc.contains("spares")) p.spares = integer_at_least(doc, "spares", "", 0);
  p.T_vmm = positive_duration(doc, "T_vmm", "");
  p.T_os = positive_duration(doc, "T_os", "");
  p.os = parse_reboot(doc, "os");
  p.warm = parse_reboot(doc, "warm");
  p.cold = parse_reboot(doc, "cold");
  {
    const json& o = object_at(doc, "migration", "");
    check_keys(o, "/migration", {"downtime", "total_time", "curves", "gamma"});
    p.migration.downtime = parse_duration(require_key(o, "downtime", "/migration"), "/migration/downtime");
    if (o.contains("total_time"))
      p.migration.total_time = parse_duration(o["total_time"], "/migration/total_time");
    p.migration.gamma = optional_gamma(o, "/migration");
    p.migration.curves = parse_curves(o, "/migration", p.vms_per_host, false, !p.migration.gamma);
  }
  p.live = parse_live(doc, "live", p.vms_per_host);
  p.live_rate_control = parse_live(doc, "live_rate_control", p.vms_per_host);
  check_params(p);
  return p;
}

nlohmann::json load_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError::in_file(path.string(), "cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  auto place = [&](size_t byte) {  // 1-based line:column of the byte before `byte`, as nlohmann counts
    size_t line = 1, col = 1;
    for (size_t k = 0; k + 1 < byte && k < text.size(); ++k) {
      if (text[k] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return fmt::format("{}:{}:{}", path.string(), line, col);
  };
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (auto pos = what.find("parse error"); pos != std::string::npos) what = what.substr(pos);
    throw InputError::in_file(place(e.byte), "malformed JSON: " + what);
  } catch (const json::out_of_range& e) {
    // "number overflow parsing '1e400'": no position is given, so the number is found in the text.
    std::string what = e.what();
    const size_t open = what.find('\''), close = what.rfind('\'');
    size_t at = std::string::npos;
    if (open != std::string::npos && close > open) at = text.find(what.substr(open + 1, close - open - 1));
    if (auto pos = what.find("number overflow"); pos != std::string::npos) what = what.substr(pos);
    throw InputError::in_file(at == std::string::npos ? path.string() : place(at + 1),
                              "malformed JSON: " + what + " (beyond the range of a double)");
  }
}

std::string format_input_error(const std::string& file, const InputError& e) {
  if (e.in_file()) return fmt::format("{}: {}", e.where(), e.message());
  if (e.where().empty()) return fmt::format("{}: {}", file, e.message());
  return fmt::format("{}: {}: {}", file, e.where(), e.message());
}

}  // namespace rejuv
