#include <gtest/gtest.h>

#include "models/input_error.hpp"
#include "models/units.hpp"

namespace rejuv {
namespace {

using nlohmann::json;

TEST(Duration, ParsesEveryUnitOfTheTable) {
  EXPECT_DOUBLE_EQ(parse_duration(json("41s"), "/x"), 41);
  EXPECT_DOUBLE_EQ(parse_duration(json("3min"), "/x"), 180);
  EXPECT_DOUBLE_EQ(parse_duration(json("1.5h"), "/x"), 5400);
  EXPECT_DOUBLE_EQ(parse_duration(json("28d"), "/x"), 28 * 86400);
  EXPECT_DOUBLE_EQ(parse_duration(json("2w"), "/x"), 14 * 86400);
  EXPECT_DOUBLE_EQ(parse_duration(json("250ms"), "/x"), 0.25);
  EXPECT_DOUBLE_EQ(parse_duration(json(59), "/x"), 59);
  EXPECT_DOUBLE_EQ(parse_duration(json(0), "/x"), 0);  // zero is the limit case, allowed
}

std::string error_of(const json& v, bool positive = false) {
  try {
    parse_duration(v, "/warm/downtime", positive);
  } catch (const InputError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(Duration, RefusesBadDurationsNamingThePath) {
  EXPECT_EQ(error_of(json(-5)), "/warm/downtime: expected a duration ≥ 0, got -5");
  EXPECT_EQ(error_of(json(0), true), "/warm/downtime: expected a duration > 0, got 0");
  EXPECT_NE(error_of(json("3 fortnights")).find("unknown unit \"fortnights\""), std::string::npos);
  EXPECT_NE(error_of(json("soon")).find("expected a duration ≥ 0"), std::string::npos);
  EXPECT_NE(error_of(json(true)).find("got true"), std::string::npos);
  EXPECT_EQ(error_of(json("-2d")), "/warm/downtime: expected a duration ≥ 0, got \"-2d\"");
}

}  // namespace
}  // namespace rejuv
