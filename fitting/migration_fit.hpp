#pragma once
// From a measured migration curve set to the migration parameters of seed 003 §3.3 and §4.2:
// M(i) from each VM's migration_start/migration_end (the i-th VM to start is VM i); V_s(i), V_m(i)
// and V_d(i) as the time-weighted mean throughput, while VM i moves, of each VM still on the source
// (those that start later), of the moving VM, and of each VM already on the destination (those that
// started earlier); then each per-i curve fitted as Table 1 was (fitting/curve_fit.hpp); γ or γ′
// from the fitted curves with models/throughput.hpp, D_m = M_t / n, M_t (or M_l) = Σ M(i).
#include <string_view>

#include "fitting/curve_fit.hpp"
#include "fitting/curve_set.hpp"
#include "models/params.hpp"

namespace rejuv::fitting {

enum class MigrationKind { Migration, Live, LiveRateControl };
std::string_view name(MigrationKind k);
inline bool is_live(MigrationKind k) { return k != MigrationKind::Migration; }

struct MigrationFitOptions {
  Seconds baseline_window =
      60;  // p = the median host (or src) total in [first start − window, first start)
  int min_baseline_samples = 3;
};

// One move, as measured.
struct Move {
  int i = 0;
  std::string vm;
  Seconds start = 0, end = 0;
  double V_s = NAN, V_m = NAN, V_d = NAN;  // NaN where no VM is in that class
};

// The per-i points a fit starts from: measured (measure_migration) or written down (Table 1).
struct MigrationPoints {
  int n = 0;                // VMs moved
  double p = 0;             // host throughput before the first move
  Points V_s, V_m, V_d, M;  // V_m empty for plain migration
  std::vector<Move> moves;
  std::string p_source;  // which series gave p
  std::string mode;      // "per-vm" or "src/dst totals"
};

MigrationPoints measure_migration(const CurveSet& cs, MigrationKind kind,
                                  const MigrationFitOptions& o = {});

struct MigrationFit {
  MigrationKind kind = MigrationKind::Migration;
  MigrationPoints points;
  CurveFit V_s, V_m, V_d, M;  // V_m only for live kinds
  Seconds total_time = 0;     // Σ M(i): M_t, or M_l for live
  Seconds downtime = 0;       // D_m = M_t / n (plain migration)
  double gamma = 0;           // γ (migration) or γ′ (live), from the fitted curves and p

  MigrationCurves curves() const;
};

MigrationFit fit_migration(const MigrationPoints& pts, MigrationKind kind);
// γ (or γ′) of curves for n VMs and host throughput p, via models/throughput.hpp.
double derived_gamma(MigrationKind kind, int n, double p, const MigrationCurves& c,
                     Seconds total_time);

// {"downtime", "total_time", "curves"} for migration, {"total_time", "curves"} for live kinds.
nlohmann::json to_params_json(const MigrationFit& f);
nlohmann::json to_json(const MigrationFit& f);  // the fit report

}  // namespace rejuv::fitting
