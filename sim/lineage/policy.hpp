#pragma once
// How a pipeline answers an element's failure. `lineage` is the paper's (seed 000 §3.2.4); the
// others are what it is compared with: `restart` re-runs the chain from its source with the
// current state (the alternative §3.2.2 rejects), `oblivious-skip` and `oblivious-default` are
// failure-oblivious computing (seed 001 §(3)①: drop the failed element, or keep a default result
// in its place, and go on), and `none` stops at the first failure, as without lineage.
#include <optional>
#include <string_view>

namespace rejuv::sim::lineage {

enum class Policy : uint8_t { lineage, restart, oblivious_skip, oblivious_default, none };

// Which extraction function a failure walks back to. `nearest`: the one nearest the failed
// operation (the paper's implementation). `failed_object`: the one that chose the object the
// failure blames (§5.2's open problem: when the VM being migrated fails rather than its target
// host, draw another VM, not another host).
enum class BlameMode : uint8_t { nearest, failed_object };

std::string_view name(Policy p);
std::optional<Policy> parse_policy(std::string_view text);
std::string_view name(BlameMode b);
std::optional<BlameMode> parse_blame_mode(std::string_view text);

}  // namespace rejuv::sim::lineage
