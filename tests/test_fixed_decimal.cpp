#include "cli/fixed_decimal.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

namespace {

using rejuv::cli::fixed_decimal;
using rejuv::cli::FixedDecimalBuffer;

std::string ours(double x, int digits) {
  FixedDecimalBuffer b;
  return std::string(fixed_decimal(x, digits, b));
}

std::string reference(double x, int digits) {
  char text[400];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, x, std::chars_format::fixed, digits);
  return std::string(text, end);
}

TEST(FixedDecimal, RoundsTheExactBinaryValueTiesToEvenAsPrintfDoes) {
  EXPECT_EQ(ours(0.125, 2), "0.12");  // exactly a tie: to even
  EXPECT_EQ(ours(0.375, 2), "0.38");
  EXPECT_EQ(ours(2.5, 0), "2");
  EXPECT_EQ(ours(3.5, 0), "4");
  EXPECT_EQ(ours(0.615, 2), "0.61");  // 0.61499999999999999112: not a tie in binary
  EXPECT_EQ(ours(0.99966426, 8), "0.99966426");
  EXPECT_EQ(ours(0.999999995, 8), "1.00000000");  // carries into the whole part
  EXPECT_EQ(ours(55981198.33, 2), "55981198.33");
  EXPECT_EQ(ours(0.0, 8), "0.00000000");
  EXPECT_EQ(ours(-0.0, 2), "-0.00");
  EXPECT_EQ(ours(-1e-20, 8), "-0.00000000");
  EXPECT_EQ(ours(-12.345, 2), "-12.35");  // -12.3450000000000006395
  EXPECT_EQ(ours(7.0, 0), "7");
}

TEST(FixedDecimal, MatchesToCharsAndFmtAtTheEdges) {
  const double edges[] = {std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::min(),
                          1e-300, 4.9e-9, 5e-9, 5.000000000000001e-9, 0.5, 1.5, 1e15, 9.2233720368547e12,
                          1.8446744073709552e10, 1.8446744073709552e17, 1.8446744073709552e19, 1e19, 1e22,
                          std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity(),
                          std::numeric_limits<double>::quiet_NaN()};
  for (double e : edges)
    for (double x : {e, -e})
      for (int d = 0; d <= 9; ++d) {
        EXPECT_EQ(ours(x, d), reference(x, d)) << x << " with " << d << " decimals";
        if (d == 8) {
          EXPECT_EQ(ours(x, d), fmt::format("{:.8f}", x)) << x;
        }
      }
}

TEST(FixedDecimal, MatchesToCharsOnRandomDoublesOfEveryMagnitude) {
  // Property, fixed LCG: random bit patterns with exponents from 2^-70 to 2^70 (where the integer
  // route and its rounding carry the work), and values on the 10^-d grid plus or minus a few ulps
  // (ties and near-ties).
  uint64_t s = 42;
  auto next = [&s] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return s;
  };
  for (int i = 0; i < 40000; ++i) {
    const uint64_t exponent = 1023 - 70 + next() % 141;
    const uint64_t bits = (next() & (uint64_t{1} << 63)) | exponent << 52 | (next() >> 12);
    const int d = static_cast<int>(next() % 10);
    const double x = std::bit_cast<double>(bits);
    ASSERT_EQ(ours(x, d), reference(x, d)) << x << " with " << d << " decimals";
    const double grid = static_cast<double>(next() % 100000000) / 1e8 + static_cast<double>(next() % 3) * 5e-9;
    const double near = std::bit_cast<double>(std::bit_cast<uint64_t>(grid) + next() % 5 - 2);
    ASSERT_EQ(ours(near, 8), reference(near, 8)) << near;
    ASSERT_EQ(ours(near, 2), reference(near, 2)) << near;
  }
}

}  // namespace
