#pragma once
// The expectation file of `rejuv check` (data/kourai2007.expect.json is one): reading it, and
// writing it back with the values computed now (--update).
//
//
//   {
//     "_source": "...",                   keys starting with "_" are comments, kept by --update
//     "params": "kourai2007.json",        informational: the parameter file it was recorded from
//     "hosts": [10, 1000, 100000],        the host counts m at which index and throughput are
//     checked "tolerances": {                     all optional; the defaults are shown
//       "index": 1e-9,                    absolute, on P/(m·p)
//       "availability": 1e-9,             absolute, on A
//       "gamma": 1e-9,                    absolute, on γ or γ'
//       "throughput": 1e-9,               relative: |got − expected| ≤ tolerance · |expected|
//       "crossover_hosts": 0              hosts
//     },
//     "strategies": {                     all five strategies, each with
//       "migration": {
//         "availability": 0.99992…,       A (does not depend on m)
//         "gamma": 0.6023…,               γ or γ' (migration, live and live_rate_control only)
//         "index": {"10": …, …},          P/(m·p), one per host count
//         "throughput": {"10": …, …}      P in requests/s, one per host count
//       }, …
//     },
//     "crossovers": [                     the pairs to check; "hosts": null means "never"
//       {"strategy": "migration", "versus": "cold", "hosts": 11249}, …
//     ]
//   }
//
// Any expected number may be written {"value": x, "tolerance": t} to override its tolerance, and a
// crossover may carry its own "tolerance".
//
// Why each quantity is there: the index is P/(m·p), so p cancels out of it everywhere but in γ and
// γ'; the throughput P is what sees p. γ and γ' are compared on their own because a 1 % change of a
// curve coefficient moves γ by ~1e-4 but the index only by γ's share of it, (n−1)D_m/T_vmm ≈ 6e-5
// times that. The default tolerances, 1e-9, sit far above floating-point differences between
// compilers and libms (~1e-15 here) and far below the smallest move of a 1 % change of any
// parameter of data/kourai2007.json (tests/test_cli_check.cpp changes each one; the smallest moves
// are ~6e-8).
//
// --update recomputes every value and writes the file atomically, keeping its comments, host
// counts, tolerances (written out in full), per-entry overrides and crossover pairs. It records
// what is missing (a new host count, or a new file, which gets the default host counts and the
// crossovers of each migration strategy versus warm and cold) and drops values of host counts no
// longer listed.
#include <nlohmann/json.hpp>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/throughput.hpp"

namespace rejuv::cli {

struct Tolerances {
  double index = 1e-9;
  double availability = 1e-9;
  double gamma = 1e-9;
  double throughput = 1e-9;  // relative
  double crossover_hosts = 0;
};

inline const std::vector<long long> kDefaultHosts{10, 1000, 100000};
inline constexpr long long kMaxHosts = 1'000'000'000'000LL;

// One expected number: bare, or {"value": x, "tolerance": t, "_…": …}.
struct Entry {
  std::optional<double> value;  // absent until --update records it
  std::optional<double> tolerance;
  nlohmann::json comments = nlohmann::json::object();
  bool object_form = false;
};

struct StrategyExpectation {
  nlohmann::json comments = nlohmann::json::object();
  Entry availability, gamma;
  std::map<long long, Entry> index, throughput;
};

struct CrossoverExpectation {
  Strategy strategy = Strategy::Migration, versus = Strategy::Cold;
  bool recorded = false;           // "hosts" is present
  std::optional<long long> hosts;  // nullopt: never
  std::optional<double> tolerance;
  nlohmann::json comments = nlohmann::json::object();
};

struct Expectation {
  nlohmann::json comments = nlohmann::json::object();
  std::vector<long long> hosts = kDefaultHosts;
  Tolerances tol;
  nlohmann::json tolerance_comments = nlohmann::json::object();
  nlohmann::json strategy_comments = nlohmann::json::object();
  std::array<StrategyExpectation, kStrategies.size()> strategies;
  std::vector<CrossoverExpectation> crossovers;
};

inline size_t slot(Strategy s) { return static_cast<size_t>(s); }

// Which strategies the parameter file has a block for (a site may leave out those it has not
// measured): those left out need no values in the file, and --update writes none for them.
using StrategiesPresent = std::array<bool, kStrategies.size()>;
inline constexpr StrategiesPresent kAllStrategies{true, true, true, true, true};

// The entry of host count m, or an empty one.
Entry entry_for(const std::map<long long, Entry>& per_host, long long m);

// What the closed forms give now, per strategy.
struct Computed {
  double availability = 0;
  std::optional<double> gamma;
  std::map<long long, double> index, throughput;
};

// The closed forms' values now, for each strategy present, at the file's host counts.
std::array<Computed, kStrategies.size()> compute_now(const Params& p, const std::vector<long long>& hosts,
                                                     const StrategiesPresent& present = kAllStrategies);

// Reads an expectation file. With `update`, values may be missing (they are about to be recorded);
// the rest is checked alike. Throws InputError with the JSON path.
Expectation read_expectation(const nlohmann::json& doc, bool update,
                             const StrategiesPresent& present = kAllStrategies);

// The expectation file rewritten with the values computed now, keeping its comments, host counts,
// tolerances (written out in full), per-entry overrides and crossover pairs. `params_reference`
// is what "params" records.
std::string updated_expectation(const Expectation& x, const std::array<Computed, kStrategies.size()>& got,
                                const std::vector<std::optional<long long>>& crossovers,
                                const std::string& params_reference,
                                const StrategiesPresent& present = kAllStrategies);

// The parameter file as seen from the expectation file's folder, as "params" records it.
std::string params_reference(const std::string& params, const std::string& expect);

}  // namespace rejuv::cli
