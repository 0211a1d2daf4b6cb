#include "sim/seed.hpp"

#include <fmt/format.h>

#include "models/input_error.hpp"
#include "models/units.hpp"

namespace rejuv::sim {

uint64_t read_seed(const nlohmann::json& doc) {
  const nlohmann::json& s = require_key(doc, "seed", "");
  if (!s.is_number_integer() || (!s.is_number_unsigned() && s.get<long long>() < 0))
    throw InputError("/seed", fmt::format("expected an integer ≥ 0, got {}", describe(s)));
  return s.get<uint64_t>();
}

}  // namespace rejuv::sim
