#pragma once
// The checks every part of the lineage scenario reader makes the same way.
#include <fmt/format.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "models/input_error.hpp"
#include "models/units.hpp"

namespace rejuv::sim::lineage::reading {

using nlohmann::json;

inline std::string list_of(std::initializer_list<const char*> names) {
  std::string s;
  for (const char* n : names) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

inline void check_keys(const json& o, const std::string& at,
                       std::initializer_list<const char*> known) {
  if (!o.is_object())
    throw InputError(at.empty() ? "/" : at, fmt::format("expected an object, got {}", describe(o)));
  for (const auto& [k, _] : o.items()) {
    bool ok = k.starts_with("_");
    for (const char* n : known) ok = ok || k == n;
    if (!ok)
      throw InputError(at + "/" + k,
                       fmt::format("unknown key (expected one of: {})", list_of(known)));
  }
}

inline std::string text(const json& v, const std::string& at, const char* what) {
  if (!v.is_string()) throw InputError(at, fmt::format("expected {}, got {}", what, describe(v)));
  return v.get<std::string>();
}

inline size_t count(const json& v, const std::string& at) {
  if (!v.is_number_integer())
    throw InputError(at, fmt::format("expected a count (an integer ≥ 0), got {}", describe(v)));
  if (!v.is_number_unsigned() && v.get<long long>() < 0)
    throw InputError(at, fmt::format("expected a count ≥ 0, got {}", describe(v)));
  return v.get<size_t>();
}

inline double number_at_least(const json& v, const std::string& at, double lo) {
  const double x = require_number(v, at, fmt::format("a number ≥ {}", lo).c_str());
  if (x < lo) throw InputError(at, fmt::format("expected a number ≥ {}, got {}", lo, describe(v)));
  return x;
}

}  // namespace rejuv::sim::lineage::reading
