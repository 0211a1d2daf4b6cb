#include "fitting/migration_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/input_error.hpp"
#include "models/throughput.hpp"

namespace rejuv::fitting {

std::string_view name(MigrationKind k) {
  switch (k) {
    case MigrationKind::Migration:
      return "migration";
    case MigrationKind::Live:
      return "live";
    case MigrationKind::LiveRateControl:
      return "live_rate_control";
  }
  return "?";
}

namespace {

std::string at(const CurveSet& cs, int line, int column = 1) {
  return fmt::format("{}:{}:{}", cs.events_file.string(), line, column);
}

// Each migration_start paired with the next migration_end of the same VM, in start order.
std::vector<Move> pair_moves(const CurveSet& cs) {
  cs.first_event("migration_start");  // none at all: an error naming events.csv
  std::vector<Move> moves;
  std::vector<bool> used(cs.events.size(), false);
  for (size_t k = 0; k < cs.events.size(); ++k) {
    const Event& s = cs.events[k];
    if (s.event != "migration_start") continue;
    for (const auto& m : moves)
      if (m.vm == s.subject && m.end > s.time)
        throw InputError::in_file(
            at(cs, s.line),
            fmt::format("{} starts migrating again before its previous migration_end", s.subject));
    size_t e = k + 1;
    while (e < cs.events.size() && !(cs.events[e].event == "migration_end" &&
                                     cs.events[e].subject == s.subject && !used[e]))
      ++e;
    if (e == cs.events.size())
      throw InputError::in_file(
          at(cs, s.line),
          fmt::format("expected a migration_end of {} after this migration_start", s.subject));
    used[e] = true;
    Move m;
    m.i = static_cast<int>(moves.size()) + 1;
    m.vm = s.subject;
    m.start = s.time;
    m.end = cs.events[e].time;
    moves.push_back(m);
  }
  return moves;
}

// The time-weighted mean over [a, b]; a series that does not reach both ends is an error.
double mean_over(const CurveSet& cs, const Series& s, Seconds a, Seconds b, const Move& m) {
  if (s.size() < 2 || s.t.front() > a || s.t.back() < b)
    throw InputError::in_file(
        cs.throughput_file.string(),
        fmt::format(
            "series \"{}\" does not span the move of {} (t = {} … {} s): it has {} sample(s)"
            "{}; at least 2, one at or before the start and one at or after the end, are needed",
            s.name, m.vm, a, b, s.size(),
            s.size() ? fmt::format(" from {} to {} s", s.t.front(), s.t.back()) : ""));
  // Only the samples taken during the move, where there are two or more: interpolating to a and b
  // would mix in the level before or after the move, which differs most at the first and last move.
  size_t first = std::lower_bound(s.t.begin(), s.t.end(), a) - s.t.begin();
  size_t last = std::upper_bound(s.t.begin(), s.t.end(), b) - s.t.begin();
  if (last >= first + 2 && s.t[last - 1] > s.t[first]) {
    const Series inside{s.name,
                        {s.t.begin() + long(first), s.t.begin() + long(last)},
                        {s.y.begin() + long(first), s.y.begin() + long(last)}};
    return time_mean(inside, inside.t.front(), inside.t.back());
  }
  return time_mean(s, a, b);
}

}  // namespace

MigrationPoints measure_migration(const CurveSet& cs, MigrationKind kind,
                                  const MigrationFitOptions& o) {
  MigrationPoints pts;
  pts.moves = pair_moves(cs);
  pts.n = static_cast<int>(pts.moves.size());
  if (pts.n < 2)
    throw InputError::in_file(
        cs.events_file.string(),
        fmt::format(
            "expected the moves of n ≥ 2 VMs (migration_start/migration_end pairs), found {}",
            pts.n));
  const int n = pts.n;

  // p: the host's total before the first move.
  const Seconds t0 = pts.moves.front().start;
  auto baseline_of = [&](const Series& s) {
    auto v = samples_in(s, t0 - o.baseline_window, t0);
    if (static_cast<int>(v.size()) < o.min_baseline_samples)
      throw InputError::in_file(
          cs.throughput_file.string(),
          fmt::format("series \"{}\" has {} sample(s) in the {} s before the first migration_start "
                      "at t = {} "
                      "s; at least {} are needed for the baseline p",
                      s.name, v.size(), o.baseline_window, t0, o.min_baseline_samples));
    return median(std::move(v));
  };
  bool per_vm = true;
  for (const auto& m : pts.moves) per_vm = per_vm && cs.has(m.vm);
  if (cs.has("host")) {
    pts.p = baseline_of(cs.series("host"));
    pts.p_source = "host";
  } else if (cs.has("src")) {
    pts.p = baseline_of(cs.series("src"));
    pts.p_source = "src";
  } else if (per_vm) {
    for (const auto& m : pts.moves) pts.p += baseline_of(cs.series(m.vm));
    pts.p_source = "sum of the vm series";
  } else {
    cs.series("host");  // throws, naming the header line
  }
  if (!(pts.p > 0))
    throw InputError::in_file(
        cs.throughput_file.string(),
        fmt::format("expected a host throughput p > 0 before the first move, got {}", pts.p));

  pts.mode = per_vm ? "per-vm" : "src/dst totals";
  for (auto& m : pts.moves) {
    const int i = m.i;
    if (per_vm) {
      double src = 0, dst = 0;
      for (const auto& other : pts.moves) {
        if (other.i == i) continue;
        const double v = mean_over(cs, cs.series(other.vm), m.start, m.end, m);
        (other.i > i ? src : dst) += v;
      }
      if (i < n) m.V_s = src / (n - i);
      if (i > 1) m.V_d = dst / (i - 1);
    } else {
      // Totals: src holds the VMs not yet moved, dst those already moved (the moving VM is in
      // neither).
      if (i < n) m.V_s = mean_over(cs, cs.series("src"), m.start, m.end, m) / (n - i);
      if (i > 1) m.V_d = mean_over(cs, cs.series("dst"), m.start, m.end, m) / (i - 1);
    }
    if (is_live(kind)) m.V_m = mean_over(cs, cs.series(m.vm), m.start, m.end, m);
    if (i < n) pts.V_s.add(i, m.V_s);
    if (i > 1) pts.V_d.add(i, m.V_d);
    if (is_live(kind)) pts.V_m.add(i, m.V_m);
    pts.M.add(i, m.end - m.start);
  }
  return pts;
}

MigrationCurves MigrationFit::curves() const {
  MigrationCurves c;
  c.V_s = V_s.curve;
  c.V_d = V_d.curve;
  c.M = M.curve;
  if (is_live(kind)) c.V_m = V_m.curve;
  return c;
}

double derived_gamma(MigrationKind kind, int n, double p, const MigrationCurves& c,
                     Seconds total_time) {
  Params q;
  q.vms_per_host = n;
  q.host_throughput = p;
  if (!is_live(kind)) {
    q.migration.curves = c;
    return gamma_derived(q);  // §3.3.1
  }
  LiveMigration l;
  l.total_time = total_time;
  l.curves = c;
  return gamma_prime_derived(q, l);  // §3.3.2
}

MigrationFit fit_migration(const MigrationPoints& pts, MigrationKind kind) {
  if (pts.n < 2 || pts.V_s.size() == 0 || pts.V_d.size() == 0 || pts.M.size() == 0 ||
      (is_live(kind) && pts.V_m.size() == 0))
    throw std::invalid_argument("fit_migration: expected n ≥ 2 and points for every curve");
  MigrationFit f;
  f.kind = kind;
  f.points = pts;
  f.V_s = fit_curve(pts.V_s);
  f.V_d = fit_curve(pts.V_d);
  f.M = fit_curve(pts.M);
  if (is_live(kind)) f.V_m = fit_curve(pts.V_m);
  for (double m : pts.M.y) f.total_time += m;
  f.downtime = f.total_time / pts.n;  // §3.3.1: "M_t/n が D_m である"
  f.gamma = derived_gamma(kind, pts.n, pts.p, f.curves(), f.total_time);
  return f;
}

nlohmann::json to_params_json(const MigrationFit& f) {
  nlohmann::json curves = {
      {"V_s", f.V_s.curve.to_json()}, {"V_d", f.V_d.curve.to_json()}, {"M", f.M.curve.to_json()}};
  if (is_live(f.kind)) curves["V_m"] = f.V_m.curve.to_json();
  nlohmann::json j;
  if (!is_live(f.kind)) j["downtime"] = f.downtime;
  j["total_time"] = f.total_time;
  j["curves"] = curves;
  return j;
}

nlohmann::json to_json(const MigrationFit& f) {
  nlohmann::json moves = nlohmann::json::array();
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  for (const auto& m : f.points.moves)
    moves.push_back({{"i", m.i},
                     {"vm", m.vm},
                     {"start_s", m.start},
                     {"end_s", m.end},
                     {"M_s", m.end - m.start},
                     {"V_s", num(m.V_s)},
                     {"V_m", num(m.V_m)},
                     {"V_d", num(m.V_d)}});
  nlohmann::json curves = {{"V_s", to_json(f.V_s)}, {"V_d", to_json(f.V_d)}, {"M", to_json(f.M)}};
  if (is_live(f.kind)) curves["V_m"] = to_json(f.V_m);
  nlohmann::json j = {{"kind", name(f.kind)},
                      {"vms", f.points.n},
                      {"p", f.points.p},
                      {"p_source", f.points.p_source},
                      {"mode", f.points.mode},
                      {"total_time_s", f.total_time},
                      {is_live(f.kind) ? "gamma_prime" : "gamma", f.gamma},
                      {"moves", moves},
                      {"curves", curves}};
  if (!is_live(f.kind)) j["downtime_s"] = f.downtime;
  return j;
}

}  // namespace rejuv::fitting
