#pragma once
// The two figures of `rejuv plan` (cli/plan_cmd.cpp computes what they show; these only draw it):
// the index against T_vmm for each strategy with its optimum marked, and the scaled TTT plot of
// observed crash times with each strategy's steepest line (models/ttt.hpp).
#include <optional>
#include <string>
#include <vector>

#include "models/ttt.hpp"
#include "plots/plot.hpp"

namespace rejuv::plots {

struct IndexCurve {
  std::string label;                // "warm", "migration (return back)"
  int color = 0;                    // strategies keep their colour across both modes
  bool dashed = false;              // return-back
  std::vector<double> T_vmm_days;   // increasing
  std::vector<double> index;        // P/(m·p) at the plan's host count
  std::vector<double> per_host;     // the same per serving host: spares' share s/m aside
  std::optional<double> best_T_vmm_days;  // nullopt: never rejuvenate (marked at the right edge)
  double best_index = 0, best_per_host = 0;
};

// Two panels: the index at m hosts (the ranking), and per serving host, zoomed on the optima (the
// shape of each curve, which the spares' share s/m would otherwise dwarf at small m). `title` says
// what the index is of; `file_T_vmm_days` is the parameter file's own interval, a vertical line.
Plot plan_index(const std::vector<IndexCurve>& curves, double file_T_vmm_days, const std::string& title,
                const std::string& about);

struct TttLine {
  std::string label;  // the strategy
  int color = 0;
  bool dashed = false;  // return-back
  double beta = 0;    // the fixed point (−β, 0)
  TttPoint optimum;   // where its line touches
  bool never = false;
};

struct TttPanel {
  std::string component;          // "VMM", "OS"
  std::vector<TttPoint> points;   // the scaled TTT plot, (0, 0) to (1, 1)
  std::vector<TttLine> lines;
  int crashes = 0, censored = 0;
};

Plot ttt(const std::vector<TttPanel>& panels, const std::string& source, const std::string& about);

}  // namespace rejuv::plots
