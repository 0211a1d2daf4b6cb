#pragma once
// A duration that is either fixed or drawn from a distribution: a small checked value, sampled by
// inverse CDF on one uniform draw so that a stream's k-th duration depends only on its k-th draw.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "models/units.hpp"
#include "sim/random.hpp"

namespace rejuv::sim {

struct Distribution {
  enum class Kind : uint8_t { fixed, exponential, normal, lognormal, weibull, uniform, gamma };

  Distribution() = default;  // fixed at 0 s

  // The factories throw std::invalid_argument for parameters outside their domain (stated per
  // factory); input is checked earlier, with a JSON pointer, by parse_distribution.
  static Distribution fixed(Seconds value);       // value >= 0
  static Distribution exponential(Seconds mean);  // mean > 0
  // N(mean, sd^2) conditioned on being >= 0 (mean >= 0, sd > 0), sampled by the inverse CDF of
  // the truncated normal, never by resampling. mean() is the truncated mean, which exceeds `mean`.
  static Distribution normal(Seconds mean, Seconds sd);
  // Parametrised by the mean and standard deviation of the duration itself (both > 0), not of
  // its logarithm: sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2.
  static Distribution lognormal(Seconds mean, Seconds sd);
  static Distribution weibull(double shape,
                              Seconds scale);             // both > 0; F = 1 - exp(-(x/scale)^shape)
  static Distribution uniform(Seconds min, Seconds max);  // 0 <= min <= max
  static Distribution gamma(double shape, Seconds scale);  // both > 0; mean = shape * scale

  Kind kind() const { return kind_; }
  bool is_fixed() const { return kind_ == Kind::fixed; }
  // Uses exactly one uniform01() draw, whatever the kind (none for fixed).
  double sample(Rng& rng) const;
  double mean() const;
  // The distribution as parse_distribution reads it (seconds as plain numbers).
  nlohmann::json to_json() const;

 private:
  Distribution(Kind kind, double p1, double p2) : kind_(kind), p1_(p1), p2_(p2) {}
  Kind kind_ = Kind::fixed;
  double p1_ = 0;  // the parameters as given: value | mean | mean,sd | shape,scale | min,max
  double p2_ = 0;
  double c1_ = 0;  // derived at construction so that sample() does no setup
  double c2_ = 0;
};

std::string_view to_string(Distribution::Kind kind);

// A plain duration (3600, "41s", "1.5h") is a fixed value; an object names a distribution:
//   {"dist":"exponential","mean":"41s"}         {"dist":"normal","mean":"60s","sd":"5s"}
//   {"dist":"lognormal","mean":"60s","sd":"5s"} {"dist":"weibull","shape":1.5,"scale":"30d"}
//   {"dist":"uniform","min":"50s","max":"70s"}  {"dist":"gamma","shape":2,"mean":"41s"}
//   {"dist":"gamma","shape":2,"scale":"20.5s"}  {"dist":"fixed","value":"41s"}
// Durations accept units; shapes are plain numbers. Throws InputError with the pointer of the
// offending key (where + "/shape") and what was expected and found.
Distribution parse_distribution(const nlohmann::json& value, const std::string& where);

}  // namespace rejuv::sim
