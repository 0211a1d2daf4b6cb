#include "sim/distribution.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "models/input_error.hpp"

namespace rejuv::sim {

namespace {

// No promotion of double to long double inside Boost.Math: long double is 80, 64 or 128 bits
// depending on the platform, so promoting would make the same seed give different durations.
using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
using Normal = boost::math::normal_distribution<double, Policy>;
using LogNormal = boost::math::lognormal_distribution<double, Policy>;
using Gamma = boost::math::gamma_distribution<double, Policy>;

void check(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}

}  // namespace

std::string_view to_string(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::fixed:
      return "fixed";
    case Distribution::Kind::exponential:
      return "exponential";
    case Distribution::Kind::normal:
      return "normal";
    case Distribution::Kind::lognormal:
      return "lognormal";
    case Distribution::Kind::weibull:
      return "weibull";
    case Distribution::Kind::uniform:
      return "uniform";
    case Distribution::Kind::gamma:
      return "gamma";
  }
  return "?";
}

Distribution Distribution::fixed(Seconds value) {
  check(std::isfinite(value) && value >= 0, "Distribution::fixed: value must be >= 0");
  return Distribution(Kind::fixed, value, 0);
}

Distribution Distribution::exponential(Seconds mean) {
  check(std::isfinite(mean) && mean > 0, "Distribution::exponential: mean must be > 0");
  return Distribution(Kind::exponential, mean, 0);
}

Distribution Distribution::normal(Seconds mean, Seconds sd) {
  check(std::isfinite(mean) && mean >= 0 && std::isfinite(sd) && sd > 0,
        "Distribution::normal: need mean >= 0 and sd > 0");
  Distribution d(Kind::normal, mean, sd);
  const Normal n(mean, sd);
  d.c1_ = cdf(complement(n, 0.0));               // P(X > 0), the mass kept by the truncation
  d.c2_ = mean + sd * sd * pdf(n, 0.0) / d.c1_;  // truncated mean: mu + sd * phi(a) / (1 - Phi(a))
  return d;
}

Distribution Distribution::lognormal(Seconds mean, Seconds sd) {
  check(std::isfinite(mean) && mean > 0 && std::isfinite(sd) && sd > 0,
        "Distribution::lognormal: need mean > 0 and sd > 0");
  Distribution d(Kind::lognormal, mean, sd);
  const double sigma2 = std::log1p((sd / mean) * (sd / mean));
  d.c1_ = std::log(mean) - sigma2 / 2;  // mu of ln X
  d.c2_ = std::sqrt(sigma2);            // sigma of ln X
  return d;
}

Distribution Distribution::weibull(double shape, Seconds scale) {
  check(std::isfinite(shape) && shape > 0 && std::isfinite(scale) && scale > 0,
        "Distribution::weibull: need shape > 0 and scale > 0");
  Distribution d(Kind::weibull, shape, scale);
  d.c1_ = 1 / shape;
  return d;
}

Distribution Distribution::uniform(Seconds min, Seconds max) {
  check(std::isfinite(min) && std::isfinite(max) && 0 <= min && min <= max,
        "Distribution::uniform: need 0 <= min <= max");
  return Distribution(Kind::uniform, min, max);
}

Distribution Distribution::gamma(double shape, Seconds scale) {
  check(std::isfinite(shape) && shape > 0 && std::isfinite(scale) && scale > 0,
        "Distribution::gamma: need shape > 0 and scale > 0");
  return Distribution(Kind::gamma, shape, scale);
}

double Distribution::sample(Rng& rng) const {
  if (kind_ == Kind::fixed) return p1_;
  const double u = rng.uniform01();  // in (0, 1): every quantile below is finite
  switch (kind_) {
    case Kind::fixed:
      break;
    case Kind::exponential:
      return -p1_ * std::log(u);  // inverse of the survival exp(-x/mean)
    case Kind::normal:
      // Inverse of the truncated survival: S(x) = u * S(0), with S(0) = c1_. Working in the
      // upper tail keeps digits when the mean is many sd above 0; the clamp only absorbs rounding.
      return std::max(0.0, quantile(complement(Normal(p1_, p2_), u * c1_)));
    case Kind::lognormal:
      return quantile(LogNormal(c1_, c2_), u);
    case Kind::weibull:
      return p2_ * std::pow(-std::log(u), c1_);  // inverse of the survival
    case Kind::uniform:
      return p1_ + (p2_ - p1_) * u;
    case Kind::gamma:
      return quantile(Gamma(p1_, p2_), u);
  }
  return p1_;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::fixed:
      return p1_;
    case Kind::exponential:
      return p1_;
    case Kind::normal:
      return c2_;
    case Kind::lognormal:
      return p1_;
    case Kind::weibull:
      return p2_ * std::tgamma(1 + c1_);
    case Kind::uniform:
      return (p1_ + p2_) / 2;
    case Kind::gamma:
      return p1_ * p2_;
  }
  return p1_;
}

nlohmann::json Distribution::to_json() const {
  using nlohmann::json;
  switch (kind_) {
    case Kind::fixed:
      return p1_;
    case Kind::exponential:
      return json{{"dist", "exponential"}, {"mean", p1_}};
    case Kind::normal:
      return json{{"dist", "normal"}, {"mean", p1_}, {"sd", p2_}};
    case Kind::lognormal:
      return json{{"dist", "lognormal"}, {"mean", p1_}, {"sd", p2_}};
    case Kind::weibull:
      return json{{"dist", "weibull"}, {"shape", p1_}, {"scale", p2_}};
    case Kind::uniform:
      return json{{"dist", "uniform"}, {"min", p1_}, {"max", p2_}};
    case Kind::gamma:
      return json{{"dist", "gamma"}, {"shape", p1_}, {"scale", p2_}};
  }
  return p1_;
}

namespace {

// RFC 6901: "~" and "/" inside a key are written "~0" and "~1".
std::string pointer_to(const std::string& where, std::string_view key) {
  std::string out = where + "/";
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

struct Schema {
  Distribution::Kind kind;
  std::vector<std::string_view> required;
  std::vector<std::string_view> optional;
};

const std::array<Schema, 7>& schemas() {
  using K = Distribution::Kind;
  static const std::array<Schema, 7> table{{
      {K::fixed, {"value"}, {}},
      {K::exponential, {"mean"}, {}},
      {K::normal, {"mean", "sd"}, {}},
      {K::lognormal, {"mean", "sd"}, {}},
      {K::weibull, {"shape", "scale"}, {}},
      {K::uniform, {"min", "max"}, {}},
      {K::gamma, {"shape"}, {"scale", "mean"}},  // exactly one of the two
  }};
  return table;
}

std::string quoted_list(const std::vector<std::string_view>& keys) {
  std::string out;
  for (auto k : keys) out += fmt::format("{}\"{}\"", out.empty() ? "" : ", ", k);
  return out;
}

const char* kExample = R"({"dist":"exponential","mean":"41s"})";

}  // namespace

Distribution parse_distribution(const nlohmann::json& value, const std::string& where) {
  using K = Distribution::Kind;
  if (value.is_number() || value.is_string())
    return Distribution::fixed(parse_duration(value, where));
  if (!value.is_object()) {
    throw InputError(where, fmt::format("expected a duration such as \"41s\" or a distribution "
                                        "such as {}, got {}",
                                        kExample, describe(value)));
  }
  const std::string dist_at = where + "/dist";
  auto dist_it = value.find("dist");
  if (dist_it == value.end()) {
    throw InputError(dist_at, fmt::format("missing key: a distribution object names its kind, "
                                          "as in {}",
                                          kExample));
  }
  std::vector<std::string_view> names;
  for (const auto& s : schemas()) names.push_back(to_string(s.kind));
  const Schema* schema = nullptr;
  if (dist_it->is_string()) {
    for (const auto& s : schemas()) {
      if (to_string(s.kind) == dist_it->get_ref<const std::string&>()) schema = &s;
    }
  }
  if (schema == nullptr) {
    throw InputError(
        dist_at, fmt::format("expected one of {}, got {}", quoted_list(names), describe(*dist_it)));
  }
  const std::string_view name = to_string(schema->kind);

  std::vector<std::string_view> allowed = schema->required;
  allowed.insert(allowed.end(), schema->optional.begin(), schema->optional.end());
  for (const auto& [key, _] : value.items()) {
    if (key == "dist" || std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    throw InputError(pointer_to(where, key),
                     fmt::format("unexpected key \"{}\" for a {} distribution; expected {}", key,
                                 name, quoted_list(allowed)));
  }
  for (auto key : schema->required) {
    if (!value.contains(key)) {
      throw InputError(pointer_to(where, key),
                       fmt::format("missing key: a {} distribution needs {}", name,
                                   quoted_list(schema->required)));
    }
  }

  auto at = [&](std::string_view key) { return pointer_to(where, key); };
  // A duration that must be strictly positive.
  auto positive_duration = [&](std::string_view key) {
    const Seconds s = parse_duration(value.at(std::string(key)), at(key));
    if (!(s > 0)) {
      throw InputError(at(key), fmt::format("expected a duration > 0, got {}",
                                            describe(value.at(std::string(key)))));
    }
    return s;
  };
  auto positive_number = [&](std::string_view key) {
    const nlohmann::json& v = value.at(std::string(key));
    const double x = require_number(v, at(key), "a number > 0");
    if (!(x > 0))
      throw InputError(at(key), fmt::format("expected a number > 0, got {}", describe(v)));
    return x;
  };

  switch (schema->kind) {
    case K::fixed:
      return Distribution::fixed(parse_duration(value.at("value"), at("value")));
    case K::exponential:
      return Distribution::exponential(positive_duration("mean"));
    case K::normal: {
      const Seconds mean = parse_duration(value.at("mean"), at("mean"));
      return Distribution::normal(mean, positive_duration("sd"));
    }
    case K::lognormal: {
      const Seconds mean = positive_duration("mean");
      return Distribution::lognormal(mean, positive_duration("sd"));
    }
    case K::weibull: {
      const double shape = positive_number("shape");
      return Distribution::weibull(shape, positive_duration("scale"));
    }
    case K::uniform: {
      const Seconds min = parse_duration(value.at("min"), at("min"));
      const Seconds max = parse_duration(value.at("max"), at("max"));
      if (min > max) {
        throw InputError(at("max"), fmt::format("expected max ≥ min ({} s), got {} s", min, max));
      }
      return Distribution::uniform(min, max);
    }
    case K::gamma: {
      const double shape = positive_number("shape");
      const bool has_scale = value.contains("scale");
      const bool has_mean = value.contains("mean");
      if (has_scale == has_mean) {
        throw InputError(at(has_scale ? "mean" : "scale"),
                         has_scale ? "expected either \"scale\" or \"mean\" for a gamma "
                                     "distribution, got both"
                                   : "missing key: a gamma distribution needs \"shape\" and "
                                     "either \"scale\" or \"mean\"");
      }
      if (has_scale) return Distribution::gamma(shape, positive_duration("scale"));
      return Distribution::gamma(shape, positive_duration("mean") / shape);
    }
  }
  throw InputError(dist_at, "unreachable");
}

}  // namespace rejuv::sim
