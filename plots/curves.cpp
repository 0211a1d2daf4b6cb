// Table 1's per-VM curves (seed 003 §4.2) as the model evaluates them at i = 1 … n.
#include <fmt/format.h>

#include "plots/figures.hpp"

namespace rejuv::plots {

namespace {

std::string value(const std::optional<Curve>& c, int i) {
  if (!c || !c->covers(i)) return "NaN";
  return fmt::format("{:.6g}", (*c)(i));
}

}  // namespace

Plot curves(const Params& p, const std::string& source) {
  struct Row {
    const char* name;
    const MigrationCurves* c;
  };
  const Row rows[] = {{"VM migration", &p.migration.curves},
                      {"live migration", &p.live.curves},
                      {"live migration, rate control", &p.live_rate_control.curves}};
  const int n = p.vms_per_host;
  Plot plot;
  plot.data = fmt::format(
      "# Table 1 curves of seed 003 §4.2 from {}, evaluated at i = 1..{} (NaN: not defined)\n", source, n);
  for (int k = 0; k < 3; ++k) {
    plot.data += fmt::format("# block {}: {}\n# i V_s V_m V_d M\n", k, rows[k].name);
    for (int i = 1; i <= n; ++i)
      plot.data += fmt::format("{} {} {} {} {}\n", i, value(rows[k].c->V_s, i), value(rows[k].c->V_m, i),
                               value(rows[k].c->V_d, i), value(rows[k].c->M, i));
    plot.data += "\n\n";
  }
  plot.about = fmt::format(
      "Seed 003 Table 1: per-VM throughput while the n VMs of a host move one after another\n"
      "(V_s: each VM still on the source while VM i moves; V_m: the moving VM, live only; V_d:\n"
      "each VM already on the destination) and M(i), the time to move VM i, from {}.\n"
      "The model uses them only at integer i, so the points are the values and the lines guide\n"
      "the eye.",
      source);
  const char* const colors[] = {"#009E73", "#000000", "#CC79A7"};
  const char* const points[] = {"pt 7 ps 1.3", "pt 5 ps 1.2", "pt 9 ps 1.5"};
  std::string b = "set datafile missing \"NaN\"\n";
  b += "set multiplot layout 2,2 title " +
       quote(fmt::format("Per-VM curves of Table 1 (seed 003), n = {} VMs, from {}", n, source)) +
       " noenhanced\n";
  b += fmt::format("set xrange [0.5:{}.5]\nset xtics 1\nset grid lc rgb '#dddddd'\n", n);
  // Headroom above each panel's data (offsets) leaves the key clear of the lines.
  b += "set xlabel \"i (the i-th VM to move)\"\nset key top right font \",11\"\n";
  const struct {
    int col;
    const char* title;
    const char* ylabel;
  } panels[] = {{2, "V_s(i): each VM still on the source", "requests/s per VM"},
                {3, "V_m(i): the VM being moved (live only)", "requests/s"},
                {4, "V_d(i): each VM already on the destination", "requests/s per VM"},
                {5, "M(i): time to move VM i", "seconds"}};
  for (const auto& panel : panels) {
    b += fmt::format("set title \"{}\"\nset ylabel \"{}\"\nset yrange [0:*]\nset offsets 0,0,graph 0.4,0\n", panel.title,
                     panel.ylabel);
    b += "plot";
    bool first = true;
    for (int k = 0; k < 3; ++k) {
      if (panel.col == 3 && k == 0) continue;  // non-live migration has no V_m
      b += fmt::format("{} data index {} using 1:{} with linespoints lw 2 {} lc rgb '{}' title \"{}\"",
                       first ? " " : ", \\\n    ", k, panel.col, points[k], colors[k], rows[k].name);
      first = false;
    }
    b += "\n";
  }
  b += "unset multiplot\n";
  plot.body = b;
  return plot;
}

}  // namespace rejuv::plots
