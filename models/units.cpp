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
  std::string text = value.dump();
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
