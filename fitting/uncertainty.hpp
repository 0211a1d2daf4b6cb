#pragma once
// How far the fitted migration curves can be trusted, carried to the quantities the paper compares:
// a residual bootstrap. Each resample adds to each fitted curve's values at i its residuals drawn
// with replacement, refits the same form (the breakpoint searched again; fitting/curve_fit.hpp),
// and recomputes M_t, D_m, γ/γ′, each strategy's index at the given host counts
// (models/throughput.hpp) and the crossover host counts (models::crossover). The 95 % intervals are
// the 2.5 % and 97.5 % percentiles (linear interpolation between order statistics). The reboot
// parameters are held at their point estimates: their edges come from one curve each, with nothing
// to resample. Draws: std::mt19937_64 seeded with `seed`, uniform indices by hand
// (fitting/random_draw.hpp), so a seed gives the same intervals everywhere.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fitting/migration_fit.hpp"
#include "models/throughput.hpp"

namespace rejuv::fitting {

struct BootstrapOptions {
  int replicates = 200;
  uint64_t seed = 1;
  std::vector<long long> hosts;                           // empty: the parameter file's hosts
  std::vector<std::pair<Strategy, Strategy>> crossovers;  // empty: every migration kind versus cold
};

struct Interval {
  std::string quantity;  // "index/cold@1000", "crossover/migration>cold", "gamma/migration"
  std::optional<double> estimate;  // from the point fit; nullopt for a crossover that never happens
  std::optional<double> lo, hi;  // nullopt: the crossover never happens in that share of resamples
  double never_fraction = 0;     // crossovers: share of resamples with no crossover
};

struct BootstrapResult {
  int replicates = 0;
  uint64_t seed = 0;
  std::vector<Interval> intervals;
};

// `params` is the complete parameter set the fits went into; `fits` the migration fits to resample.
BootstrapResult bootstrap(const Params& params, const std::vector<MigrationFit>& fits,
                          const BootstrapOptions& o);

nlohmann::json to_json(const BootstrapResult& r);

// The same 95 % percentile interval for any quantity, from its replicate values (+inf stands for
// "never", as for a crossover: they sort last and never_fraction counts them).
Interval percentile_interval(std::string quantity, std::optional<double> estimate, std::vector<double> replicates);

// A nonparametric bootstrap of n observations: each of `replicates` resamples draws n indices with
// replacement (std::mt19937_64 seeded with `seed`, uniform_index), and `statistic` turns them into
// the values of several quantities. Returns values[quantity][replicate].
std::vector<std::vector<double>> resample_observations(
    size_t n, int replicates, uint64_t seed,
    const std::function<std::vector<double>(const std::vector<size_t>&)>& statistic);

}  // namespace rejuv::fitting
