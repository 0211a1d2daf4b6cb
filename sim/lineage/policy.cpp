#include "sim/lineage/policy.hpp"

#include <array>
#include <utility>

namespace rejuv::sim::lineage {

namespace {
constexpr std::array<std::pair<Policy, std::string_view>, 5> kPolicies = {{
    {Policy::lineage, "lineage"},
    {Policy::restart, "restart"},
    {Policy::oblivious_skip, "oblivious-skip"},
    {Policy::oblivious_default, "oblivious-default"},
    {Policy::none, "none"},
}};
}  // namespace

std::string_view name(Policy p) {
  for (const auto& [v, n] : kPolicies)
    if (v == p) return n;
  return "?";
}

std::optional<Policy> parse_policy(std::string_view text) {
  for (const auto& [v, n] : kPolicies)
    if (n == text) return v;
  return std::nullopt;
}

std::string_view name(BlameMode b) { return b == BlameMode::nearest ? "nearest" : "failed-object"; }

std::optional<BlameMode> parse_blame_mode(std::string_view text) {
  if (text == "nearest") return BlameMode::nearest;
  if (text == "failed-object") return BlameMode::failed_object;
  return std::nullopt;
}

}  // namespace rejuv::sim::lineage
