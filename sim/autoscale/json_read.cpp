#include "sim/autoscale/json_read.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/input_error.hpp"

namespace rejuv::sim::autoscale::read {

using nlohmann::json;

void object_keys(const json& o, const std::string& where,
                 std::initializer_list<const char*> known) {
  if (!o.is_object())
    throw InputError(where.empty() ? "/" : where,
                     fmt::format("expected an object, got {}", describe(o)));
  for (const auto& [k, _] : o.items()) {
    if (k.starts_with("_")) continue;
    bool ok = false;
    std::string list;
    for (const char* n : known) {
      ok = ok || k == n;
      list += (list.empty() ? "" : ", ") + std::string(n);
    }
    if (!ok)
      throw InputError(where + "/" + k, fmt::format("unknown key (expected one of: {})", list));
  }
}

double number(const json& v, const std::string& where, double lo, double hi, const char* what) {
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo ||
      v.get<double>() > hi)
    throw InputError(where, fmt::format("expected {}, got {}", what, describe(v)));
  return v.get<double>();
}

double number_above(const json& v, const std::string& where, double lo, double hi,
                    const char* what) {
  const double x = number(v, where, lo, hi, what);
  if (x == lo) throw InputError(where, fmt::format("expected {}, got {}", what, describe(v)));
  return x;
}

long long integer(const json& v, const std::string& where, long long lo, long long hi) {
  if (!v.is_number_integer() ||
      (v.is_number_unsigned() && v.get<unsigned long long>() > (unsigned long long)hi) ||
      v.get<long long>() < lo || v.get<long long>() > hi)
    throw InputError(where,
                     fmt::format("expected an integer from {} to {}, got {}", lo, hi, describe(v)));
  return v.get<long long>();
}

double rate(const json& v, const std::string& where) {
  return number(v, where, 0, 1e15, "a rate ≥ 0 in requests/s");
}

bool boolean(const json& v, const std::string& where) {
  if (!v.is_boolean())
    throw InputError(where, fmt::format("expected true or false, got {}", describe(v)));
  return v.get<bool>();
}

std::string text(const json& v, const std::string& where, const char* what) {
  if (!v.is_string() || v.get<std::string>().empty())
    throw InputError(where, fmt::format("expected {}, got {}", what, describe(v)));
  return v.get<std::string>();
}

}  // namespace rejuv::sim::autoscale::read
