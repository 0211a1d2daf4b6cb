#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "models/input_error.hpp"
#include "sim/distribution.hpp"

namespace {

using nlohmann::json;
using rejuv::InputError;
using rejuv::sim::Distribution;
using rejuv::sim::parse_distribution;
using rejuv::sim::Rng;
using rejuv::sim::Streams;
using Kind = Distribution::Kind;

struct Moments {
  double mean = 0;
  double sd = 0;
  double min = INFINITY;
};

// 200k draws from a fixed stream (seed 2024, stream "test/distribution").
Moments sample_moments(const Distribution& d, int n = 200000) {
  Rng rng = Streams(2024).get("test/distribution");
  double sum = 0, sum2 = 0, min = INFINITY;
  for (int i = 0; i < n; ++i) {
    const double x = d.sample(rng);
    sum += x;
    sum2 += x * x;
    min = std::min(min, x);
  }
  const double mean = sum / n;
  return {mean, std::sqrt(sum2 / n - mean * mean), min};
}

// Tolerances below are 5 standard errors of a 200k-draw mean, sd / sqrt(200000) * 5, rounded up.

TEST(Distribution, DefaultIsAFixedZero) {
  const Distribution d;
  EXPECT_TRUE(d.is_fixed());
  EXPECT_EQ(d.mean(), 0.0);
}

TEST(Distribution, FixedAlwaysReturnsItsValueAndDrawsNothing) {
  const Distribution d = Distribution::fixed(41);
  Rng rng = Streams(1).get("x"), untouched = Streams(1).get("x");
  EXPECT_EQ(d.sample(rng), 41.0);
  EXPECT_EQ(d.mean(), 41.0);
  EXPECT_EQ(rng.next(), untouched.next());
}

TEST(Distribution, ExponentialSampleMeanMatches) {
  const Moments m = sample_moments(Distribution::exponential(41));
  EXPECT_NEAR(m.mean, 41.0, 0.46);  // sd = 41
  EXPECT_NEAR(m.sd, 41.0, 0.5);
  EXPECT_GT(m.min, 0.0);
}

TEST(Distribution, NormalSampleMeanMatchesWhenTruncationIsNegligible) {
  const Distribution d = Distribution::normal(60, 5);
  const Moments m = sample_moments(d);
  EXPECT_NEAR(d.mean(), 60.0, 1e-12);  // 12 sd above 0
  EXPECT_NEAR(m.mean, 60.0, 0.06);
  EXPECT_NEAR(m.sd, 5.0, 0.05);
}

TEST(Distribution, TruncatedNormalIsNeverNegativeAndHasTheTruncatedMean) {
  // N(1, 2^2) given X >= 0: mean = 1 + 2 phi(0.5) / Phi(0.5) = 1 + 2 * 0.3520653 / 0.6914625.
  const Distribution d = Distribution::normal(1, 2);
  const double expected = 1 + 2 * 0.35206532676429952 / 0.69146246127401310;
  EXPECT_NEAR(d.mean(), expected, 1e-9);
  const Moments m = sample_moments(d);
  EXPECT_GE(m.min, 0.0);
  EXPECT_NEAR(m.mean, expected, 0.02);  // truncated sd ~ 1.4
  // Half-normal (mean 0): mean = sd * sqrt(2 / pi).
  const Moments half = sample_moments(Distribution::normal(0, 3));
  EXPECT_GE(half.min, 0.0);
  EXPECT_NEAR(half.mean, 3 * std::sqrt(2 / std::numbers::pi), 0.02);
}

TEST(Distribution, LognormalIsParametrisedByTheMeanAndSdOfTheDurationItself) {
  const Distribution d = Distribution::lognormal(60, 30);
  EXPECT_EQ(d.mean(), 60.0);
  const Moments m = sample_moments(d);
  EXPECT_NEAR(m.mean, 60.0, 0.34);
  EXPECT_NEAR(m.sd, 30.0, 0.9);  // 3 %: the sample sd of a skewed law converges slowly
  EXPECT_GT(m.min, 0.0);
}

TEST(Distribution, WeibullSampleMeanMatchesScaleTimesGamma) {
  // mean = 100 Gamma(1 + 1/1.5) = 90.27453, sd = 100 sqrt(Gamma(1 + 2/1.5) - Gamma(1 + 1/1.5)^2).
  const Distribution d = Distribution::weibull(1.5, 100);
  EXPECT_NEAR(d.mean(), 90.27452929, 1e-6);
  const Moments m = sample_moments(d);
  EXPECT_NEAR(m.mean, 90.2745, 0.7);  // sd = 61.3
  EXPECT_NEAR(m.sd, 61.29, 0.8);
}

TEST(Distribution, UniformStaysInsideItsBoundsWithTheMidpointMean) {
  const Distribution d = Distribution::uniform(50, 70);
  const Moments m = sample_moments(d);
  EXPECT_NEAR(m.mean, 60.0, 0.07);  // sd = 20 / sqrt(12)
  EXPECT_GT(m.min, 50.0);
  Rng rng(1);
  EXPECT_EQ(Distribution::uniform(5, 5).sample(rng), 5.0);
}

TEST(Distribution, GammaSampleMeanIsShapeTimesScale) {
  const Distribution d = Distribution::gamma(2, 20.5);
  EXPECT_EQ(d.mean(), 41.0);
  const Moments m = sample_moments(d);
  EXPECT_NEAR(m.mean, 41.0, 0.33);  // sd = sqrt(2) * 20.5
  EXPECT_NEAR(m.sd, 29.0, 0.5);
  EXPECT_GT(m.min, 0.0);
}

TEST(Distribution, SameStreamGivesTheSameDurations) {
  const Distribution d = Distribution::gamma(0.7, 10);
  Rng a = Streams(9).get("repair", 2), b = Streams(9).get("repair", 2);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(d.sample(a), d.sample(b));
}

TEST(Distribution, FactoriesRejectParametersOutsideTheirDomain) {
  EXPECT_THROW(Distribution::exponential(0), std::invalid_argument);
  EXPECT_THROW(Distribution::normal(5, 0), std::invalid_argument);
  EXPECT_THROW(Distribution::weibull(-1, 10), std::invalid_argument);
  EXPECT_THROW(Distribution::uniform(3, 2), std::invalid_argument);
}

// ---- parsing ----

TEST(ParseDistribution, APlainDurationIsFixed) {
  EXPECT_EQ(parse_distribution(json("41s"), "/d").kind(), Kind::fixed);
  EXPECT_EQ(parse_distribution(json("3min"), "/d").mean(), 180.0);
  EXPECT_EQ(parse_distribution(json(12.5), "/d").mean(), 12.5);
}

TEST(ParseDistribution, ReadsEveryKindWithUnits) {
  auto parse = [](const char* text) { return parse_distribution(json::parse(text), "/d"); };
  EXPECT_EQ(parse(R"({"dist":"exponential","mean":"41s"})").mean(), 41.0);
  EXPECT_EQ(parse(R"({"dist":"normal","mean":"1min","sd":"5s"})").kind(), Kind::normal);
  EXPECT_NEAR(parse(R"({"dist":"normal","mean":"1min","sd":"5s"})").mean(), 60.0, 1e-9);
  EXPECT_EQ(parse(R"({"dist":"lognormal","mean":"1h","sd":"10min"})").mean(), 3600.0);
  EXPECT_NEAR(parse(R"({"dist":"weibull","shape":1,"scale":"30d"})").mean(), 30 * 86400.0, 1e-6);
  EXPECT_EQ(parse(R"({"dist":"uniform","min":"50s","max":"70s"})").mean(), 60.0);
  EXPECT_EQ(parse(R"({"dist":"gamma","shape":2,"mean":"41s"})").mean(), 41.0);
  EXPECT_EQ(parse(R"({"dist":"gamma","shape":2,"scale":"41s"})").mean(), 82.0);
  EXPECT_EQ(parse(R"({"dist":"fixed","value":"2h"})").mean(), 7200.0);
}

TEST(ParseDistribution, ToJsonReadsBackAsTheSameDistribution) {
  for (const Distribution& d :
       {Distribution::fixed(3), Distribution::exponential(41), Distribution::normal(60, 5),
        Distribution::lognormal(60, 30), Distribution::weibull(1.5, 100),
        Distribution::uniform(1, 2), Distribution::gamma(2, 20.5)}) {
    const Distribution back = parse_distribution(d.to_json(), "/d");
    EXPECT_EQ(back.kind(), d.kind()) << d.to_json();
    EXPECT_EQ(back.mean(), d.mean()) << d.to_json();
  }
}

// Parses `text` at /warm/downtime and expects an InputError at `where` whose message contains
// each of `parts`.
void expect_error(const char* text, const std::string& where,
                  std::initializer_list<const char*> parts) {
  try {
    parse_distribution(json::parse(text), "/warm/downtime");
    ADD_FAILURE() << "no error for " << text;
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), where) << text;
    for (const char* part : parts) {
      EXPECT_NE(e.message().find(part), std::string::npos)
          << text << ": message \"" << e.message() << "\" lacks \"" << part << "\"";
    }
  }
}

TEST(ParseDistribution, UnknownKindNamesTheKnownOnes) {
  expect_error(R"({"dist":"poisson","mean":"41s"})", "/warm/downtime/dist",
               {"expected one of", "\"exponential\"", "\"gamma\"", "got \"poisson\""});
  expect_error(R"({"dist":3})", "/warm/downtime/dist", {"expected one of", "got 3"});
}

TEST(ParseDistribution, MissingDistKeyIsReported) {
  expect_error(R"({"mean":"41s"})", "/warm/downtime/dist", {"missing key"});
}

TEST(ParseDistribution, MissingParameterNamesWhatTheKindNeeds) {
  expect_error(R"({"dist":"normal","mean":"60s"})", "/warm/downtime/sd",
               {"missing key", "normal", "\"mean\", \"sd\""});
  expect_error(R"({"dist":"gamma","shape":2})", "/warm/downtime/scale",
               {"missing key", "\"scale\" or \"mean\""});
}

TEST(ParseDistribution, ExtraKeyIsRejectedWithThePointerToIt) {
  expect_error(R"({"dist":"exponential","mean":"41s","rate":0.1})", "/warm/downtime/rate",
               {"unexpected key \"rate\"", "exponential", "expected \"mean\""});
  expect_error(R"({"dist":"gamma","shape":2,"mean":"41s","scale":"3s"})", "/warm/downtime/mean",
               {"either \"scale\" or \"mean\"", "got both"});
  // A key with a slash is escaped in the pointer (RFC 6901).
  expect_error(R"({"dist":"exponential","mean":"41s","a/b":1})", "/warm/downtime/a~1b",
               {"unexpected key"});
}

TEST(ParseDistribution, NonPositiveShapeSaysWhatWasExpectedAndFound) {
  expect_error(R"({"dist":"weibull","shape":-1.5,"scale":"30d"})", "/warm/downtime/shape",
               {"expected a number > 0", "got -1.5"});
  expect_error(R"({"dist":"weibull","shape":0,"scale":"30d"})", "/warm/downtime/shape",
               {"expected a number > 0", "got 0"});
  expect_error(R"({"dist":"gamma","shape":"two","mean":"41s"})", "/warm/downtime/shape",
               {"expected a number > 0", "got \"two\""});
}

TEST(ParseDistribution, ZeroOrNegativeDurationsAreRejectedWhereAMeanMustBePositive) {
  expect_error(R"({"dist":"exponential","mean":"0s"})", "/warm/downtime/mean",
               {"expected a duration > 0", "got \"0s\""});
  expect_error(R"({"dist":"normal","mean":"60s","sd":0})", "/warm/downtime/sd",
               {"expected a duration > 0", "got 0"});
  expect_error(R"({"dist":"lognormal","mean":"-5s","sd":"1s"})", "/warm/downtime/mean",
               {"expected a duration ≥ 0", "-5s"});
  expect_error(R"({"dist":"weibull","shape":2,"scale":"3 parsecs"})", "/warm/downtime/scale",
               {"unknown unit"});
}

TEST(ParseDistribution, UniformWithMinAboveMaxPointsAtMax) {
  expect_error(R"({"dist":"uniform","min":"70s","max":"50s"})", "/warm/downtime/max",
               {"expected max ≥ min (70 s)", "got 50 s"});
}

TEST(ParseDistribution, AValueThatIsNeitherDurationNorObjectIsRejected) {
  expect_error("true", "/warm/downtime", {"expected a duration", "or a distribution", "got true"});
  expect_error("[1,2]", "/warm/downtime", {"got [1,2]"});
  expect_error("-3", "/warm/downtime", {"expected a duration ≥ 0", "got -3"});
}

}  // namespace
