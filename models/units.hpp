#pragma once
// Units are parsed here, at the edge, and nowhere else: everything inside rejuvkit is seconds.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace rejuv {

using Seconds = double;

// "41s", "3min", "1.5h", "28d", "2w", "250ms", or a plain number of seconds.
// Throws InputError(where, ...) for an unknown unit, a malformed number or a negative value.
// With `positive`, zero is refused too ("expected a duration > 0").
Seconds parse_duration(const nlohmann::json& value, const std::string& where, bool positive = false);
Seconds parse_duration_text(std::string_view text, const std::string& where, bool positive = false);

// The pieces of a JSON value that every reader checks the same way.
double require_number(const nlohmann::json& value, const std::string& where,
                      const char* expected);
const nlohmann::json& require_key(const nlohmann::json& object, const std::string& key,
                                  const std::string& where);
// Renders a JSON value for an error message, shortened if long.
std::string describe(const nlohmann::json& value);

}  // namespace rejuv

// Sizes and rates, read at the edge like durations: bytes and bits per second inside.
namespace rejuv {

// Bytes: a plain number, or "4KiB", "512MiB", "1GiB" (powers of 1024), "100kB", "1GB" (powers of
// 1000), "B". "KB" is refused as ambiguous. Throws InputError(where, ...) naming an unknown unit;
// negative values are refused, and with `positive` zero too.
double parse_bytes(const nlohmann::json& value, const std::string& where, bool positive = false);

// Bits per second: a plain number, or "100Mbit/s", "1Gbit/s", "500Mbps" (bits), "20MB/s" (bytes,
// = 160e6 bit/s), "20MiB/s". Same errors as parse_bytes.
double parse_bit_rate(const nlohmann::json& value, const std::string& where, bool positive = false);

}  // namespace rejuv
