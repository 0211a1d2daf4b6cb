#include "models/throughput.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rejuv {

std::string_view name(Strategy s) {
  switch (s) {
    case Strategy::Warm: return "warm";
    case Strategy::Cold: return "cold";
    case Strategy::Migration: return "migration";
    case Strategy::Live: return "live";
    case Strategy::LiveRateControl: return "live_rate_control";
  }
  return "?";
}

std::optional<Strategy> parse_strategy(std::string_view text) {
  for (Strategy s : kStrategies)
    if (name(s) == text) return s;
  return std::nullopt;
}

bool uses_spares(Strategy s) { return s != Strategy::Warm && s != Strategy::Cold; }

const MigrationCurves* migration_curves(const Params& p, Strategy s) {
  switch (s) {
    case Strategy::Migration: return &p.migration.curves;
    case Strategy::Live: return &p.live.curves;
    case Strategy::LiveRateControl: return &p.live_rate_control.curves;
    default: return nullptr;
  }
}

bool has_block(const Params& p, Strategy s) {
  switch (s) {
    case Strategy::Warm: return p.blocks.warm;
    case Strategy::Cold: return p.blocks.cold;
    case Strategy::Migration: return p.blocks.migration;
    case Strategy::Live: return p.blocks.live;
    case Strategy::LiveRateControl: return p.blocks.live_rate_control;
  }
  return false;
}

std::vector<Strategy> strategies_present(const Params& p) {
  std::vector<Strategy> out;
  for (Strategy s : kStrategies)
    if (has_block(p, s)) out.push_back(s);
  return out;
}

std::vector<Strategy> strategies_left_out(const Params& p) {
  std::vector<Strategy> out;
  for (Strategy s : kStrategies)
    if (!has_block(p, s)) out.push_back(s);
  return out;
}

std::string_view name(MigrationMode m) { return m == MigrationMode::ReturnBack ? "return_back" : "stay_on"; }

int moves_per_cycle(const Params& p) { return p.migration_mode == MigrationMode::ReturnBack ? 2 : 1; }

double N_w(const Params& p) { return std::max(0.0, (p.T_vmm - p.warm.downtime) / p.T_os); }
double N_c(const Params& p) { return std::max(0.0, (p.T_vmm - p.cold.downtime) / p.T_os); }
double N_c_floor(const Params& p) { return p.T_vmm <= p.T_os ? 0.0 : std::floor(N_c(p)); }
double N_m(const Params& p) {
  return std::max(0.0, (p.T_vmm - moves_per_cycle(p) * p.migration.downtime) / p.T_os);
}
double N_l(const Params& p) { return p.T_vmm / p.T_os; }

namespace {
// Σ M(i)/ΣM · ((n−i)V_s(i) + [V_m(i)] + (i−1)V_d(i)), i = 1..n
double weighted_sum(const Params& p, const MigrationCurves& c, bool with_moving) {
  const int n = p.vms_per_host;
  double M_t = 0;
  for (int i = 1; i <= n; ++i) M_t += (*c.M)(i);
  double sum = 0;
  for (int i = 1; i <= n; ++i) {
    double v = (n - i) * (*c.V_s)(i);
    if (with_moving) v += (*c.V_m)(i);
    if (i >= 2) v += (i - 1) * (*c.V_d)(i);
    sum += (*c.M)(i) / M_t * v;
  }
  return sum;
}
}  // namespace

double V_c(const Params& p) { return weighted_sum(p, p.migration.curves, false); }
double gamma_derived(const Params& p) {
  const int n = p.vms_per_host;
  return 1.0 - V_c(p) / ((n - 1.0) / n * p.host_throughput);
}
double V_c_prime(const Params& p, const LiveMigration& live) { return weighted_sum(p, live.curves, true); }
double gamma_prime_derived(const Params& p, const LiveMigration& live) {
  return 1.0 - V_c_prime(p, live) / p.host_throughput;
}
double gamma(const Params& p) { return p.migration.gamma ? *p.migration.gamma : gamma_derived(p); }
double gamma_prime(const Params& p, const LiveMigration& live) {
  return live.gamma ? *live.gamma : gamma_prime_derived(p, live);
}

Terms terms(const Params& p, Strategy s) {
  Terms t;
  t.strategy = s;
  const double T = p.T_vmm;
  const int n = p.vms_per_host;
  const double os_cost_downtime = p.os.downtime;
  const double os_cost_degraded = p.os.degradation * p.os.degraded_period;  // δ R_os
  switch (s) {
    case Strategy::Warm:  // eq. (1), (2)
      t.N_os = N_w(p);
      t.availability = 1.0 - (p.warm.downtime + t.N_os * os_cost_downtime) / T;
      t.vmm_degradation = p.warm.degradation * p.warm.degraded_period / T;
      break;
    case Strategy::Cold:  // eq. (3), (4)
      t.N_os = N_c_floor(p);
      t.availability = 1.0 - (p.cold.downtime + t.N_os * os_cost_downtime) / T;
      t.vmm_degradation = p.cold.degradation * p.cold.degraded_period / T;
      break;
    case Strategy::Migration:  // §3.3.1: A_m and γ(n−1)D_m, paid twice per cycle by return-back
      t.N_os = N_m(p);
      t.gamma = gamma(p);
      t.availability = 1.0 - (moves_per_cycle(p) * p.migration.downtime + t.N_os * os_cost_downtime) / T;
      t.vmm_degradation = moves_per_cycle(p) * *t.gamma * (n - 1) * p.migration.downtime / T;
      break;
    case Strategy::Live:
    case Strategy::LiveRateControl: {  // eq. (6)
      const LiveMigration& l = s == Strategy::Live ? p.live : p.live_rate_control;
      t.N_os = N_l(p);
      t.gamma = gamma_prime(p, l);
      t.availability = 1.0 - t.N_os * os_cost_downtime / T;
      t.vmm_degradation = moves_per_cycle(p) * *t.gamma * l.total_time / T;
      break;
    }
  }
  t.os_degradation = t.N_os * os_cost_degraded / T;
  return t;
}

double serving_hosts(const Params& p, Strategy s, double m) {
  return uses_spares(s) ? std::max(0.0, m - p.spares) : m;
}

double P(const Params& p, Strategy s, double m) { return index(p, s, m) * m * p.host_throughput; }

double index(const Params& p, const Terms& t, double m) {
  return t.per_host() * serving_hosts(p, t.strategy, m) / m;
}

double index(const Params& p, Strategy s, double m) { return index(p, terms(p, s), m); }

std::optional<long long> crossover(const Params& p, Strategy a, Strategy b) {
  const Terms ta = terms(p, a), tb = terms(p, b);
  auto beats = [&](long long m) { return index(p, ta, double(m)) > index(p, tb, double(m)); };
  const double sa = uses_spares(a) ? p.spares : 0, sb = uses_spares(b) ? p.spares : 0;
  // Below m0 some host count is clamped by the spares ((m − s) < 0 serves nothing): check directly.
  const long long m0 = std::max<long long>(2, static_cast<long long>(std::max(sa, sb)) + 1);
  for (long long m = 2; m < m0; ++m)
    if (beats(m)) return m;
  // From m0 on, index_x(m) = k_x (m − s_x)/m, so a beats b iff m (k_a − k_b) > k_a s_a − k_b s_b.
  const double ka = ta.per_host(), kb = tb.per_host();
  const double rhs = ka * sa - kb * sb;
  if (!(ka > kb)) return beats(m0) ? std::optional<long long>(m0) : std::nullopt;  // a's edge only shrinks with m
  const double threshold = rhs / (ka - kb);
  constexpr double kLimit = 1e15;  // beyond this the difference is below double precision anyway
  if (threshold > kLimit) return std::nullopt;
  long long m = std::max<long long>(m0, static_cast<long long>(std::floor(threshold)) + 1);
  // The closed form can be off by one in floating point: settle it on the indices themselves.
  while (m > m0 && beats(m - 1)) --m;
  for (int guard = 0; guard < 1000 && !beats(m); ++guard) ++m;
  return beats(m) ? std::optional<long long>(m) : std::nullopt;
}

}  // namespace rejuv
