// Scenarios of kind "lineage" (sim/lineage/scenario_spec.hpp). Whatever the kind's check accepts is
// then run, made small (at most 40 generated hosts, a horizon of two days, at most 100 requests):
// the run must end, with a summary.
#include <algorithm>

#include "fuzz_common.hpp"
#include "models/params.hpp"
#include "sim/lineage/lineage_run.hpp"
#include "sim/scenario.hpp"

namespace {
using nlohmann::json;
constexpr const char* kKind = "lineage";
constexpr size_t kMaxFuzzRequests = 100;
constexpr size_t kMaxFuzzHosts = 40;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  fuzz::scenario_of_kind(data, size, kKind, [](json& doc, const sim::ScenarioKind& kind) {
    // Small enough to read and run on every input: few hosts (a generator of up to 10^7 hosts is
    // legal, and would take seconds), two days, few requests. Counts the reader refuses stay as
    // they are, for it to refuse.
    if (doc.contains("hosts") && doc["hosts"].is_object() && doc["hosts"].contains("count")) {
      json& count = doc["hosts"]["count"];
      if (count.is_number_unsigned() && count.get<uint64_t>() > kMaxFuzzHosts)
        count = kMaxFuzzHosts;
    }
    if (doc.contains("hosts") && doc["hosts"].is_array() && doc["hosts"].size() > kMaxFuzzHosts)
      return;
    kind.check(doc);
    if (!doc.contains("horizon") || sim::lineage_request_count(doc) > kMaxFuzzRequests)
      doc["horizon"] = "2d";
    for (auto& p : doc["pipelines"])
      if (p.is_object() && p.contains("schedule") && p["schedule"].is_object())
        p["schedule"].erase("until");
    if (sim::lineage_request_count(doc) > kMaxFuzzRequests) return;
    fuzz::run_small(kind, doc);
  });
  return 0;
}
