// `rejuv check`: the closed forms on a parameter file against an expectation file, for CI: a change
// to the formulas or to the parameters that moves any result beyond its tolerance exits 1.
//
// The expectation file (data/kourai2007.expect.json is one):
//
//   {
//     "_source": "...",                   keys starting with "_" are comments, kept by --update
//     "params": "kourai2007.json",        informational: the parameter file it was recorded from
//     "hosts": [10, 1000, 100000],        the host counts m at which index and throughput are
//     checked "tolerances": {                     all optional; the defaults are shown
//       "index": 1e-9,                    absolute, on P/(m·p)
//       "availability": 1e-9,             absolute, on A
//       "gamma": 1e-9,                    absolute, on γ or γ'
//       "throughput": 1e-9,               relative: |got − expected| ≤ tolerance · |expected|
//       "crossover_hosts": 0              hosts
//     },
//     "strategies": {                     all five strategies, each with
//       "migration": {
//         "availability": 0.99992…,       A (does not depend on m)
//         "gamma": 0.6023…,               γ or γ' (migration, live and live_rate_control only)
//         "index": {"10": …, …},          P/(m·p), one per host count
//         "throughput": {"10": …, …}      P in requests/s, one per host count
//       }, …
//     },
//     "crossovers": [                     the pairs to check; "hosts": null means "never"
//       {"strategy": "migration", "versus": "cold", "hosts": 11249}, …
//     ]
//   }
//
// Any expected number may be written {"value": x, "tolerance": t} to override its tolerance, and a
// crossover may carry its own "tolerance".
//
// Why each quantity is there: the index is P/(m·p), so p cancels out of it everywhere but in γ and
// γ'; the throughput P is what sees p. γ and γ' are compared on their own because a 1 % change of a
// curve coefficient moves γ by ~1e-4 but the index only by γ's share of it, (n−1)D_m/T_vmm ≈ 6e-5
// times that. The default tolerances, 1e-9, sit far above floating-point differences between
// compilers and libms (~1e-15 here) and far below the smallest move of a 1 % change of any
// parameter of data/kourai2007.json (tests/test_cli_check.cpp changes each one; the smallest moves
// are ~6e-8).
//
// --update recomputes every value and writes the file atomically, keeping its comments, host
// counts, tolerances (written out in full), per-entry overrides and crossover pairs. It records
// what is missing (a new host count, or a new file, which gets the default host counts and the
// crossovers of each migration strategy versus warm and cold) and drops values of host counts no
// longer listed.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "models/input_error.hpp"
#include "models/throughput.hpp"

namespace rejuv::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ojson = nlohmann::ordered_json;

struct CheckOptions {
  std::string params, expect;
  bool update = false;
};

struct Tolerances {
  double index = 1e-9;
  double availability = 1e-9;
  double gamma = 1e-9;
  double throughput = 1e-9;  // relative
  double crossover_hosts = 0;
};

const std::vector<long long> kDefaultHosts{10, 1000, 100000};
constexpr long long kMaxHosts = 1'000'000'000'000LL;

// One expected number: bare, or {"value": x, "tolerance": t, "_…": …}.
struct Entry {
  std::optional<double> value;  // absent until --update records it
  std::optional<double> tolerance;
  json comments = json::object();
  bool object_form = false;
};

struct StrategyExpectation {
  json comments = json::object();
  Entry availability, gamma;
  std::map<long long, Entry> index, throughput;
};

struct CrossoverExpectation {
  Strategy strategy = Strategy::Migration, versus = Strategy::Cold;
  bool recorded = false;           // "hosts" is present
  std::optional<long long> hosts;  // nullopt: never
  std::optional<double> tolerance;
  json comments = json::object();
};

struct Expectation {
  json comments = json::object();
  std::vector<long long> hosts = kDefaultHosts;
  Tolerances tol;
  json tolerance_comments = json::object();
  json strategy_comments = json::object();
  std::array<StrategyExpectation, kStrategies.size()> strategies;
  std::vector<CrossoverExpectation> crossovers;
};

size_t slot(Strategy s) { return static_cast<size_t>(s); }

Entry entry_for(const std::map<long long, Entry>& per_host, long long m) {
  const auto it = per_host.find(m);
  return it == per_host.end() ? Entry{} : it->second;
}

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

void read_strategies(const json& v, Expectation& x, bool update, const Params& p) {
  object_at(v, "/strategies");
  x.strategy_comments = comments_of(v);
  for (const auto& [key, _] : v.items())
    if (!key.starts_with("_")) strategy_at(json(key), "/strategies/" + key);
  for (Strategy s : kStrategies) {
    const std::string at = fmt::format("/strategies/{}", name(s));
    if (!v.contains(name(s))) {
      if (update || !has_block(p, s)) continue;  // a strategy left out of the parameters needs no values
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

// With `update`, values may be missing (they are about to be recorded); the rest is checked alike.
Expectation read_expectation(const json& doc, bool update, const Params& p) {
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
    read_strategies(doc["strategies"], x, update, p);
  else if (!update)
    throw missing("/strategies");
  if (doc.contains("crossovers")) {
    read_crossovers(doc["crossovers"], x, update);
  } else if (!update) {
    throw missing("/crossovers");
  } else {
    for (Strategy s : {Strategy::Migration, Strategy::Live, Strategy::LiveRateControl})
      for (Strategy b : {Strategy::Warm, Strategy::Cold}) {
        if (!has_block(p, s) || !has_block(p, b)) continue;
        CrossoverExpectation c;
        c.strategy = s;
        c.versus = b;
        x.crossovers.push_back(c);
      }
  }
  return x;
}

// --- Comparing ---------------------------------------------------------------------------------

struct Computed {
  double availability = 0;
  std::optional<double> gamma;
  std::map<long long, double> index, throughput;
};

struct Report {
  std::vector<std::vector<std::string>> rows;
  int total = 0, drift = 0, recorded_new = 0;

  void add(std::string key, std::string expected, std::string got, std::string difference,
           std::string tolerance, const char* status) {
    ++total;
    if (std::string(status) == "DRIFT") ++drift;
    if (std::string(status) == "NEW") ++recorded_new;
    rows.push_back({std::move(key), std::move(expected), std::move(got), std::move(difference),
                    std::move(tolerance), status});
  }

  // |got − expected| ≤ tolerance, or relative to |expected| for a throughput.
  void number(const std::string& key, const Entry& e, double got, double file_tolerance,
              bool relative) {
    const double tol = e.tolerance.value_or(file_tolerance);
    const std::string tol_text = fmt::format("{:g}{}", tol, relative ? " rel" : "");
    if (!e.value) return add(key, "(none)", fmt::format("{:.12g}", got), "", tol_text, "NEW");
    double diff = got - *e.value;
    if (relative && *e.value != 0) diff /= std::abs(*e.value);
    const bool ok = std::abs(diff) <= tol;  // false for NaN
    add(key, fmt::format("{:.12g}", *e.value), fmt::format("{:.12g}", got),
        fmt::format("{:+.3e}{}", diff, relative ? " rel" : ""), tol_text, ok ? "OK" : "DRIFT");
  }
};

std::string hosts_text(std::optional<long long> m) { return m ? fmt::format("{}", *m) : "never"; }

Report compare(const Expectation& x, const std::array<Computed, kStrategies.size()>& got,
               const std::vector<std::optional<long long>>& crossovers, const Params& p) {
  Report r;
  for (Strategy s : strategies_present(p)) {
    const StrategyExpectation& e = x.strategies[slot(s)];
    const Computed& c = got[slot(s)];
    const std::string at = fmt::format("/strategies/{}", name(s));
    r.number(at + "/availability", e.availability, c.availability, x.tol.availability, false);
    if (c.gamma) r.number(at + "/gamma", e.gamma, *c.gamma, x.tol.gamma, false);
    for (long long m : x.hosts) {
      r.number(fmt::format("{}/index/{}", at, m), entry_for(e.index, m), c.index.at(m), x.tol.index,
               false);
      r.number(fmt::format("{}/throughput/{}", at, m), entry_for(e.throughput, m),
               c.throughput.at(m), x.tol.throughput, true);
    }
  }
  for (size_t k = 0; k < x.crossovers.size(); ++k) {
    const CrossoverExpectation& e = x.crossovers[k];
    if (!has_block(p, e.strategy) || !has_block(p, e.versus)) continue;
    const std::optional<long long> m = crossovers[k];
    const double tol = e.tolerance.value_or(x.tol.crossover_hosts);
    const std::string key =
        fmt::format("/crossovers/{}/hosts ({} over {})", k, name(e.strategy), name(e.versus));
    if (!e.recorded) {
      r.add(key, "(none)", hosts_text(m), "", fmt::format("{:g}", tol), "NEW");
    } else if (!e.hosts || !m) {
      r.add(key, hosts_text(e.hosts), hosts_text(m), "", fmt::format("{:g}", tol),
            e.hosts == m ? "OK" : "DRIFT");
    } else {
      const long long diff = *m - *e.hosts;
      r.add(key, hosts_text(e.hosts), hosts_text(m), fmt::format("{:+}", diff),
            fmt::format("{:g}", tol), std::abs(double(diff)) <= tol ? "OK" : "DRIFT");
    }
  }
  return r;
}

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

// The parameter file as seen from the expectation file's folder, as "params" records it.
std::string params_reference(const std::string& params, const std::string& expect) {
  std::error_code ec;
  const fs::path dir = fs::absolute(expect, ec).parent_path();
  const fs::path rel = fs::proximate(fs::absolute(params, ec), dir, ec);
  return ec ? params : rel.generic_string();
}

std::string updated_file(const CheckOptions& o, const Expectation& x,
                         const std::array<Computed, kStrategies.size()>& got,
                         const std::vector<std::optional<long long>>& crossovers, const Params& p) {
  ojson doc = ojson::object();
  append(doc, x.comments);
  doc["params"] = params_reference(o.params, o.expect);
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
  for (Strategy s : strategies_present(p)) {
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

// --- The command -------------------------------------------------------------------------------

void run_check(const CheckOptions& o) {
  const Params p = load_params_file(o.params);
  Expectation x;
  const bool create = o.update && !fs::exists(o.expect);
  try {
    x = read_expectation(create ? json::object() : load_json(o.expect), o.update, p);
  } catch (const InputError& e) {
    throw CliError(format_input_error(o.expect, e));
  }

  std::array<Computed, kStrategies.size()> got;
  for (Strategy s : strategies_present(p)) {
    const Terms t = terms(p, s);
    Computed& c = got[slot(s)];
    c.availability = t.availability;
    c.gamma = t.gamma;
    for (long long m : x.hosts) {
      c.index[m] = index(p, t, double(m));
      c.throughput[m] = P(p, s, double(m));
    }
  }
  std::vector<std::optional<long long>> crossovers;
  for (const auto& c : x.crossovers)  // a pair with a strategy left out keeps what was recorded
    crossovers.push_back(has_block(p, c.strategy) && has_block(p, c.versus) ? crossover(p, c.strategy, c.versus) : c.hosts);

  const Report r = compare(x, got, crossovers, p);
  std::string out = fmt::format("rejuv check: {} against {}\n", o.params, o.expect);
  if (const auto left = strategies_left_out(p); !left.empty()) {
    std::string names;
    for (Strategy s : left) names += (names.empty() ? "" : ", ") + std::string(name(s));
    out += fmt::format("left out: {} (no block in {}; not checked)\n", names, o.params);
  }
  out += render_table({"key", "expected", "got", "difference", "tolerance", "status"}, r.rows);
  if (o.update) {
    write_atomic(o.expect, updated_file(o, x, got, crossovers, p));
    out += fmt::format("{} {}: {} values recorded ({} drifted, {} new)\n",
                       create ? "created" : "updated", o.expect, r.total, r.drift, r.recorded_new);
    emit(out, "");
    return;
  }
  if (r.drift == 0) {
    out += fmt::format("all {} values within tolerance\n", r.total);
    emit(out, "");
    return;
  }
  out += fmt::format("{} of {} values DRIFT beyond their tolerance\n", r.drift, r.total);
  emit(out, "");
  throw CliError(
      fmt::format("{}: {} of {} values drift beyond their tolerance (if the change is intended, "
                  "rerun with --update)",
                  o.expect, r.drift, r.total),
      1);
}

}  // namespace

void add_check_command(CLI::App& app) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check",
                                     "Compare every strategy's index, availability, γ, throughput "
                                     "and the crossovers with an expectation file");
  cmd->footer(
      "Exit status: 0 every value within its tolerance (or --update done), 1 drift, 2 bad input.\n"
      "One line per value: its key (a JSON pointer into the expectation file), expected, got,\n"
      "difference, tolerance, and OK or DRIFT. The expectation format is described at the top of\n"
      "cli/check_cmd.cpp.\n\n"
      "Example (what this project's CI runs):\n"
      "  rejuv check data/kourai2007.json --expect data/kourai2007.expect.json\n"
      "After an intended change, record the new values (tolerances, host counts, comments kept):\n"
      "  rejuv check data/kourai2007.json --expect data/kourai2007.expect.json --update");
  cmd->add_option("params", o->params, "Parameter file (JSON)")->required();
  cmd->add_option("--expect", o->expect, "Expectation file (JSON)")->required();
  cmd->add_flag("--update", o->update,
                "Rewrite the expectation file with the values computed now (atomically)");
  cmd->callback([o] { run_check(*o); });
}

}  // namespace rejuv::cli
