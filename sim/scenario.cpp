#include "sim/scenario.hpp"

#include <fmt/format.h>

#include "models/input_error.hpp"
#include "models/params.hpp"
#include "models/units.hpp"
#include "sim/cluster/rejuvenation_run.hpp"

namespace rejuv::sim {

namespace {

// One row per kind; scenario.hpp says what a row provides.
const ScenarioKind kKinds[] = {
    {"rejuvenation", &check_rejuvenation, &run_rejuvenation, kRejuvenationSweepColumns, &rejuvenation_sweep_rows},
};

}  // namespace

std::vector<std::string> scenario_kinds() {
  std::vector<std::string> names;
  for (const auto& k : kKinds) names.emplace_back(k.name);
  return names;
}

nlohmann::json read_scenario(const std::filesystem::path& file) {
  return resolve_extends(load_json(file), file.parent_path());
}

nlohmann::json resolve_extends(nlohmann::json doc, const std::filesystem::path& folder) {
  if (!doc.is_object()) throw InputError("/", fmt::format("expected a scenario object, got {}", describe(doc)));
  if (!doc.contains("extends")) return doc;
  const auto& ext = doc["extends"];
  if (!ext.is_string()) throw InputError("/extends", fmt::format("expected a path to a parameter file, got {}", describe(ext)));
  const std::filesystem::path base_path = folder / ext.get<std::string>();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(base_path, ec))
    throw InputError("/extends", fmt::format("cannot open \"{}\" (resolved to {})", ext.get<std::string>(), base_path.string()));
  nlohmann::json base;
  try {
    base = load_json(base_path);
  } catch (const InputError& e) {
    throw InputError("/extends", fmt::format("in {}: {}", base_path.string(), e.what()));
  }
  if (!base.is_object()) throw InputError("/extends", fmt::format("{} is not a JSON object", base_path.string()));
  doc.erase("extends");
  base.merge_patch(doc);
  return base;
}

const ScenarioKind& scenario_kind(const nlohmann::json& doc) {
  const nlohmann::json& kind = require_key(doc, "kind", "");
  std::string known;
  for (const auto& k : kKinds) {
    if (kind.is_string() && kind.get<std::string>() == k.name) return k;
    known += (known.empty() ? "\"" : ", \"") + std::string(k.name) + "\"";
  }
  throw InputError("/kind", fmt::format("expected one of {}, got {}", known, describe(kind)));
}

OutputFiles run_scenario(const nlohmann::json& doc, const RunOptions& options) {
  return scenario_kind(doc).run(doc, options);
}

}  // namespace rejuv::sim
