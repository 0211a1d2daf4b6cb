#pragma once
// A double with a fixed number of decimals, the same text as printf("%.*f"), fmt's "{:.8f}" and
// std::to_chars(…, chars_format::fixed, digits): the exact binary value rounded to nearest, ties to
// even. `rejuv model` prints millions of rows; this does it in integer arithmetic, exactly, in a
// tenth of the time (x = M·2^E, so x·10^d = M·5^d·2^(E+d): a 128-bit product and a shift), and
// falls back to std::to_chars where the scaled value passes 2^64 or x is not finite.
#include <bit>
#include <charconv>
#include <cstdint>
#include <string_view>

namespace rejuv::cli {

struct FixedDecimalBuffer {
  char text[400];  // std::to_chars's longest fixed output for a double: 309 digits + decimals
};

inline std::string_view fixed_decimal(double x, int digits, FixedDecimalBuffer& buffer) {
  char* const first = buffer.text;
  char* const last = buffer.text + sizeof buffer.text;
  const uint64_t bits = std::bit_cast<uint64_t>(x);
  const int biased = static_cast<int>(bits >> 52 & 0x7ff);
  constexpr uint64_t kPow5[] = {1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125};
  if (biased != 0x7ff && digits >= 0 && digits <= 9) {
    const uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
    const uint64_t M = biased == 0 ? fraction : fraction | uint64_t{1} << 52;
    const int shift = (biased == 0 ? 1 : biased) - 1075 + digits;  // x·10^d = M·5^d·2^shift
    const unsigned __int128 N = static_cast<unsigned __int128>(M) * kPow5[digits];
    unsigned __int128 q = 0;
    bool fits = true;
    if (shift >= 0) {
      fits = shift < 64 && (N >> (64 - shift)) == 0;
      if (fits) q = N << shift;
    } else if (shift > -128) {
      const unsigned k = static_cast<unsigned>(-shift);
      q = N >> k;
      const unsigned __int128 rest = N & ((static_cast<unsigned __int128>(1) << k) - 1);
      const unsigned __int128 half = static_cast<unsigned __int128>(1) << (k - 1);
      if (rest > half || (rest == half && (q & 1))) ++q;
    }  // else x·10^d < 2^72 / 2^128: rounds to 0
    if (fits && (q >> 64) == 0) {
      uint64_t scaled = static_cast<uint64_t>(q);
      // Digits from the right: the decimals, the point, the whole part (at least "0").
      char* p = last;
      for (int i = 0; i < digits; ++i, scaled /= 10) *--p = static_cast<char>('0' + scaled % 10);
      if (digits > 0) *--p = '.';
      do {
        *--p = static_cast<char>('0' + scaled % 10);
        scaled /= 10;
      } while (scaled != 0);
      if (bits >> 63) *--p = '-';  // as printf: -0.0 and negatives that round to 0 keep the sign
      return {p, static_cast<size_t>(last - p)};
    }
  }
  const auto [end, ec] = std::to_chars(first, last, x, std::chars_format::fixed, digits);
  return {first, ec == std::errc{} ? static_cast<size_t>(end - first) : 0};
}

}  // namespace rejuv::cli
