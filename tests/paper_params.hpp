#pragma once
// The paper's parameter file, data/kourai2007.json (seed 003 §4, Table 1), loaded for tests.
#include "cli_runner.hpp"
#include "models/params.hpp"

namespace rejuv::testing {

inline nlohmann::json paper_json() { return load_json(source_path("data/kourai2007.json")); }
inline Params paper_params() { return parse_params(paper_json()); }

}  // namespace rejuv::testing
