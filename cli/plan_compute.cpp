#include "cli/plan_compute.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "cli/output.hpp"

namespace rejuv::cli {

namespace {

constexpr long long kRangeHi = 1'000'000;
constexpr int kRangePoints = 96;

int color_of(Strategy s) { return static_cast<int>(s); }

bool beats(const StrategyPlan& x, const StrategyPlan& y, const PlanSettings& o) {
  if (x.feasible != y.feasible) return x.feasible;
  if (o.objective == Objective::Cost) return x.cost_per_hour < y.cost_per_hour;
  return x.index > y.index;
}

// Each candidate's optimiser, kept across host counts (its intervals do not depend on m); warm's
// and cold's whole optimum does not either (no spares; the index is per host).
class Optima {
 public:
  Optima(const std::vector<Candidate>& c, const AgingModel& a, const PlanSettings& o) : c_(c), o_(o) {
    for (const auto& x : c) optimisers_.emplace_back(x.params, x.strategy, a, o);
  }
  StrategyPlan at(size_t k, long long m) {
    const Candidate& c = c_[k];
    if (uses_spares(c.strategy)) return optimisers_[k].at(m);
    auto it = fixed_.find(k);
    if (it == fixed_.end()) it = fixed_.emplace(k, optimisers_[k].at(m)).first;
    StrategyPlan p = it->second;
    p.cost_per_hour = cost_per_hour(c.params, p.index, m, 0, o_);
    return p;
  }
  std::optional<size_t> winner(long long m) {
    std::optional<size_t> best;
    StrategyPlan best_plan;
    for (size_t k = 0; k < c_.size(); ++k) {
      if (uses_spares(c_[k].strategy) && m < 2) continue;
      StrategyPlan p = at(k, m);
      if (!p.feasible) continue;
      if (!best || beats(p, best_plan, o_)) {
        best = k;
        best_plan = std::move(p);
      }
    }
    return best;
  }

 private:
  const std::vector<Candidate>& c_;
  const PlanSettings& o_;
  std::vector<StrategyOptimiser> optimisers_;
  std::map<size_t, StrategyPlan> fixed_;
};

std::string reason_never(const Candidate& c, const AgingModel& a, const StrategyPlan& p, bool os) {
  const AgingLaw& law = os ? *a.os : *a.vmm;
  if (law.hazard() == AgingLaw::Hazard::Constant)
    return fmt::format("{}: never — no finite interval beats never rejuvenating: the {}'s hazard is constant "
                       "(it does not age)",
                       os ? "T_os" : "T_vmm", os ? "OS" : "VMM");
  const auto costs = os ? std::optional<TttCosts>(os_ttt_costs(c.params, a, p.downtime_weight))
                        : vmm_ttt_costs(c.params, c.strategy, a, p.T_os, p.downtime_weight);
  if (costs && costs->b <= costs->a)
    return fmt::format("{}: never — a crash costs no more than a rejuvenation ({:.0f} s against {:.0f} s of lost "
                       "throughput)",
                       os ? "T_os" : "T_vmm", costs->b, costs->a);
  return fmt::format("{}: never — no finite interval beats waiting for the crash", os ? "T_os" : "T_vmm");
}

std::vector<std::string> notes_for(const Candidate& c, const AgingModel& a, const StrategyPlan& p, long long m,
                                   const PlanSettings& o) {
  std::vector<std::string> n;
  const Params& f = c.params;
  if (!p.T_vmm_searched)
    n.push_back(fmt::format("T_vmm held at the file's {} (no VMM aging law)", duration_text(f.T_vmm)));
  else if (std::isinf(p.T_vmm))
    n.push_back(reason_never(c, a, p, false));
  if (c.strategy == Strategy::Cold && p.T_os_searched) {
    if (p.os_between_cold_reboots > 0)
      n.push_back(fmt::format("T_os: {} OS rejuvenation{} evenly spaced between cold reboots, which renew the OSes",
                              p.os_between_cold_reboots, p.os_between_cold_reboots > 1 ? "s" : ""));
    else
      n.push_back("T_os: never — no OS rejuvenation between cold reboots: each cold reboot renews the OSes");
  } else if (!p.T_os_searched) {
    n.push_back(fmt::format("T_os held at the file's {} (no OS aging law)", duration_text(f.T_os)));
  } else if (std::isinf(p.T_os)) {
    n.push_back(reason_never(c, a, p, true));
  }
  if (p.spare_limited)
    n.push_back(fmt::format("spare-limited: {} spare{} take{} {:.0f} s per host rejuvenation, so T_vmm ≥ {}", p.spares,
                            p.spares > 1 ? "s" : "", p.spares > 1 ? "" : "s", spare_busy(f, c.strategy, o) * 1.0,
                            duration_text(double(m) * spare_busy(f, c.strategy, o) / p.spares)));
  if (!p.feasible)
    n.push_back(fmt::format("infeasible: no schedule reaches availability {:.8f}; the most available gives {:.8f}",
                            *o.min_availability, p.terms.availability));
  return n;
}

// The TTT analysis of one component's observed crash times, with bootstrap intervals of T*.
TttComponent ttt_of(const std::string& component, const LawSource& src, const PlanInputs& in,
                    const std::vector<Candidate>& cands, const std::vector<PlanRow>& first_rows, const PlanRequest& r) {
  TttComponent t;
  t.component = component;
  const StepSurvival steps = kaplan_meier(src.observed);
  t.points = scaled_ttt(steps);
  t.crashes = steps.crashes;
  t.censored = steps.censored;
  const bool os = component == "os";
  // One line per strategy whose optimum is a TTT ratio (the OS's: one for all).
  for (size_t k = 0; k < cands.size(); ++k) {
    const Candidate& c = cands[k];
    const StrategyPlan& p = first_rows[k].plan;
    std::optional<TttCosts> costs =
        os ? std::optional<TttCosts>(os_ttt_costs(c.params, in.aging, p.downtime_weight))
           : vmm_ttt_costs(c.params, c.strategy, in.aging, p.T_os, p.downtime_weight);
    if (!costs) {
      t.notes.push_back(fmt::format("{}: its VMM optimum is no TTT ratio (each cold reboot restarts the OS windows); "
                                    "see its row",
                                    c.label));
      continue;
    }
    const auto beta = costs->beta();
    if (!beta) {
      t.notes.push_back(fmt::format("{}: never — a crash costs no more than a rejuvenation (no fixed point)",
                                    os ? "OS" : c.label));
      if (os) break;
      continue;
    }
    TttComponent::Line l;
    l.candidate = k;
    l.label = os ? "OS (every strategy)" : c.label;
    l.beta = *beta;
    l.optimum = ttt_optimum(t.points, *beta);
    // β takes a VMM crash's renewal of the OSes to first order; the row minimises the model itself.
    // On a flat, jagged estimated objective the two can pick different observed times: say so.
    const Seconds row_T = os ? p.T_os : p.T_vmm, ttt_T = l.optimum.never ? kNever : l.optimum.point.t;
    if (row_T != ttt_T && !(std::isinf(row_T) && l.optimum.never))
      t.notes.push_back(fmt::format("{}: its row's {} = {} minimises the model with the OS renewals VMM crashes bring "
                                    "counted exactly; the TTT line's β counts them to first order",
                                    l.label, os ? "T_os" : "T_vmm", duration_text(row_T)));
    t.lines.push_back(l);
    if (os) break;
  }
  // Bootstrap: resample the observations, re-estimate, take each line's optimum again.
  if (r.bootstrap > 0 && !t.lines.empty()) {
    const auto values = fitting::resample_observations(
        src.observed.size(), r.bootstrap, r.seed, [&](const std::vector<size_t>& idx) {
          std::vector<CrashObservation> obs;
          obs.reserve(idx.size());
          for (size_t i : idx) obs.push_back(src.observed[i]);
          std::vector<double> out;
          if (std::none_of(obs.begin(), obs.end(), [](const auto& o) { return o.crashed; })) {
            out.assign(t.lines.size(), std::numeric_limits<double>::infinity());
            return out;
          }
          const auto pts = scaled_ttt(kaplan_meier(obs));
          for (const auto& l : t.lines) {
            const TttOptimum o = ttt_optimum(pts, l.beta);
            out.push_back(o.never ? std::numeric_limits<double>::infinity() : o.point.t);
          }
          return out;
        });
    for (size_t k = 0; k < t.lines.size(); ++k) {
      auto& l = t.lines[k];
      l.interval = fitting::percentile_interval(
          fmt::format("T_{}*/{}", component, l.label),
          l.optimum.never ? std::nullopt : std::optional<double>(l.optimum.point.t), values[k]);
    }
  }
  return t;
}

}  // namespace

std::vector<Candidate> candidates(const Params& p) {
  std::vector<Candidate> out;
  for (Strategy s : strategies_present(p)) {
    Candidate c{s, p.migration_mode, p, std::string(name(s)), color_of(s)};
    if (!uses_spares(s)) {
      out.push_back(c);
      continue;
    }
    // Each migration strategy in both modes: stay-on (seed 003) and return-back (Machida et al.).
    for (MigrationMode mode : {MigrationMode::StayOn, MigrationMode::ReturnBack}) {
      c.mode = mode;
      c.params.migration_mode = mode;
      c.label = std::string(name(s)) + (mode == MigrationMode::ReturnBack ? " (return back)" : "");
      out.push_back(c);
    }
  }
  return out;
}

Confirmation confirm_plan(const PlanInputs& in, const Plan& plan, const PlanRequest& r);  // plan_confirm.cpp

Plan compute_plan(const PlanInputs& in, const PlanRequest& r) {
  Plan plan;
  plan.candidates = candidates(in.params);
  Optima optima(plan.candidates, in.aging, r.settings);
  for (long long m : r.hosts) {
    std::optional<size_t> best;
    for (size_t k = 0; k < plan.candidates.size(); ++k) {
      const Candidate& c = plan.candidates[k];
      if (uses_spares(c.strategy) && m <= c.params.spares) continue;
      PlanRow row;
      row.candidate = k;
      row.hosts = m;
      row.plan = optima.at(k, m);
      row.paper_index = index(c.params, c.strategy, double(m));
      row.index_at_file = aging_index(c.params, aging_terms(c.params, c.strategy, in.aging), double(m));
      row.notes = notes_for(c, in.aging, row.plan, m, r.settings);
      plan.rows.push_back(std::move(row));
      const size_t at = plan.rows.size() - 1;
      if (plan.rows[at].plan.feasible && (!best || beats(plan.rows[at].plan, plan.rows[*best].plan, r.settings)))
        best = at;
    }
    plan.winners.push_back(best);
  }

  // Where the winner changes, from 2 hosts to 10^6 (or the largest --hosts): a log grid, then
  // bisection of each change to the exact host count.
  plan.range_hi = std::max(kRangeHi, *std::max_element(r.hosts.begin(), r.hosts.end()));
  std::vector<long long> grid;
  for (int k = 0; k < kRangePoints; ++k)
    grid.push_back(std::llround(2 * std::pow(double(plan.range_hi) / 2, double(k) / (kRangePoints - 1))));
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  std::vector<std::optional<size_t>> w;
  for (long long m : grid) w.push_back(optima.winner(m));
  WinnerRange cur{grid[0], grid[0], w[0]};
  for (size_t i = 1; i < grid.size(); ++i) {
    if (w[i] == cur.candidate) continue;
    long long lo = grid[i - 1], hi = grid[i];  // winner(lo) = cur, winner(hi) differs
    while (hi - lo > 1) {
      const long long mid = lo + (hi - lo) / 2;
      (optima.winner(mid) == cur.candidate ? lo : hi) = mid;
    }
    cur.to = lo;
    plan.ranges.push_back(cur);
    cur = {hi, hi, optima.winner(hi)};
  }
  cur.to = grid.back();
  plan.ranges.push_back(cur);

  std::vector<PlanRow> first_rows(plan.candidates.size());
  for (const auto& row : plan.rows)
    if (row.hosts == r.hosts.front()) first_rows[row.candidate] = row;
  if (in.vmm && !in.vmm->observed.empty()) plan.ttt.push_back(ttt_of("vmm", *in.vmm, in, plan.candidates, first_rows, r));
  if (in.os && !in.os->observed.empty()) plan.ttt.push_back(ttt_of("os", *in.os, in, plan.candidates, first_rows, r));
  if (r.confirm > 0) plan.confirmation = confirm_plan(in, plan, r);
  return plan;
}

std::vector<Curve> index_curves(const PlanInputs& in, const Plan& plan, const PlanRequest& r) {
  const long long m = r.hosts.front();
  std::vector<Curve> out;
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const auto& row : plan.rows) {
    if (row.hosts != m) continue;
    for (double T : {row.plan.T_vmm, plan.candidates[row.candidate].params.T_vmm})
      if (std::isfinite(T)) lo = std::min(lo, T), hi = std::max(hi, T);
  }
  lo = std::max(3600.0, lo / 8);
  hi = std::min(3650 * 86400.0, hi * 8);
  const int points = 160;
  for (const auto& row : plan.rows) {
    if (row.hosts != m) continue;
    const Candidate& c = plan.candidates[row.candidate];
    const StrategyPlan& p = row.plan;
    Params q = c.params;
    q.spares = std::max(p.spares, 0);
    if (!uses_spares(c.strategy)) q.spares = c.params.spares;
    const Seconds T_min = uses_spares(c.strategy) ? double(m) * spare_busy(q, c.strategy, r.settings) / p.spares : 0;
    Curve curve;
    curve.candidate = row.candidate;
    for (int k = 0; k < points; ++k) {
      const double T = lo * std::pow(hi / lo, double(k) / (points - 1));
      if (T < T_min) continue;
      q.T_vmm = T;
      q.T_os = p.T_os;
      if (c.strategy == Strategy::Cold && p.T_os_searched)  // keep cold's k OS rejuvenations per cycle
        q.T_os = p.os_between_cold_reboots > 0 ? (T - q.cold.downtime) / (p.os_between_cold_reboots + 1) * (1 + 1e-9)
                                               : kNever;
      if (!(q.T_os > 0)) continue;
      const AgingTerms t = aging_terms(q, c.strategy, in.aging);
      curve.T_vmm.push_back(T);
      curve.index.push_back(aging_index(q, t, double(m)));
      curve.per_host.push_back(t.per_host());
    }
    out.push_back(std::move(curve));
  }
  return out;
}

}  // namespace rejuv::cli
