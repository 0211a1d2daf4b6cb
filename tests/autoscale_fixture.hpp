#pragma once
// Autoscale scenarios for tests: scenarios/ciel-apache.json (seed 004 §5, on data/ciel2018.json)
// with changes merged in, and one strategy's run of it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "sim/autoscale/autoscale_run.hpp"
#include "sim/autoscale/autoscale_sim.hpp"
#include "sim/scenario.hpp"

namespace rejuv::testing {

// The shipped scenario with `overrides` merged in (RFC 7386: null removes a key), except that a
// load trace given replaces the shipped one (a trace has one kind).
inline nlohmann::json ciel_apache(const nlohmann::json& overrides = nlohmann::json::object()) {
  nlohmann::json doc = sim::read_scenario(source_path("scenarios/ciel-apache.json"));
  nlohmann::json patch = overrides;
  if (patch.contains("load")) {
    for (const auto& [service, trace] : patch["load"].items()) doc["load"][service] = trace;
    patch.erase("load");
  }
  doc.merge_patch(patch);
  return doc;
}

inline sim::autoscale::AutoscaleResult run_strategy(const nlohmann::json& doc,
                                                    sim::autoscale::Strategy s,
                                                    sim::backends::Backend* backend = nullptr) {
  return sim::autoscale::simulate_autoscale(sim::autoscale::parse_autoscale_scenario(doc), s,
                                            backend);
}

// The first completed scale-out of a run (the test fails when there is none).
inline const sim::autoscale::ScaleOutRecord& first_scale_out(
    const sim::autoscale::AutoscaleResult& r) {
  for (const auto& s : r.scale_outs)
    if (s.done) return s;
  ADD_FAILURE() << "no scale-out completed";
  static const sim::autoscale::ScaleOutRecord none;
  return none;
}

// Each VM's CPU over the final window, by name (-1 when the VM did not run then).
inline double final_cpu(const sim::autoscale::AutoscaleResult& r, const std::string& vm) {
  for (const auto& [name, u] : r.vm_cpu_final)
    if (name == vm) return u;
  return -1;
}

}  // namespace rejuv::testing
