// `rejuv plan --confirm N`: the top candidates re-run in the simulator, N replications each, and
// whether the simulated ranking agrees with the analytic one within the 95 % intervals.
#include <fmt/format.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <mutex>
#include <thread>

#include "cli/output.hpp"
#include "cli/plan_compute.hpp"
#include "models/input_error.hpp"
#include "sim/cluster/cluster_run.hpp"
#include "sim/worker_pool.hpp"

namespace rejuv::cli {

namespace {

using nlohmann::json;

constexpr size_t kTopCandidates = 3;
constexpr Seconds kDefaultHorizon = 730 * 86400.0;
// "Never" in the simulator: a due time past any horizon.
constexpr Seconds kFarFuture = 1e15;
// The simulated cluster starts with every VMM and OS fresh, at age 0; the closed forms describe the
// steady state. Aging clocks forget their start within a few renewal cycles, so the index is
// measured after this many of the longest mean cycle (at most the measured horizon itself).
constexpr double kWarmupCycles = 5;
constexpr int kTimelineBuckets = 2000;

Seconds finite(Seconds T) { return std::isinf(T) ? kFarFuture : T; }

}  // namespace

Confirmation confirm_plan(const PlanInputs& in, const Plan& plan, const PlanRequest& r) {
  Confirmation c;
  c.replications = r.confirm;
  c.seed = r.seed;
  c.hosts = r.hosts.front();
  if (r.confirm < 2) throw CliError("--confirm: expected at least 2 replications (a 95 % interval needs them)");
  for (const auto* law : {&in.vmm, &in.os})
    if (*law && !(*law)->dist)
      throw CliError("--confirm: the simulator draws crash times from a distribution; it cannot draw from observed "
                     "crash times (give the aging as --aging or a scenario's \"aging\" block)");
  c.horizon = r.horizon ? *r.horizon
              : in.is_scenario && in.doc.contains("horizon")
                  ? parse_duration(in.doc["horizon"], "/horizon", true)
                  : kDefaultHorizon;

  // The best candidates at the first host count, by the plan's own order.
  std::vector<size_t> order;
  for (size_t i = 0; i < plan.rows.size(); ++i)
    if (plan.rows[i].hosts == c.hosts && plan.rows[i].plan.feasible) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto &x = plan.rows[a].plan, &y = plan.rows[b].plan;
    return r.settings.objective == Objective::Cost ? x.cost_per_hour < y.cost_per_hour : x.index > y.index;
  });
  std::vector<size_t> top;
  for (size_t i : order) {
    if (top.size() < kTopCandidates) top.push_back(i);
  }

  for (size_t i : top) {
    const StrategyPlan& p = plan.rows[i].plan;
    const Seconds os_cycle = in.aging.os ? in.aging.os->integral_survival(p.T_os) : 0;
    for (Seconds cycle : {p.terms.vmm_cycle, os_cycle})
      if (std::isfinite(cycle)) c.warmup = std::max(c.warmup, std::min(kWarmupCycles * cycle, c.horizon));
  }
  std::vector<sim::RejuvenationScenario> scenarios;
  for (size_t i : top) {
    const PlanRow& row = plan.rows[i];
    const Candidate& cand = plan.candidates[row.candidate];
    json doc = in.doc;
    doc.erase("aging");  // the plan's laws are set below, whatever their kind
    doc["kind"] = "rejuvenation";
    doc["strategies"] = json::array({std::string(name(cand.strategy))});
    doc["hosts"] = c.hosts;
    doc["T_vmm"] = finite(row.plan.T_vmm);
    doc["T_os"] = finite(row.plan.T_os);
    if (uses_spares(cand.strategy)) {
      doc["spares"] = row.plan.spares;
      doc["migration_mode"] = name(cand.mode);
    }
    doc["replications"] = r.confirm;
    doc["horizon"] = c.warmup + c.horizon;
    doc["timeline_rows"] = kTimelineBuckets;
    doc["seed"] = r.seed;
    sim::RejuvenationScenario sc;
    try {
      sc = sim::parse_rejuvenation_scenario(doc);
    } catch (const InputError& e) {
      throw CliError(fmt::format("--confirm: the plan's schedule for {} is not a scenario the simulator takes: {}",
                                 cand.label, e.what()));
    }
    if (in.vmm) sc.aging.vmm = in.vmm->dist;
    if (in.os) sc.aging.os = in.os->dist;
    sc.aging.vmm_detection = in.aging.vmm_detection;
    sc.aging.os_detection = in.aging.os_detection;
    scenarios.push_back(std::move(sc));
  }

  // Every (candidate, replication) is an independent run on the shared cores.
  const size_t reps = size_t(r.confirm), total = top.size() * reps;
  std::vector<double> index(total);
  std::vector<size_t> todo(total);
  for (size_t k = 0; k < total; ++k) todo[k] = k;
  if (r.progress)
    std::fprintf(stderr, "rejuv plan: confirming %zu candidates with %d replications each (%zu simulated runs)\n",
                 top.size(), r.confirm, total);
  // The index after the warm-up, from the timeline's buckets (mean throughput over each).
  const size_t skip = size_t(std::llround(c.warmup / (c.warmup + c.horizon) * kTimelineBuckets));
  sim::run_parallel(
      todo, std::max(1u, std::thread::hardware_concurrency()),
      [&](size_t k) {
        const auto& sc = scenarios[k / reps];
        const sim::RunResult run = sim::simulate(sc, sc.strategies.front(), uint64_t(k % reps));
        double sum = 0;
        for (size_t b = skip; b < run.timeline.size(); ++b) sum += run.timeline[b];
        index[k] = sum / double(run.timeline.size() - skip) / (double(c.hosts) * sc.params.host_throughput);
      },
      {});

  const double t = boost::math::quantile(boost::math::students_t(double(reps) - 1), 0.975);
  for (size_t j = 0; j < top.size(); ++j) {
    ConfirmRow row;
    row.candidate = plan.rows[top[j]].candidate;
    row.analytic = plan.rows[top[j]].plan.index;
    double sum = 0, ss = 0;
    for (size_t k = 0; k < reps; ++k) sum += index[j * reps + k];
    row.mean = sum / double(reps);
    for (size_t k = 0; k < reps; ++k) ss += std::pow(index[j * reps + k] - row.mean, 2);
    row.half_width = t * std::sqrt(ss / double(reps - 1)) / std::sqrt(double(reps));
    row.analytic_inside = std::abs(row.analytic - row.mean) <= row.half_width;
    c.rows.push_back(row);
  }
  // The analytic order holds unless a lower-ranked candidate beats a higher one by more than both
  // intervals together: a reversal the simulation resolves.
  for (size_t a = 0; a < c.rows.size(); ++a)
    for (size_t b = a + 1; b < c.rows.size(); ++b) {
      const auto &x = c.rows[a], &y = c.rows[b];
      if (y.mean - x.mean > x.half_width + y.half_width) {
        c.agrees = false;
        c.findings.push_back(fmt::format("{} simulates above {} ({:.8f} ± {:.1e} against {:.8f} ± {:.1e}), against the "
                                         "analytic order",
                                         plan.candidates[y.candidate].label, plan.candidates[x.candidate].label, y.mean,
                                         y.half_width, x.mean, x.half_width));
      }
    }
  return c;
}

}  // namespace rejuv::cli
