#include "cli/plan_inputs.hpp"

#include <fmt/format.h>

#include <cmath>

#include "cli/output.hpp"
#include "models/input_error.hpp"
#include "plots/csv_table.hpp"
#include "sim/cluster/rejuvenation_scenario.hpp"
#include "sim/scenario.hpp"

namespace rejuv::cli {

namespace {

using nlohmann::json;

// {"dist": …} as the simulator reads it, or the scenarios' Weibull shorthand {"shape", "scale"};
// plus "detection": how long a crash goes unnoticed.
sim::Distribution read_law(const json& o, const std::string& at, Seconds& detection) {
  if (!o.is_object()) throw InputError(at, fmt::format("expected an object naming a distribution, got {}", describe(o)));
  json law = o;
  if (law.contains("detection")) {
    detection = parse_duration(law["detection"], at + "/detection");
    law.erase("detection");
  }
  if (!law.contains("dist")) {  // the shorthand of a scenario's "aging" block
    for (const auto& [k, _] : law.items())
      if (!k.starts_with("_") && k != "shape" && k != "scale")
        throw InputError(at + "/" + k, "unknown key (expected \"dist\" with its parameters, or \"shape\" and "
                                       "\"scale\" of a Weibull, and optionally \"detection\")");
    for (const auto& [k, _] : law.items())
      if (k.starts_with("_")) law.erase(k);
    law["dist"] = "weibull";
  }
  for (auto it = law.begin(); it != law.end();) it = it.key().starts_with("_") ? law.erase(it) : std::next(it);
  return sim::parse_distribution(law, at);
}

LawSource law_source(std::string where, const sim::Distribution& d) {
  LawSource s;
  s.where = std::move(where);
  s.dist = d;
  return s;
}

void read_aging_file(const std::string& file, PlanInputs& in) {
  try {
    const json doc = load_json(file);
    if (!doc.is_object()) throw InputError("/", fmt::format("expected an object with \"vmm\" and/or \"os\", got {}", describe(doc)));
    for (const auto& [k, _] : doc.items())
      if (!k.starts_with("_") && k != "vmm" && k != "os")
        throw InputError("/" + k, "unknown key (expected \"vmm\" and/or \"os\")");
    if (!doc.contains("vmm") && !doc.contains("os")) throw InputError("/", "expected \"vmm\" and/or \"os\"");
    if (doc.contains("vmm")) {
      const sim::Distribution d = read_law(doc["vmm"], "/vmm", in.aging.vmm_detection);
      in.aging.vmm = aging_law_of(d, "/vmm");
      in.vmm = law_source(file + ": /vmm", d);
    }
    if (doc.contains("os")) {
      const sim::Distribution d = read_law(doc["os"], "/os", in.aging.os_detection);
      in.aging.os = aging_law_of(d, "/os");
      in.os = law_source(file + ": /os", d);
    }
  } catch (const InputError& e) {
    throw CliError(format_input_error(file, e));
  }
}

// component (optional: vmm), time (a duration), event (crash or censored).
void read_crash_times(const std::string& file, PlanInputs& in) {
  try {
    const plots::CsvTable t = plots::read_csv(file);
    const auto c_component = t.find("component");
    const size_t c_time = t.column("time"), c_event = t.column("event");
    std::vector<CrashObservation> obs[2];
    std::vector<int> first_line[2];
    for (const auto& row : t.rows) {
      int which = 0;
      if (c_component) {
        const std::string& c = row.cells[*c_component];
        if (c == "os") which = 1;
        else if (c != "vmm")
          throw InputError::in_file(t.place(row, *c_component), fmt::format("expected \"vmm\" or \"os\", got \"{}\"", c));
      }
      Seconds time = 0;
      try {
        time = parse_duration_text(row.cells[c_time], "", true);
      } catch (const InputError&) {
        throw InputError::in_file(t.place(row, c_time), fmt::format("expected a time to crash > 0 such as \"41.5d\" or "
                                                                    "3585600 (seconds), got \"{}\"",
                                                                    row.cells[c_time]));
      }
      const std::string& e = row.cells[c_event];
      if (e != "crash" && e != "censored")
        throw InputError::in_file(t.place(row, c_event),
                                  fmt::format("expected \"crash\" or \"censored\" (rejuvenated before crashing), got \"{}\"", e));
      obs[which].push_back({time, e == "crash"});
    }
    const char* names[] = {"vmm", "os"};
    bool any = false;
    for (int k = 0; k < 2; ++k) {
      if (obs[k].empty()) continue;
      any = true;
      const auto crashes = std::count_if(obs[k].begin(), obs[k].end(), [](const auto& o) { return o.crashed; });
      if (crashes < 3)
        throw InputError::in_file(file, fmt::format("expected at least 3 crash times of the {} to estimate its aging, got {}",
                                                    names[k], crashes));
      LawSource s;
      s.where = file;
      s.observed = obs[k];
      const AgingLaw law = AgingLaw::empirical(kaplan_meier(obs[k]));
      (k == 0 ? in.aging.vmm : in.aging.os) = law;
      (k == 0 ? in.vmm : in.os) = s;
    }
    if (!any) throw InputError::in_file(file, "no crash times after the header");
  } catch (const InputError& e) {
    throw CliError(format_input_error(file, e));
  }
}

}  // namespace

AgingLaw aging_law_of(const sim::Distribution& d, const std::string& where) {
  const json j = d.to_json();
  const std::string kind = d.is_fixed() ? "fixed" : j["dist"].get<std::string>();
  auto num = [&](const char* k) { return j[k].get<double>(); };
  if (kind == "fixed")
    throw InputError(where, "expected a distribution of the time to crash (weibull, gamma, lognormal, normal, uniform or "
                            "exponential), got a fixed time");
  AgingLaw law = kind == "exponential" ? AgingLaw::exponential(num("mean"))
                 : kind == "weibull"   ? AgingLaw::weibull(num("shape"), num("scale"))
                 : kind == "gamma"     ? AgingLaw::gamma(num("shape"), num("scale"))
                 : kind == "lognormal" ? AgingLaw::lognormal(num("mean"), num("sd"))
                 : kind == "normal"    ? AgingLaw::normal(num("mean"), num("sd"))
                 : kind == "uniform" && num("min") < num("max")
                     ? AgingLaw::uniform(num("min"), num("max"))
                     : throw InputError(where + "/max", "expected max > min: a uniform time to crash needs a range");
  if (law.hazard() == AgingLaw::Hazard::Decreasing)
    throw InputError(where + "/shape",
                     fmt::format("expected a shape ≥ 1: a {} time to crash with shape {:g} has a decreasing hazard, so "
                                 "rejuvenating can only lose and there is no optimum to plan",
                                 kind, num("shape")));
  return law;
}

std::string duration_text(Seconds s) {
  if (std::isinf(s)) return "never";
  if (s >= 86400) return fmt::format("{:.1f} d", s / 86400);
  if (s >= 3600) return fmt::format("{:.1f} h", s / 3600);
  if (s >= 60) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.0f} s", s);
}

PlanInputs read_plan_inputs(const std::string& file, const std::string& aging_file, const std::string& crash_file) {
  PlanInputs in;
  try {
    const json raw = load_json(file);
    if (raw.is_object() && raw.contains("kind")) {
      in.is_scenario = true;
      in.doc = sim::read_scenario(file);
      if (in.doc["kind"] != "rejuvenation")
        throw InputError("/kind", fmt::format("expected \"rejuvenation\" (rejuv plan reads parameter files and "
                                              "rejuvenation scenarios), got {}",
                                              describe(in.doc["kind"])));
      const sim::RejuvenationScenario sc = sim::parse_rejuvenation_scenario(in.doc);
      in.params = sc.params;
      in.aging.vmm_detection = sc.aging.vmm_detection;
      in.aging.os_detection = sc.aging.os_detection;
      if (sc.aging.vmm) {
        in.aging.vmm = aging_law_of(*sc.aging.vmm, "/aging/vmm");
        in.vmm = law_source(file + ": /aging/vmm", *sc.aging.vmm);
      }
      if (sc.aging.os) {
        in.aging.os = aging_law_of(*sc.aging.os, "/aging/os");
        in.os = law_source(file + ": /aging/os", *sc.aging.os);
      }
    } else {
      in.params = parse_params(raw);
      in.doc = raw;
    }
  } catch (const InputError& e) {
    throw CliError(format_input_error(file, e));
  }
  if (!aging_file.empty()) {  // replaces the scenario's aging model
    in.aging = {};
    in.vmm.reset();
    in.os.reset();
    read_aging_file(aging_file, in);
  }
  if (!crash_file.empty()) read_crash_times(crash_file, in);
  return in;
}

}  // namespace rejuv::cli
