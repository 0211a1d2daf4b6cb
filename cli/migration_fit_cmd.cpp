// `rejuv migration-fit`: measured live migrations (a migration scenario's measured.csv, or
// tests/realvirt/migrate-grid's CSV) → the pre-copy model's free parameters, fitted on half of
// the grid points, with the prediction error on the other half; a table, fit.json, compare.csv
// and the plot of measured against predicted time and downtime. Also checks FlexCapsule's claim
// (seed 002 §4): migration time proportional to memory, downtime nearly flat.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "fitting/least_squares.hpp"
#include "models/input_error.hpp"
#include "plots/csv_table.hpp"
#include "plots/figures.hpp"
#include "sim/migration/migration_model.hpp"

namespace rejuv::cli {

namespace {

using nlohmann::json;
constexpr double kMiB = 1048576.0;

struct Point {
  double memory_mib = 0, dirty_mibps = 0, bandwidth_mibps = 0, downtime_limit_ms = 0;  // bandwidth 0: rate control
  std::vector<double> fill_mib, total_s, downtime_ms, iterations;
  bool fit = false;
  sim::PrecopyResult predicted;

  sim::MigrationPoint model_point() const {
    double fill = 0;
    for (double f : fill_mib) fill += f / double(fill_mib.size());
    return {.memory_bytes = memory_mib * kMiB, .fill_bytes = fill * kMiB, .dirty_rate_Bps = dirty_mibps * kMiB,
            .bandwidth_Bps = bandwidth_mibps * kMiB, .rate_control = bandwidth_mibps == 0,
            .downtime_limit_s = downtime_limit_ms / 1000};
  }
};

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? NAN : s / double(v.size());
}
double sd(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / double(v.size() - 1));
}

std::vector<Point> read_points(const std::vector<std::string>& files, size_t& rows, size_t& skipped) {
  std::map<std::tuple<double, double, double, double>, Point> by_key;
  for (const auto& file : files) {
    const plots::CsvTable t = plots::read_csv(file);
    const size_t cm = t.column("memory_mib"), cf = t.column("fill_mib"), cd = t.column("dirty_mibps"),
                 cb = t.column("bandwidth"), cl = t.column("downtime_limit_ms"), cs = t.column("status"),
                 ct = t.column("total_ms"), cdn = t.column("downtime_ms"), ci = t.column("iterations");
    for (const auto& row : t.rows) {
      ++rows;
      // "ok-guest-crashed": the migration completed and its statistics stand; the guest died after it.
      if (!row.cells[cs].starts_with("ok") || row.cells[ct].empty()) {
        ++skipped;
        continue;
      }
      const std::string& bw = row.cells[cb];
      double bandwidth = 0;
      if (bw != "rc") {
        bandwidth = t.number(row, cb);
        if (!(bandwidth > 0))
          throw InputError::in_file(t.place(row, cb), fmt::format("bandwidth: expected MiB/s > 0 or \"rc\", got \"{}\"", bw));
      }
      const auto key = std::make_tuple(t.number(row, cm), t.number(row, cd), bandwidth == 0 ? 1e18 : bandwidth,
                                       t.number(row, cl));
      Point& p = by_key[key];
      p.memory_mib = std::get<0>(key);
      p.dirty_mibps = std::get<1>(key);
      p.bandwidth_mibps = bandwidth;
      p.downtime_limit_ms = std::get<3>(key);
      p.fill_mib.push_back(t.number(row, cf));
      p.total_s.push_back(t.number(row, ct) / 1000);
      p.downtime_ms.push_back(t.number(row, cdn));
      p.iterations.push_back(t.number(row, ci));
    }
  }
  std::vector<Point> points;
  for (auto& [_, p] : by_key) points.push_back(std::move(p));
  return points;
}

// A checkerboard over the grid: a point goes to the fit when the sum of its levels' ranks (memory,
// dirty rate, bandwidth, downtime limit) is even, so every level of every factor is in both halves.
void split(std::vector<Point>& points) {
  auto rank = [&](auto get) {
    std::vector<double> v;
    for (const auto& p : points) v.push_back(get(p));
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  };
  const auto m = rank([](const Point& p) { return p.memory_mib; });
  const auto d = rank([](const Point& p) { return p.dirty_mibps; });
  const auto b = rank([](const Point& p) { return p.bandwidth_mibps; });
  const auto l = rank([](const Point& p) { return p.downtime_limit_ms; });
  auto at = [](const std::vector<double>& v, double x) { return size_t(std::lower_bound(v.begin(), v.end(), x) - v.begin()); };
  for (auto& p : points)
    p.fit = (at(m, p.memory_mib) + at(d, p.dirty_mibps) + at(b, p.bandwidth_mibps) + at(l, p.downtime_limit_ms)) % 2 == 0;
}

// x = {effective bandwidth (Gbit/s), resume (s), dirtying overlap, base (MiB)}
sim::MigrationModel model_of(const std::vector<double>& x) {
  return {.link_rate_bps = x[0] * 1e9, .resume_s = x[1], .dirty_overlap = x[2], .base_bytes = x[3] * kMiB};
}

std::string bw_text(double mibps) { return mibps == 0 ? "rate control" : fmt::format("{:g} MiB/s", mibps); }

struct MigrationFitOptions {
  std::vector<std::string> inputs;
  std::string out;
};

void run(const MigrationFitOptions& o) {
  size_t rows = 0, skipped = 0;
  std::vector<Point> points;
  try {
    points = read_points(o.inputs, rows, skipped);
  } catch (const InputError& e) {
    throw CliError(e.what());
  }
  if (points.size() < 4)
    throw CliError(fmt::format("{}: expected measurements of at least 4 grid points, got {}", o.inputs.front(), points.size()));
  split(points);

  auto residuals = [&](const std::vector<double>& x) {
    const sim::MigrationModel m = model_of(x);
    std::vector<double> r;
    for (const auto& p : points) {
      if (!p.fit) continue;
      const sim::PrecopyResult pr = sim::simulate_precopy(sim::precopy_config(p.model_point(), m));
      r.push_back(std::log(pr.total_time_s / mean(p.total_s)));
      r.push_back(std::log(pr.downtime_s * 1000 / std::max(mean(p.downtime_ms), 1.0)));
    }
    return r;
  };
  std::vector<std::vector<double>> starts;
  for (double link : {0.5, 2.0})
    for (double resume : {0.05, 0.2})
      for (double overlap : {0.0, 0.5})
        for (double base : {32.0, 96.0}) starts.push_back({link, resume, overlap, base});
  const fitting::LeastSquaresFit f =
      fitting::fit_from_starts(residuals, starts, {0.05, 0, 0, 0}, {40, 2, 0.95, 1024});
  const sim::MigrationModel model = model_of(f.x);

  std::vector<double> err_t[2], err_d[2];
  std::string csv = "memory_mib,dirty_mibps,bandwidth,downtime_limit_ms,set,fill_mib,repetitions,measured_total_s,"
                    "measured_total_sd_s,measured_downtime_ms,measured_downtime_sd_ms,measured_iterations,"
                    "predicted_total_s,predicted_downtime_ms,predicted_iterations\n";
  std::string table =
      "| memory MiB | dirty MiB/s | bandwidth | downtime limit ms | measured time s | measured downtime ms | "
      "iterations | predicted time s | predicted downtime ms | predicted iterations | set | time error | downtime error |\n"
      "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n";
  for (auto& p : points) {
    p.predicted = sim::simulate_precopy(sim::precopy_config(p.model_point(), model));
    const double et = p.predicted.total_time_s / mean(p.total_s) - 1;
    const double ed = p.predicted.downtime_s * 1000 / mean(p.downtime_ms) - 1;
    err_t[p.fit].push_back(std::abs(et));
    err_d[p.fit].push_back(std::abs(ed));
    csv += fmt::format("{:g},{:g},{},{:g},{},{:.1f},{},{:.3f},{:.3f},{:.1f},{:.1f},{:.2f},{:.3f},{:.1f},{}\n", p.memory_mib,
                       p.dirty_mibps, p.bandwidth_mibps == 0 ? "rc" : fmt::format("{:g}", p.bandwidth_mibps),
                       p.downtime_limit_ms, p.fit ? "fit" : "held_out", mean(p.fill_mib), p.total_s.size(), mean(p.total_s),
                       sd(p.total_s), mean(p.downtime_ms), sd(p.downtime_ms), mean(p.iterations), p.predicted.total_time_s,
                       p.predicted.downtime_s * 1000, p.predicted.iterations);
    table += fmt::format("| {:g} | {:g} | {} | {:g} | {:.2f} ± {:.2f} | {:.0f} ± {:.0f} | {:.1f} | {:.2f} | {:.0f} | {} | {} | {:+.0f} % | {:+.0f} % |\n",
                         p.memory_mib, p.dirty_mibps, bw_text(p.bandwidth_mibps), p.downtime_limit_ms, mean(p.total_s),
                         sd(p.total_s), mean(p.downtime_ms), sd(p.downtime_ms), mean(p.iterations),
                         p.predicted.total_time_s, p.predicted.downtime_s * 1000, p.predicted.iterations,
                         p.fit ? "fit" : "**held out**", 100 * et, 100 * ed);
  }

  // FlexCapsule (seed 002 §4): time against memory and downtime across memory, per series of the
  // other factors, from the measurements alone.
  std::map<std::tuple<double, double, double>, std::vector<const Point*>> series;
  for (const auto& p : points) series[{p.dirty_mibps, p.bandwidth_mibps, p.downtime_limit_ms}].push_back(&p);
  json flex = json::array();
  std::string flex_table =
      "| dirty MiB/s | bandwidth | downtime limit ms | memories MiB | time s (smallest → largest) | time = slope·memory + intercept | R² | downtime ms min–max |\n"
      "| ---: | --- | ---: | --- | --- | --- | ---: | --- |\n";
  for (const auto& [key, ps] : series) {
    if (ps.size() < 3) continue;
    double sx = 0, sy = 0, dmin = 1e18, dmax = 0;
    std::string mems;
    for (const Point* p : ps) {
      sx += p->memory_mib, sy += mean(p->total_s);
      dmin = std::min(dmin, mean(p->downtime_ms));
      dmax = std::max(dmax, mean(p->downtime_ms));
      mems += (mems.empty() ? "" : ", ") + fmt::format("{:g}", p->memory_mib);
    }
    // time = a + b·memory by least squares; R² of that line. Proportional means a ≈ 0.
    const double n = double(ps.size()), mx = sx / n, my = sy / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (const Point* p : ps) {
      const double dx = p->memory_mib - mx, dy = mean(p->total_s) - my;
      sxy += dx * dy, sxx += dx * dx, syy += dy * dy;
    }
    const double b = sxy / sxx, a = my - b * mx, r2 = syy > 0 ? sxy * sxy / (sxx * syy) : 1;
    flex.push_back({{"dirty_mibps", std::get<0>(key)}, {"bandwidth", bw_text(std::get<1>(key))},
                    {"downtime_limit_ms", std::get<2>(key)}, {"seconds_per_gib", b * 1024}, {"intercept_s", a},
                    {"r2", r2}, {"downtime_min_ms", dmin}, {"downtime_max_ms", dmax}});
    flex_table += fmt::format("| {:g} | {} | {:g} | {} | {:.2f} → {:.2f} | {:.2f} s/GiB {:+.2f} s | {:.3f} | {:.0f}–{:.0f} |\n",
                              std::get<0>(key), bw_text(std::get<1>(key)), std::get<2>(key), mems, mean(ps.front()->total_s),
                              mean(ps.back()->total_s), b * 1024, a, r2, dmin, dmax);
  }

  const json fit = {
      {"data", "MEASURED live migrations (see the input files) and the pre-copy model (QEMU's stop rule) fitted to half of them"},
      {"inputs", o.inputs},
      {"rows", rows},
      {"rows_skipped_not_ok", skipped},
      {"points", points.size()},
      {"model",
       {{"link_rate_bps", model.link_rate_bps},
        {"resume_s", model.resume_s},
        {"dirty_overlap", model.dirty_overlap},
        {"base_bytes", model.base_bytes}}},
      {"fit", {{"cost", f.cost}, {"iterations", f.iterations}, {"converged", f.converged}}},
      {"mean_abs_error",
       {{"fit", {{"time", mean(err_t[1])}, {"downtime", mean(err_d[1])}}},
        {"held_out", {{"time", mean(err_t[0])}, {"downtime", mean(err_d[0])}}}}},
      {"flexcapsule", flex}};
  const std::string summary = fmt::format(
      "Fitted on {} points, held out {} ({} migrations; {} rows not ok skipped): effective bandwidth {:.0f} Mbit/s, "
      "resume {:.0f} ms, dirtying overlap {:.2f}, base {:.0f} MiB.\n"
      "Mean absolute error on the held-out points: time {:.0f} %, downtime {:.0f} % (on the fitted points: {:.0f} %, {:.0f} %).\n",
      err_t[1].size(), err_t[0].size(), rows - skipped, skipped, model.link_rate_bps / 1e6, model.resume_s * 1000,
      model.dirty_overlap, model.base_bytes / kMiB, 100 * mean(err_t[0]), 100 * mean(err_d[0]), 100 * mean(err_t[1]),
      100 * mean(err_d[1]));

  namespace fs = std::filesystem;
  fs::create_directories(o.out);
  write_atomic(fs::path(o.out) / "compare.csv", csv);
  write_atomic(fs::path(o.out) / "fit.json", fit.dump(2) + "\n");
  write_atomic(fs::path(o.out) / "table.md",
               summary + "\n" + table + "\nFlexCapsule's claim (seed 002 §4), from the measurements:\n\n" + flex_table);
  const plots::Written w = plots::write_plot(plots::migration_fit(fs::path(o.out) / "compare.csv"), fs::path(o.out) / "migration-fit.svg");
  fmt::print("{}{}", summary, flex_table);
  fmt::print("wrote {}/compare.csv fit.json table.md {}{}\n", o.out, w.svg.filename().string(),
             w.rendered ? " (and .png)" : " (.dat/.gp only: no gnuplot)");
}

}  // namespace

void add_migration_fit_command(CLI::App& app) {
  auto o = std::make_shared<MigrationFitOptions>();
  auto* cmd = app.add_subcommand("migration-fit", "Fit the pre-copy model to measured live migrations, report held-out error");
  cmd->add_option("measured", o->inputs, "CSV of migrations (measured.csv of a migration scenario, or migrate-grid's)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", o->out, "folder for compare.csv, fit.json, table.md and migration-fit.svg/.png")->required();
  cmd->footer("Example: rejuv migration-fit out/realvirt/measured.csv --out out/realvirt/fit");
  cmd->callback([o] { run(*o); });
}

}  // namespace rejuv::cli
