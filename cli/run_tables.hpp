#pragma once
// The short table `rejuv run` prints on stdout after a run, one way per scenario kind, read from
// the summary.json the run wrote (the files hold everything; this is what a user reads first).
#include <nlohmann/json.hpp>
#include <string>

namespace rejuv::cli {

// The table for summary["kind"] (rejuvenation summaries have none: their results say it), or ""
// when there is nothing to show.
std::string run_table(const nlohmann::json& summary);

}  // namespace rejuv::cli
