#include "cli/expectation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "models/input_error.hpp"

namespace rejuv::cli {

namespace fs = std::filesystem;
using nlohmann::json;
using ojson = nlohmann::ordered_json;

Entry entry_for(const std::map<long long, Entry>& per_host, long long m) {
  const auto it = per_host.find(m);
  return it == per_host.end() ? Entry{} : it->second;
}

namespace {

// --- Reading the expectation file --------------------------------------------------------------

json comments_of(const json& object) {
  json c = json::object();
  for (const auto& [key, value] : object.items())
    if (key.starts_with("_")) c[key] = value;
  return c;
}

const json& object_at(const json& v, const std::string& at) {
  if (!v.is_object()) throw InputError(at, fmt::format("expected an object, got {}", describe(v)));
  return v;
}

void check_keys(const json& object, const std::string& at, const std::vector<std::string>& known) {
  for (const auto& [key, _] : object.items()) {
    if (key.starts_with("_") || std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw InputError(at + "/" + key, fmt::format("unknown key (expected one of: {})", list));
  }
}

double non_negative(const json& v, const std::string& at) {
  const double x = require_number(v, at, "a number ≥ 0");
  if (x < 0) throw InputError(at, fmt::format("expected a number ≥ 0, got {}", describe(v)));
  return x;
}

InputError missing(const std::string& at) {
  return InputError(at,
                    "missing key (run `rejuv check PARAMS --expect FILE --update` to record it)");
}

Strategy strategy_at(const json& v, const std::string& at) {
  const auto s = v.is_string() ? parse_strategy(v.get<std::string>()) : std::nullopt;
  if (!s)
    throw InputError(
        at, fmt::format("expected warm, cold, migration, live or live_rate_control, got {}",
                        describe(v)));
  return *s;
}

Entry read_entry(const json& v, const std::string& at, bool update) {
  Entry e;
  if (v.is_object()) {
    check_keys(v, at, {"value", "tolerance"});
    e.object_form = true;
    e.comments = comments_of(v);
    if (v.contains("value"))
      e.value = require_number(v["value"], at + "/value", "a number");
    else if (!update)
      throw missing(at + "/value");
    if (v.contains("tolerance")) e.tolerance = non_negative(v["tolerance"], at + "/tolerance");
    return e;
  }
  if (!v.is_number())
    throw InputError(at,
                     fmt::format("expected a number or {{\"value\": x, \"tolerance\": t}}, got {}",
                                 describe(v)));
  e.value = require_number(v, at, "a number");
  return e;
}

// {"10": …, "1000": …}: one entry per host count of "hosts". In a check every host count must be
// there and no other; --update records the missing ones and drops the others.
std::map<long long, Entry> read_per_host(const json& o, const std::string& at,
                                         const std::vector<long long>& hosts, bool update) {
  object_at(o, at);
  std::map<long long, Entry> out;
  for (const auto& [key, value] : o.items()) {
    if (key.starts_with("_")) continue;
    long long m = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), m);
    const bool listed = ec == std::errc() && end == key.data() + key.size() &&
                        std::find(hosts.begin(), hosts.end(), m) != hosts.end();
    if (!listed) {
      if (update) continue;
      throw InputError(at + "/" + key,
                       "not a host count listed in /hosts (list it there, or remove this entry)");
    }
    out[m] = read_entry(value, at + "/" + key, update);
  }
  if (!update)
    for (long long m : hosts)
      if (!out.count(m)) throw missing(fmt::format("{}/{}", at, m));
  return out;
}

std::vector<long long> read_hosts(const json& v) {
  if (!v.is_array() || v.empty())
    throw InputError("/hosts",
                     fmt::format("expected a non-empty array of host counts, got {}", describe(v)));
  std::vector<long long> hosts;
  for (size_t k = 0; k < v.size(); ++k) {
    const std::string at = fmt::format("/hosts/{}", k);
    const json& h = v[k];
    if (!h.is_number_integer() || h.get<long long>() < 1 || h.get<long long>() > kMaxHosts)
      throw InputError(at, fmt::format("expected an integer ≥ 1, got {}", describe(h)));
    if (std::find(hosts.begin(), hosts.end(), h.get<long long>()) != hosts.end())
      throw InputError(at, fmt::format("{} is listed twice", h.get<long long>()));
    hosts.push_back(h.get<long long>());
  }
  return hosts;
}

void read_tolerances(const json& v, Expectation& x) {
  object_at(v, "/tolerances");
  check_keys(v, "/tolerances", {"index", "availability", "gamma", "throughput", "crossover_hosts"});
  x.tolerance_comments = comments_of(v);
  const std::pair<const char*, double*> fields[] = {{"index", &x.tol.index},
                                                    {"availability", &x.tol.availability},
                                                    {"gamma", &x.tol.gamma},
                                                    {"throughput", &x.tol.throughput},
                                                    {"crossover_hosts", &x.tol.crossover_hosts}};
  for (const auto& [key, field] : fields)
    if (v.contains(key)) *field = non_negative(v[key], std::string("/tolerances/") + key);
}

void read_strategies(const json& v, Expectation& x, bool update, const StrategiesPresent& present) {
  object_at(v, "/strategies");
  x.strategy_comments = comments_of(v);
  for (const auto& [key, _] : v.items())
    if (!key.starts_with("_")) strategy_at(json(key), "/strategies/" + key);
  for (Strategy s : kStrategies) {
    const std::string at = fmt::format("/strategies/{}", name(s));
    if (!v.contains(name(s))) {
      if (update || !present[slot(s)]) continue;  // a strategy left out of the parameters needs no values
      throw missing(at);
    }
    const json& o = object_at(v[std::string(name(s))], at);
    StrategyExpectation& e = x.strategies[slot(s)];
    if (uses_spares(s))
      check_keys(o, at, {"availability", "gamma", "index", "throughput"});
    else
      check_keys(o, at, {"availability", "index", "throughput"});
    e.comments = comments_of(o);
    if (o.contains("availability"))
      e.availability = read_entry(o["availability"], at + "/availability", update);
    else if (!update)
      throw missing(at + "/availability");
    if (o.contains("gamma"))
      e.gamma = read_entry(o["gamma"], at + "/gamma", update);
    else if (!update && uses_spares(s))
      throw missing(at + "/gamma");
    if (o.contains("index"))
      e.index = read_per_host(o["index"], at + "/index", x.hosts, update);
    else if (!update)
      throw missing(at + "/index");
    if (o.contains("throughput"))
      e.throughput = read_per_host(o["throughput"], at + "/throughput", x.hosts, update);
    else if (!update)
      throw missing(at + "/throughput");
  }
}

void read_crossovers(const json& v, Expectation& x, bool update) {
  if (!v.is_array())
    throw InputError(
        "/crossovers",
        fmt::format("expected an array of {{\"strategy\", \"versus\", \"hosts\"}}, got {}",
                    describe(v)));
  for (size_t k = 0; k < v.size(); ++k) {
    const std::string at = fmt::format("/crossovers/{}", k);
    const json& o = object_at(v[k], at);
    check_keys(o, at, {"strategy", "versus", "hosts", "tolerance"});
    CrossoverExpectation c;
    c.comments = comments_of(o);
    c.strategy = strategy_at(require_key(o, "strategy", at), at + "/strategy");
    c.versus = strategy_at(require_key(o, "versus", at), at + "/versus");
    if (c.strategy == c.versus)
      throw InputError(at + "/versus",
                       fmt::format("expected a strategy other than \"{}\"", name(c.strategy)));
    for (size_t j = 0; j < x.crossovers.size(); ++j)
      if (x.crossovers[j].strategy == c.strategy && x.crossovers[j].versus == c.versus)
        throw InputError(at, fmt::format("{} versus {} is already at /crossovers/{}",
                                         name(c.strategy), name(c.versus), j));
    if (o.contains("hosts")) {
      const json& h = o["hosts"];
      if (!h.is_null() && (!h.is_number_integer() || h.get<long long>() < 2))
        throw InputError(
            at + "/hosts",
            fmt::format("expected an integer ≥ 2, or null for never, got {}", describe(h)));
      c.recorded = true;
      if (!h.is_null()) c.hosts = h.get<long long>();
    } else if (!update) {
      throw missing(at + "/hosts");
    }
    if (o.contains("tolerance")) c.tolerance = non_negative(o["tolerance"], at + "/tolerance");
    x.crossovers.push_back(std::move(c));
  }
}

}  // namespace

Expectation read_expectation(const json& doc, bool update, const StrategiesPresent& present) {
  object_at(doc, "/");
  check_keys(doc, "", {"params", "hosts", "tolerances", "strategies", "crossovers"});
  Expectation x;
  x.comments = comments_of(doc);
  if (doc.contains("params") && !doc["params"].is_string())
    throw InputError("/params", fmt::format("expected the parameter file's name, got {}",
                                            describe(doc["params"])));
  if (doc.contains("hosts")) x.hosts = read_hosts(doc["hosts"]);
  if (doc.contains("tolerances")) read_tolerances(doc["tolerances"], x);
  if (doc.contains("strategies"))
    read_strategies(doc["strategies"], x, update, present);
  else if (!update)
    throw missing("/strategies");
  if (doc.contains("crossovers")) {
    read_crossovers(doc["crossovers"], x, update);
  } else if (!update) {
    throw missing("/crossovers");
  } else {
    for (Strategy s : {Strategy::Migration, Strategy::Live, Strategy::LiveRateControl})
      for (Strategy b : {Strategy::Warm, Strategy::Cold}) {
        if (!present[slot(s)] || !present[slot(b)]) continue;
        CrossoverExpectation c;
        c.strategy = s;
        c.versus = b;
        x.crossovers.push_back(c);
      }
  }
  return x;
}

namespace {

// --- Writing the updated file ------------------------------------------------------------------

void append(ojson& out, const json& comments) {
  for (const auto& [key, value] : comments.items()) out[key] = ojson::parse(value.dump());
}

// Integral numbers (host counts, a tolerance of 0) without a ".0".
ojson number(double x) {
  if (x == std::floor(x) && std::abs(x) < 1e15) return static_cast<long long>(x);
  return x;
}

ojson entry_json(const Entry& e, double value) {
  if (!e.object_form) return value;
  ojson o = ojson::object();
  append(o, e.comments);
  o["value"] = value;
  if (e.tolerance) o["tolerance"] = number(*e.tolerance);
  return o;
}

}  // namespace

std::array<Computed, kStrategies.size()> compute_now(const Params& p, const std::vector<long long>& hosts,
                                                     const StrategiesPresent& present) {
  std::array<Computed, kStrategies.size()> got;
  for (Strategy s : kStrategies) {
    if (!present[slot(s)]) continue;
    const Terms t = terms(p, s);
    Computed& c = got[slot(s)];
    c.availability = t.availability;
    c.gamma = t.gamma;
    for (long long m : hosts) {
      c.index[m] = index(p, t, double(m));
      c.throughput[m] = P(p, s, double(m));
    }
  }
  return got;
}

std::string params_reference(const std::string& params, const std::string& expect) {
  std::error_code ec;
  const fs::path dir = fs::absolute(expect, ec).parent_path();
  const fs::path rel = fs::proximate(fs::absolute(params, ec), dir, ec);
  return ec ? params : rel.generic_string();
}

std::string updated_expectation(const Expectation& x, const std::array<Computed, kStrategies.size()>& got,
                                const std::vector<std::optional<long long>>& crossovers,
                                const std::string& params_ref, const StrategiesPresent& present) {
  ojson doc = ojson::object();
  append(doc, x.comments);
  doc["params"] = params_ref;
  doc["hosts"] = x.hosts;
  ojson tol = ojson::object();
  append(tol, x.tolerance_comments);
  tol["index"] = number(x.tol.index);
  tol["availability"] = number(x.tol.availability);
  tol["gamma"] = number(x.tol.gamma);
  tol["throughput"] = number(x.tol.throughput);
  tol["crossover_hosts"] = number(x.tol.crossover_hosts);
  doc["tolerances"] = tol;
  ojson strategies = ojson::object();
  append(strategies, x.strategy_comments);
  for (Strategy s : kStrategies) {
    if (!present[slot(s)]) continue;
    const StrategyExpectation& e = x.strategies[slot(s)];
    const Computed& c = got[slot(s)];
    ojson so = ojson::object();
    append(so, e.comments);
    so["availability"] = entry_json(e.availability, c.availability);
    if (c.gamma) so["gamma"] = entry_json(e.gamma, *c.gamma);
    ojson index = ojson::object(), throughput = ojson::object();
    for (long long m : x.hosts) {
      const std::string key = fmt::format("{}", m);
      index[key] = entry_json(entry_for(e.index, m), c.index.at(m));
      throughput[key] = entry_json(entry_for(e.throughput, m), c.throughput.at(m));
    }
    so["index"] = index;
    so["throughput"] = throughput;
    strategies[std::string(name(s))] = so;
  }
  doc["strategies"] = strategies;
  ojson list = ojson::array();
  for (size_t k = 0; k < x.crossovers.size(); ++k) {
    const CrossoverExpectation& e = x.crossovers[k];
    ojson co = ojson::object();
    append(co, e.comments);
    co["strategy"] = name(e.strategy);
    co["versus"] = name(e.versus);
    co["hosts"] = crossovers[k] ? ojson(*crossovers[k]) : ojson(nullptr);
    if (e.tolerance) co["tolerance"] = number(*e.tolerance);
    list.push_back(co);
  }
  doc["crossovers"] = list;
  return doc.dump(2) + "\n";
}


}  // namespace rejuv::cli
