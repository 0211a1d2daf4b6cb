#pragma once
// The plan itself: each strategy's best schedule at each host count, the winners, the host counts
// where the winner changes, the scaled TTT analysis of observed crash times with bootstrap
// intervals, and the simulator's confirmation. cli/plan_cmd.cpp prints and writes it.
#include <optional>
#include <string>
#include <vector>

#include "cli/plan_inputs.hpp"
#include "fitting/uncertainty.hpp"
#include "models/optimal.hpp"

namespace rejuv::cli {

// A strategy as the plan compares it: each migration strategy once per migration mode.
struct Candidate {
  Strategy strategy = Strategy::Warm;
  MigrationMode mode = MigrationMode::StayOn;
  Params params;      // the file's, with this mode
  std::string label;  // "migration", "migration (return back)"
  int color = 0;
};
std::vector<Candidate> candidates(const Params& p);

struct PlanRow {
  size_t candidate = 0;
  long long hosts = 0;
  StrategyPlan plan;
  double paper_index = 0;    // seed 003's closed form at the file's T_vmm and T_os (no aging)
  double index_at_file = 0;  // with aging, at the file's T_vmm, T_os and spares
  std::vector<std::string> notes;
};

struct WinnerRange {
  long long from = 0, to = 0;
  std::optional<size_t> candidate;  // nullopt: no strategy meets the availability target
};

struct TttComponent {
  std::string component;  // "vmm" or "os"
  std::vector<TttPoint> points;
  int crashes = 0, censored = 0;
  struct Line {
    size_t candidate = 0;  // for the OS: every strategy shares one line; candidate is unused
    std::string label;
    double beta = 0;
    TttOptimum optimum;
    fitting::Interval interval;  // of T*, seconds; +inf stands for never
  };
  std::vector<Line> lines;
  std::vector<std::string> notes;
};

struct ConfirmRow {
  size_t candidate = 0;
  double analytic = 0;  // the plan's index
  double mean = 0, half_width = 0;
  bool analytic_inside = false;
};
struct Confirmation {
  int replications = 0;
  uint64_t seed = 0;
  Seconds horizon = 0;  // measured, after the warm-up
  Seconds warmup = 0;
  long long hosts = 0;
  std::vector<ConfirmRow> rows;  // in the analytic order
  bool agrees = true;
  std::vector<std::string> findings;
};

struct PlanRequest {
  std::vector<long long> hosts;
  PlanSettings settings;
  bool has_prices = false;
  int bootstrap = 200;
  uint64_t seed = 1;
  int confirm = 0;
  std::optional<Seconds> horizon;
  bool progress = true;
};

struct Plan {
  std::vector<Candidate> candidates;
  std::vector<PlanRow> rows;  // hosts, then candidates in order
  std::vector<std::optional<size_t>> winners;  // per host count: index into rows
  std::vector<WinnerRange> ranges;
  long long range_hi = 0;
  std::vector<TttComponent> ttt;
  std::optional<Confirmation> confirmation;
};

Plan compute_plan(const PlanInputs& in, const PlanRequest& r);

// The index of each candidate against T_vmm at the first host count, for plan-index.svg.
struct Curve {
  size_t candidate = 0;
  std::vector<double> T_vmm, index, per_host;
};
std::vector<Curve> index_curves(const PlanInputs& in, const Plan& plan, const PlanRequest& r);

}  // namespace rejuv::cli
