#include "sim/failures.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/input_error.hpp"
#include "models/units.hpp"

namespace rejuv::sim {

namespace {

constexpr Seconds kYear = 365 * 86400.0;

double number_in(const nlohmann::json& o, const std::string& key, const std::string& at, double lo,
                 double hi, const char* what) {
  const nlohmann::json& v = o[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo ||
      v.get<double>() > hi)
    throw InputError(at + "/" + key, fmt::format("expected {}, got {}", what, describe(v)));
  return v.get<double>();
}

}  // namespace

HardwareFailures parse_hardware_failures(const nlohmann::json& f, const std::string& where) {
  if (!f.is_object())
    throw InputError(where, fmt::format("expected an object, got {}", describe(f)));
  for (const auto& [k, _] : f.items()) {
    if (k.starts_with("_") || k == "annual_rate" || k == "distribution" || k == "shape" ||
        k == "repeat_factor" || k == "repair")
      continue;
    throw InputError(
        where + "/" + k,
        "unknown key (expected one of: annual_rate, distribution, shape, repeat_factor, repair)");
  }
  HardwareFailures out;
  out.enabled = true;
  if (f.contains("annual_rate"))
    out.annual_rate = number_in(f, "annual_rate", where, 0, 0.999999, "a fraction in [0, 1)");
  const std::string dist = f.contains("distribution") && f["distribution"].is_string()
                               ? f["distribution"].get<std::string>()
                           : f.contains("distribution") ? "?"
                                                        : "exponential";
  if (dist == "weibull") {
    if (!f.contains("shape"))
      throw InputError(where + "/shape", "missing key (a Weibull failure process needs a shape)");
    out.weibull_shape = number_in(f, "shape", where, 1e-6, 1e6, "a Weibull shape > 0");
  } else if (dist != "exponential") {
    throw InputError(where + "/distribution",
                     fmt::format("expected \"exponential\" or \"weibull\", got {}",
                                 describe(f["distribution"])));
  } else if (f.contains("shape")) {
    throw InputError(where + "/shape", "a shape applies only to \"distribution\": \"weibull\"");
  }
  if (f.contains("repeat_factor"))
    out.repeat_factor = number_in(f, "repeat_factor", where, 1, 1e6, "a hazard multiplier ≥ 1");
  if (f.contains("repair")) out.repair = parse_distribution(f["repair"], where + "/repair");
  return out;
}

Seconds time_to_failure(const HardwareFailures& f, bool failed_before, Rng& rng) {
  double scale = kYear / std::pow(-std::log1p(-f.annual_rate), 1.0 / f.weibull_shape);
  if (failed_before) scale *= std::pow(f.repeat_factor, -1.0 / f.weibull_shape);
  return scale * std::pow(-std::log(rng.uniform01()), 1.0 / f.weibull_shape);
}

}  // namespace rejuv::sim
