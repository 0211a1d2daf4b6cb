#pragma once
// Small readers for the autoscale scenario's JSON values: each checks one value where it stands and
// throws InputError(where, "expected …, got …") naming its JSON path.
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "models/units.hpp"

namespace rejuv::sim::autoscale::read {

// `o` must be an object whose keys are all in `known` (keys starting with '_' are comments).
void object_keys(const nlohmann::json& o, const std::string& where,
                 std::initializer_list<const char*> known);
// A finite number in [lo, hi]; `what` says what is expected ("a fraction in (0, 1]").
double number(const nlohmann::json& v, const std::string& where, double lo, double hi,
              const char* what);
// A number in (lo, hi]: lo itself is refused.
double number_above(const nlohmann::json& v, const std::string& where, double lo, double hi,
                    const char* what);
// An integer in [lo, hi].
long long integer(const nlohmann::json& v, const std::string& where, long long lo, long long hi);
// A rate in requests/s: a finite number ≥ 0.
double rate(const nlohmann::json& v, const std::string& where);
bool boolean(const nlohmann::json& v, const std::string& where);
std::string text(const nlohmann::json& v, const std::string& where, const char* what);

}  // namespace rejuv::sim::autoscale::read
