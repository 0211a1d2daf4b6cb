#include <gtest/gtest.h>

#include <cmath>

#include "models/curve.hpp"
#include "models/input_error.hpp"

namespace rejuv {
namespace {

using nlohmann::json;

TEST(Curve, EvaluatesEveryForm) {
  EXPECT_DOUBLE_EQ(parse_curve(json(50), "/c", 1, 3)(2), 50);
  EXPECT_DOUBLE_EQ(parse_curve(json::parse(R"({"linear":[4.4,21]})"), "/c", 1, 11)(3), 4.4 * 3 + 21);
  EXPECT_DOUBLE_EQ(parse_curve(json::parse(R"({"exp":[-0.71,5.7]})"), "/c", 1, 11)(4), std::exp(-0.71 * 4 + 5.7));
  EXPECT_DOUBLE_EQ(parse_curve(json::parse(R"({"values":[1,2,3]})"), "/c", 1, 3)(3), 3);
  const Curve pw = parse_curve(json::parse(R"({"piecewise":[{"to":5,"f":50},{"from":6,"f":{"linear":[1,0]}}]})"), "/c", 1, 11);
  EXPECT_DOUBLE_EQ(pw(5), 50);
  EXPECT_DOUBLE_EQ(pw(6), 6);
}

TEST(Curve, JsonRoundTrips) {
  const json j = json::parse(R"({"piecewise":[{"from":2,"to":2,"f":22},{"from":3,"f":{"exp":[-0.71,5.7]}}]})");
  EXPECT_EQ(parse_curve(j, "/c", 2, 11).to_json(), j);
}

void expect_error(const json& j, int first, int last, const std::string& where, const std::string& fragment) {
  try {
    parse_curve(j, "/c", first, last);
    FAIL() << "accepted " << j.dump();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), where);
    EXPECT_NE(e.message().find(fragment), std::string::npos) << e.message();
  }
}

TEST(Curve, RefusesBadCurvesNamingThePlace) {
  expect_error(json::parse(R"({"values":[1,2]})"), 1, 3, "/c/values", "expected at least 3 values");
  expect_error(json::parse(R"({"cubic":[1,2]})"), 1, 3, "/c", "unknown curve form \"cubic\"");
  expect_error(json::parse(R"({"linear":[1]})"), 1, 3, "/c/linear", "expected [a, b]");
  expect_error(json::parse(R"({"piecewise":[{"to":2,"f":1},{"from":4,"f":2}]})"), 1, 5, "/c", "does not cover i = 3");
  expect_error(json::parse(R"({"piecewise":[{"to":2,"g":1}]})"), 1, 2, "/c/piecewise/0/g", "unknown key");
  expect_error(json::parse(R"({"piecewise":[{"from":3,"to":2,"f":1}]})"), 1, 2, "/c/piecewise/0", "from ≤ to");
  expect_error(json("fast"), 1, 2, "/c", "expected a curve");
}

}  // namespace
}  // namespace rejuv
