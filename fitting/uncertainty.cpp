#include "fitting/uncertainty.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "fitting/random_draw.hpp"

namespace rejuv::fitting {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

void apply(Params& q, MigrationKind kind, const MigrationCurves& c, Seconds total, int n) {
  if (kind == MigrationKind::Migration) {
    q.migration.curves = c;
    q.migration.total_time = total;
    q.migration.downtime = total / n;
    q.migration.gamma.reset();
    return;
  }
  LiveMigration& l = kind == MigrationKind::Live ? q.live : q.live_rate_control;
  l.curves = c;
  l.total_time = total;
  l.gamma.reset();
}

Strategy strategy_of(MigrationKind k) {
  return k == MigrationKind::Migration ? Strategy::Migration
         : k == MigrationKind::Live    ? Strategy::Live
                                       : Strategy::LiveRateControl;
}

// Every quantity of one parameter set, in a fixed order.
struct Measure {
  std::vector<std::string> names;
  std::vector<double> values;
  void add(std::string n, double v) {
    names.push_back(std::move(n));
    values.push_back(v);
  }
};

Measure measure(const Params& q, const std::vector<MigrationFit>& fits,
                const std::vector<long long>& hosts,
                const std::vector<std::pair<Strategy, Strategy>>& pairs) {
  Measure m;
  for (const auto& f : fits) {
    const Strategy s = strategy_of(f.kind);
    m.add(fmt::format("gamma/{}", name(f.kind)), *terms(q, s).gamma);
    m.add(fmt::format("total_time_s/{}", name(f.kind)),
          f.kind == MigrationKind::Migration
              ? *q.migration.total_time
              : (f.kind == MigrationKind::Live ? q.live : q.live_rate_control).total_time);
  }
  for (Strategy s : kStrategies)
    for (long long h : hosts) m.add(fmt::format("index/{}@{}", name(s), h), index(q, s, double(h)));
  for (const auto& [a, b] : pairs) {
    auto c = crossover(q, a, b);
    m.add(fmt::format("crossover_hosts/{}>{}", name(a), name(b)), c ? double(*c) : kNever);
  }
  return m;
}

// Percentile at α of sorted values (infinite values sort last): nullopt when it falls among them.
std::optional<double> percentile(const std::vector<double>& v, double alpha) {
  const double h = alpha * double(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(h)), hi = static_cast<size_t>(std::ceil(h));
  if (std::isinf(v[hi]) || std::isinf(v[lo])) return std::nullopt;
  return v[lo] + (h - double(lo)) * (v[hi] - v[lo]);
}

Points resample(const Points& pts, const CurveFit& f, std::mt19937_64& g) {
  Points out;
  for (size_t k = 0; k < pts.size(); ++k)
    out.add(pts.i[k], f.fitted[k] + f.residuals[uniform_index(g, f.residuals.size())]);
  return out;
}

}  // namespace

BootstrapResult bootstrap(const Params& params, const std::vector<MigrationFit>& fits,
                          const BootstrapOptions& o) {
  const std::vector<long long> hosts =
      o.hosts.empty() ? std::vector<long long>{params.hosts} : o.hosts;
  auto pairs = o.crossovers;
  if (pairs.empty())
    for (const auto& f : fits) pairs.emplace_back(strategy_of(f.kind), Strategy::Cold);

  Params q0 = params;
  for (const auto& f : fits) apply(q0, f.kind, f.curves(), f.total_time, f.points.n);
  const Measure est = measure(q0, fits, hosts, pairs);

  std::mt19937_64 g(o.seed);
  std::vector<std::vector<double>> samples(est.values.size());
  for (int r = 0; r < o.replicates; ++r) {
    Params q = q0;
    for (const auto& f : fits) {
      // One stream, drawn in a fixed order: V_s, V_m, V_d, M of each fit in turn.
      MigrationCurves c;
      c.V_s = refit(resample(f.points.V_s, f.V_s, g), f.V_s).curve;
      if (is_live(f.kind)) c.V_m = refit(resample(f.points.V_m, f.V_m, g), f.V_m).curve;
      c.V_d = refit(resample(f.points.V_d, f.V_d, g), f.V_d).curve;
      const Points M = resample(f.points.M, f.M, g);
      c.M = refit(M, f.M).curve;
      double total = 0;
      for (double m : M.y) total += m;
      apply(q, f.kind, c, total, f.points.n);
    }
    const Measure m = measure(q, fits, hosts, pairs);
    for (size_t k = 0; k < m.values.size(); ++k) samples[k].push_back(m.values[k]);
  }

  BootstrapResult res;
  res.replicates = o.replicates;
  res.seed = o.seed;
  for (size_t k = 0; k < est.values.size(); ++k)
    res.intervals.push_back(percentile_interval(
        est.names[k], std::isinf(est.values[k]) ? std::nullopt : std::optional<double>(est.values[k]),
        std::move(samples[k])));
  return res;
}

Interval percentile_interval(std::string quantity, std::optional<double> estimate, std::vector<double> v) {
  Interval iv;
  iv.quantity = std::move(quantity);
  iv.estimate = estimate;
  if (!v.empty()) {
    std::sort(v.begin(), v.end());
    iv.never_fraction = double(std::count(v.begin(), v.end(), kNever)) / double(v.size());
    iv.lo = percentile(v, 0.025);
    iv.hi = percentile(v, 0.975);
  }
  return iv;
}

std::vector<std::vector<double>> resample_observations(
    size_t n, int replicates, uint64_t seed,
    const std::function<std::vector<double>(const std::vector<size_t>&)>& statistic) {
  std::mt19937_64 g(seed);
  std::vector<std::vector<double>> values;
  std::vector<size_t> idx(n);
  for (int r = 0; r < replicates; ++r) {
    for (auto& i : idx) i = size_t(uniform_index(g, n));
    const std::vector<double> v = statistic(idx);
    if (values.empty()) values.resize(v.size());
    for (size_t q = 0; q < v.size() && q < values.size(); ++q) values[q].push_back(v[q]);
  }
  return values;
}

nlohmann::json to_json(const BootstrapResult& r) {
  auto opt = [](const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  nlohmann::json ivs = nlohmann::json::array();
  for (const auto& iv : r.intervals) {
    nlohmann::json j = {{"quantity", iv.quantity},
                        {"estimate", opt(iv.estimate)},
                        {"lo", opt(iv.lo)},
                        {"hi", opt(iv.hi)}};
    if (iv.quantity.starts_with("crossover")) j["never_fraction"] = iv.never_fraction;
    ivs.push_back(j);
  }
  return {{"method", "residual bootstrap, same forms refitted, 2.5/97.5 % percentiles"},
          {"replicates", r.replicates},
          {"seed", r.seed},
          {"intervals", ivs}};
}

}  // namespace rejuv::fitting
