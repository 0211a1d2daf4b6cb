// The hardware failure model both scenario kinds use (sim/failures.hpp): its keys, and that a host
// fails within a year with the stated probability (8 %: seed 000 §1, after Vishwanath & Nagappan),
// more readily once it has failed before.
#include <gtest/gtest.h>

#include "models/input_error.hpp"
#include "sim/failures.hpp"

namespace rejuv::sim {
namespace {

constexpr double kYear = 365 * 86400.0;

double fraction_within_a_year(const HardwareFailures& f, bool failed_before) {
  Rng rng(20260101);
  int within = 0;
  const int n = 200000;
  for (int k = 0; k < n; ++k) within += time_to_failure(f, failed_before, rng) <= kYear;
  return double(within) / n;
}

TEST(HardwareFailures, AHostFailsWithinAYearWithTheAnnualRate) {
  const HardwareFailures f = parse_hardware_failures(nlohmann::json::object(), "/failures");
  EXPECT_TRUE(f.enabled);
  EXPECT_EQ(f.annual_rate, 0.08);
  // 200,000 draws: the binomial sd of the fraction is 0.0006.
  EXPECT_NEAR(fraction_within_a_year(f, false), 0.08, 0.003);
  // Twice the hazard once failed: 1 - 0.92^2.
  EXPECT_NEAR(fraction_within_a_year(f, true), 1 - 0.92 * 0.92, 0.003);
  const HardwareFailures w =
      parse_hardware_failures({{"distribution", "weibull"}, {"shape", 2.0}}, "/failures");
  EXPECT_NEAR(fraction_within_a_year(w, false), 0.08, 0.003);
}

TEST(HardwareFailures, BadKeysNameTheirPath) {
  auto message = [](const nlohmann::json& j) {
    try {
      parse_hardware_failures(j, "/failures");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({{"anual_rate", 0.1}}),
            "/failures/anual_rate: unknown key (expected one of: annual_rate, distribution, shape, "
            "repeat_factor, repair)");
  EXPECT_EQ(message({{"annual_rate", 1.5}}),
            "/failures/annual_rate: expected a fraction in [0, 1), got 1.5");
  EXPECT_EQ(message({{"distribution", "weibull"}}),
            "/failures/shape: missing key (a Weibull failure process needs a shape)");
  EXPECT_EQ(message({{"repeat_factor", 0.5}}),
            "/failures/repeat_factor: expected a hazard multiplier ≥ 1, got 0.5");
}

}  // namespace
}  // namespace rejuv::sim
