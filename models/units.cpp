#include "models/units.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include "models/input_error.hpp"

namespace rejuv {

namespace {
// The one table of duration units.
constexpr std::array<std::pair<std::string_view, double>, 9> kUnits{{
    {"ms", 1e-3},
    {"s", 1.0},
    {"sec", 1.0},
    {"min", 60.0},
    {"h", 3600.0},
    {"hour", 3600.0},
    {"d", 86400.0},
    {"day", 86400.0},
    {"w", 7 * 86400.0},
}};

std::string unit_list() {
  std::string out;
  for (const auto& [name, _] : kUnits) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}
}  // namespace

std::string describe(const nlohmann::json& value) {
  // A string built from a command-line argument may hold bytes that are not UTF-8; shown as U+FFFD.
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

double require_number(const nlohmann::json& value, const std::string& where,
                      const char* expected) {
  if (!value.is_number()) throw InputError(where, fmt::format("expected {}, got {}", expected, describe(value)));
  double x = value.get<double>();
  if (!std::isfinite(x)) throw InputError(where, fmt::format("expected {}, got {}", expected, describe(value)));
  return x;
}

const nlohmann::json& require_key(const nlohmann::json& object, const std::string& key,
                                  const std::string& where) {
  if (!object.is_object()) throw InputError(where.empty() ? "/" : where, fmt::format("expected an object, got {}", describe(object)));
  auto it = object.find(key);
  if (it == object.end()) throw InputError(where + "/" + key, "missing key");
  return *it;
}

Seconds parse_duration_text(std::string_view text, const std::string& where, bool positive) {
  const char* bound = positive ? "> 0" : "≥ 0";
  auto bad = [&](const std::string& why) {
    return InputError(where, fmt::format("expected a duration {} such as \"41s\", \"3min\", \"1.5h\" or \"28d\", got \"{}\"{}",
                                         bound, text, why));
  };
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  double number = 0;
  auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), number);
  if (ec != std::errc()) throw bad("");
  std::string_view unit = text.substr(end - text.data());
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  while (!unit.empty() && unit.back() == ' ') unit.remove_suffix(1);
  if (unit.empty()) unit = "s";
  for (const auto& [name, scale] : kUnits) {
    if (unit == name) {
      double seconds = number * scale;
      if (!std::isfinite(seconds) || seconds < 0 || (positive && seconds == 0)) {
        throw InputError(where, fmt::format("expected a duration {}, got \"{}\"", bound, text));
      }
      return seconds;
    }
  }
  throw bad(fmt::format(" (unknown unit \"{}\"; known: {})", unit, unit_list()));
}

Seconds parse_duration(const nlohmann::json& value, const std::string& where, bool positive) {
  const char* bound = positive ? "> 0" : "≥ 0";
  if (value.is_string()) return parse_duration_text(value.get<std::string>(), where, positive);
  if (value.is_number()) {
    double seconds = value.get<double>();
    if (!std::isfinite(seconds) || seconds < 0 || (positive && seconds == 0)) {
      throw InputError(where, fmt::format("expected a duration {}, got {}", bound, describe(value)));
    }
    return seconds;
  }
  throw InputError(where, fmt::format("expected a duration {} (seconds, or a string such as \"41s\"), got {}", bound,
                                      describe(value)));
}

}  // namespace rejuv

// Sizes and bit rates. Each function has its own table; the parsing around them is shared.
namespace rejuv {

namespace {

using UnitTable = std::pair<std::string_view, double>;

// The one table of size units, in bytes. "KB" is left out on purpose: it means 1000 to some
// readers and 1024 to others; "kB" and "KiB" are not ambiguous.
constexpr std::array<UnitTable, 9> kByteUnits{{
    {"B", 1.0},
    {"kB", 1e3},
    {"MB", 1e6},
    {"GB", 1e9},
    {"TB", 1e12},
    {"KiB", 1024.0},
    {"MiB", 1024.0 * 1024},
    {"GiB", 1024.0 * 1024 * 1024},
    {"TiB", 1024.0 * 1024 * 1024 * 1024},
}};

// The one table of rate units, in bits per second. Case matters: "Mbps" is megabits, "MB/s"
// megabytes (× 8).
constexpr std::array<UnitTable, 15> kBitRateUnits{{
    {"bit/s", 1.0},
    {"kbit/s", 1e3},
    {"Mbit/s", 1e6},
    {"Gbit/s", 1e9},
    {"bps", 1.0},
    {"kbps", 1e3},
    {"Mbps", 1e6},
    {"Gbps", 1e9},
    {"B/s", 8.0},
    {"kB/s", 8e3},
    {"MB/s", 8e6},
    {"GB/s", 8e9},
    {"KiB/s", 8.0 * 1024},
    {"MiB/s", 8.0 * 1024 * 1024},
    {"GiB/s", 8.0 * 1024 * 1024 * 1024},
}};

// What each quantity is called in messages and how it is shown by example.
struct Quantity {
  const char* name;      // "a size in bytes"
  const char* examples;  // "\"1GiB\", \"512MiB\" or 4096"
};

template <std::size_t N>
double parse_with_units(const nlohmann::json& value, const std::string& where, bool positive,
                        const std::array<UnitTable, N>& units, const Quantity& quantity) {
  const char* bound = positive ? "> 0" : "≥ 0";
  auto refuse = [&](bool with_examples, const std::string& why = "") {
    const std::string examples = with_examples ? std::string(" such as ") + quantity.examples : "";
    return InputError(where, fmt::format("expected {} {}{}, got {}{}", quantity.name, bound,
                                         examples, describe(value), why));
  };
  auto checked = [&](double x) {
    if (!std::isfinite(x) || x < 0 || (positive && x == 0)) throw refuse(false);
    return x;
  };
  if (value.is_number()) return checked(value.get<double>());
  if (!value.is_string()) throw refuse(true);

  std::string_view text = value.get_ref<const std::string&>();
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc()) throw refuse(true);
  std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  while (!unit.empty() && unit.back() == ' ') unit.remove_suffix(1);
  if (unit.empty()) return checked(number);
  for (const auto& [name, scale] : units) {
    if (unit == name) return checked(number * scale);
  }
  std::string known;
  for (const auto& [name, _] : units) known += (known.empty() ? "" : ", ") + std::string(name);
  throw refuse(true, fmt::format(" (unknown unit \"{}\"; known: {})", unit, known));
}

}  // namespace

double parse_bytes(const nlohmann::json& value, const std::string& where, bool positive) {
  return parse_with_units(value, where, positive, kByteUnits,
                          {"a size in bytes", "\"1GiB\", \"512MiB\", \"100kB\" or 4096"});
}

double parse_bit_rate(const nlohmann::json& value, const std::string& where, bool positive) {
  return parse_with_units(
      value, where, positive, kBitRateUnits,
      {"a rate in bit/s", "\"100Mbit/s\", \"1Gbit/s\", \"500Mbps\" or \"20MB/s\""});
}

}  // namespace rejuv
