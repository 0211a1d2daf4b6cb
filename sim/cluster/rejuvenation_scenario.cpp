#include "sim/cluster/rejuvenation_scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/consistency.hpp"
#include "models/input_error.hpp"
#include "sim/seed.hpp"

namespace rejuv::sim {

using nlohmann::json;

std::string_view name(Stagger s) {
  switch (s) {
    case Stagger::Even: return "even";
    case Stagger::Random: return "random";
    case Stagger::Aligned: return "aligned";
  }
  return "?";
}
std::string_view name(Detail d) { return d == Detail::Host ? "host" : "vm"; }

bool RejuvenationScenario::deterministic() const {
  for (const Distribution* d :
       {&durations.os_down, &durations.os_degraded, &durations.warm_down, &durations.warm_degraded,
        &durations.cold_down, &durations.cold_degraded, &durations.migration_down, &durations.live_total,
        &durations.live_rc_total, &durations.spare_reboot})
    if (!d->is_fixed()) return false;
  return !failures.enabled && !aging.vmm && !aging.os && stagger != Stagger::Random;
}

namespace {

const std::set<std::string> kScenarioKeys{"kind",   "strategies", "horizon",  "seed",    "replications",
                                          "stagger", "detail",    "failures", "aging",   "extends",
                                          "spare_reboot", "timeline_rows", "precopy"};

// The durations of the parameter format that may be distributions in a scenario.
struct DurationSlot {
  const char* pointer;
  Distribution Durations::*field;
};
const DurationSlot kSlots[] = {
    {"/os/downtime", &Durations::os_down},
    {"/os/degraded_period", &Durations::os_degraded},
    {"/warm/downtime", &Durations::warm_down},
    {"/warm/degraded_period", &Durations::warm_degraded},
    {"/cold/downtime", &Durations::cold_down},
    {"/cold/degraded_period", &Durations::cold_degraded},
    {"/migration/downtime", &Durations::migration_down},
    {"/live/total_time", &Durations::live_total},
    {"/live_rate_control/total_time", &Durations::live_rc_total},
};

double number_in(const json& o, const std::string& key, const std::string& at, double lo, double hi, const char* what) {
  const json& v = o[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || v.get<double>() > hi)
    throw InputError(at + "/" + key, fmt::format("expected {}, got {}", what, describe(v)));
  return v.get<double>();
}

void check_object_keys(const json& o, const std::string& at, std::initializer_list<const char*> known) {
  if (!o.is_object()) throw InputError(at, fmt::format("expected an object, got {}", describe(o)));
  for (const auto& [k, _] : o.items()) {
    bool ok = k.starts_with("_");
    std::string list;
    for (const char* n : known) {
      ok = ok || k == n;
      list += (list.empty() ? "" : ", ") + std::string(n);
    }
    if (!ok) throw InputError(at + "/" + k, fmt::format("unknown key (expected one of: {})", list));
  }
}

Distribution aging_dist(const json& o, const std::string& at, Seconds& detection) {
  check_object_keys(o, at, {"shape", "scale", "detection"});
  if (o.contains("detection")) detection = parse_duration(o["detection"], at + "/detection");
  if (!o.contains("shape")) throw InputError(at + "/shape", "missing key");
  if (!o.contains("scale")) throw InputError(at + "/scale", "missing key");
  const double shape = number_in(o, "shape", at, 1e-9, 1e9, "a Weibull shape > 0");
  const Seconds scale = parse_duration(o["scale"], at + "/scale", true);
  return Distribution::weibull(shape, scale);
}

}  // namespace

RejuvenationScenario parse_rejuvenation_scenario(const json& doc_in) {
  if (!doc_in.is_object()) throw InputError("/", "expected a JSON object");
  RejuvenationScenario sc;
  json doc = doc_in;
  // Distributions first: each is parsed where it stands, and its mean goes to the parameter reader.
  for (const auto& slot : kSlots) {
    const json::json_pointer ptr(slot.pointer);
    if (!doc.contains(ptr)) continue;  // parse_params reports the missing key
    const json& v = doc[ptr];
    sc.durations.*slot.field = parse_distribution(v, slot.pointer);
    if (v.is_object()) doc[ptr] = (sc.durations.*slot.field).mean();
  }
  sc.params = parse_params(doc, kScenarioKeys);
  const Params& p = sc.params;
  if (doc.contains("precopy")) {
    if (doc.contains(json::json_pointer("/live_rate_control/total_time")) &&
        doc_in[json::json_pointer("/live_rate_control/total_time")].is_object())
      throw InputError("/precopy", "a pre-copy model and a distribution of live_rate_control's total_time exclude each other");
    sc.precopy = parse_precopy(doc["precopy"], "/precopy");
    sc.precopy->rate_control = true;  // it models live_rate_control
    try {
      sc.precopy_result = simulate_precopy(*sc.precopy);
    } catch (const std::invalid_argument& e) {
      throw InputError("/precopy", e.what());
    }
    // Every VM moves alike: M(i) is the model's time, M_l = n times it, for the closed form too.
    const Seconds per_vm = sc.precopy_result.total_time_s;
    if (!std::isfinite(per_vm) || per_vm <= 0)
      throw InputError("/precopy", fmt::format("expected a pre-copy model whose migration takes a finite time > 0, got {} s", per_vm));
    sc.params.live_rate_control.curves.M = Curve::constant(per_vm);
    sc.params.live_rate_control.total_time = p.vms_per_host * per_vm;
    sc.durations.live_rc_total = Distribution::fixed(p.vms_per_host * per_vm);
    try {
      check_strategy(sc.params, Strategy::LiveRateControl);
    } catch (const InputError& e) {
      throw InputError("/precopy", fmt::format("the pre-copy model's migration (M_l = n × {:g} s) does not fit: {}: {}",
                                               per_vm, e.where(), e.message()));
    }
  }

  // Durations given as plain values were parsed above too; n·D_m etc. are derived where used.
  sc.durations.spare_reboot = doc.contains("spare_reboot") ? parse_distribution(doc["spare_reboot"], "/spare_reboot")
                                                           : sc.durations.cold_down;

  {
    const json& s = require_key(doc, "strategies", "");
    if (!s.is_array() || s.empty())
      throw InputError("/strategies", fmt::format("expected a non-empty list of strategies, got {}", describe(s)));
    for (size_t k = 0; k < s.size(); ++k) {
      const std::string at = fmt::format("/strategies/{}", k);
      auto st = s[k].is_string() ? parse_strategy(s[k].get<std::string>()) : std::nullopt;
      if (!st)
        throw InputError(at, fmt::format("expected warm, cold, migration, live or live_rate_control, got {}", describe(s[k])));
      if (!has_block(sc.params, *st))
        throw InputError(at, fmt::format("the parameters have no \"{}\" block to simulate", name(*st)));
      sc.strategies.push_back(*st);
    }
  }
  sc.horizon = parse_duration(require_key(doc, "horizon", ""), "/horizon", true);
  sc.seed = read_seed(doc);
  if (doc.contains("replications")) {
    const json& r = doc["replications"];
    if (!r.is_number_integer() || r.get<long long>() < 1 || r.get<long long>() > 100000)
      throw InputError("/replications", fmt::format("expected an integer from 1 to 100000, got {}", describe(r)));
    sc.replications = r.get<int>();
  }
  if (doc.contains("timeline_rows")) {
    const json& r = doc["timeline_rows"];
    if (!r.is_number_integer() || r.get<long long>() < 1 || r.get<long long>() > 100000)
      throw InputError("/timeline_rows", fmt::format("expected an integer from 1 to 100000, got {}", describe(r)));
    sc.timeline_rows = r.get<int>();
  }
  if (doc.contains("stagger")) {
    const json& v = doc["stagger"];
    const std::string t = v.is_string() ? v.get<std::string>() : "";
    if (t == "even") sc.stagger = Stagger::Even;
    else if (t == "random") sc.stagger = Stagger::Random;
    else if (t == "aligned") sc.stagger = Stagger::Aligned;
    else throw InputError("/stagger", fmt::format("expected \"even\", \"random\" or \"aligned\", got {}", describe(v)));
  }
  if (doc.contains("detail")) {
    const json& v = doc["detail"];
    const std::string t = v.is_string() ? v.get<std::string>() : "";
    if (t == "host") sc.detail = Detail::Host;
    else if (t == "vm") sc.detail = Detail::Vm;
    else throw InputError("/detail", fmt::format("expected \"host\" or \"vm\", got {}", describe(v)));
  }
  if (doc.contains("failures")) sc.failures = parse_hardware_failures(doc["failures"], "/failures");
  if (doc.contains("aging")) {
    const json& a = doc["aging"];
    check_object_keys(a, "/aging", {"vmm", "os"});
    if (a.contains("vmm")) sc.aging.vmm = aging_dist(a["vmm"], "/aging/vmm", sc.aging.vmm_detection);
    if (a.contains("os")) sc.aging.os = aging_dist(a["os"], "/aging/os", sc.aging.os_detection);
  }
  for (Strategy s : sc.strategies) {
    const MigrationCurves* c = migration_curves(p, s);
    if (sc.detail == Detail::Vm && c && !c->M)
      throw InputError(fmt::format("/{}/curves", name(s)),
                       "missing key (\"detail\": \"vm\" moves each VM along the curves V_s, V_d, M (and V_m))");
  }
  // A host that crashes, fails, or is emptied by migration comes back by a cold reboot.
  const bool cold_needed = sc.failures.enabled || sc.aging.vmm ||
                           (!doc.contains("spare_reboot") &&
                            std::any_of(sc.strategies.begin(), sc.strategies.end(), uses_spares));
  if (cold_needed && !p.blocks.cold)
    throw InputError("/cold", "missing key (a crashed, failed or emptied host comes back by a cold reboot; give \"cold\", "
                              "or \"spare_reboot\" for migration alone)");
  for (Strategy s : sc.strategies)
    if (uses_spares(s) && p.hosts <= p.spares)
      throw InputError("/hosts", fmt::format("expected more hosts than spares ({}) for strategy {}, got {}", p.spares,
                                             name(s), p.hosts));
  if (const double events = expected_events(sc); !(events <= kMaxEventsPerRun))
    throw InputError("/horizon",
                     fmt::format("expected a run of at most {:g} events per strategy, got about {:g} (hosts × horizon × "
                                 "the rejuvenations, crashes and failures per second): shorten the horizon, use fewer "
                                 "hosts, or lengthen T_os, T_vmm or the aging scales",
                                 kMaxEventsPerRun, events));
  return sc;
}

double expected_events(const RejuvenationScenario& sc) {
  const Params& p = sc.params;
  const double n = p.vms_per_host;
  const double units = sc.detail == Detail::Vm ? n : 1.0;  // OS timers per host
  // The median, not the mean, of an aging distribution: a Weibull with a tiny shape has an infinite
  // mean but draws next to 0 half the time.
  auto per_second = [](const std::optional<Distribution>& d) {
    if (!d) return 0.0;
    const nlohmann::json w = d->to_json();  // aging is Weibull: {"shape", "scale"}
    const double median = w["scale"].get<double>() *
                          std::pow(std::log(2.0), 1.0 / w["shape"].get<double>());
    return 1.0 / median;
  };
  double rate = (n + 4) / p.T_vmm + units / p.T_os;  // one event per OS rejuvenation, at either level
  rate += per_second(sc.aging.vmm) + units * per_second(sc.aging.os);
  if (sc.failures.enabled) {
    const double year = 365.25 * 86400;
    rate += 3 * sc.failures.repeat_factor * -std::log1p(-sc.failures.annual_rate) / year;
  }
  return double(p.hosts) * sc.horizon * rate * sc.replications;
}

}  // namespace rejuv::sim
