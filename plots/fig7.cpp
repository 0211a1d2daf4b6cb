// Seed 003 figure 7 (§4.3): the performance index of every strategy against the cluster size.
#include <fmt/format.h>

#include <cmath>
#include <set>
#include <vector>

#include "models/throughput.hpp"
#include "plots/figures.hpp"

namespace rejuv::plots {

namespace {

// m = 1 … 100 one by one (where the migration strategies climb as (m − s)/m), then 100 steps per
// decade up to 10^6.
std::vector<double> host_counts() {
  std::set<double> m;
  for (int k = 1; k <= 100; ++k) m.insert(k);
  for (int k = 200; k <= 600; ++k) m.insert(std::round(std::pow(10.0, k / 100.0)));
  return {m.begin(), m.end()};
}

const char* const kStyle[] = {
    // warm, cold, migration, live, live_rate_control: colours apart for colour-blind readers
    // (Okabe–Ito), and dash patterns and widths so that migration and live — within 5e-7 of each
    // other — show as a solid line with a dashed one on top.
    "lw 3 lc rgb '#0072B2'",           "lw 3 lc rgb '#D55E00'",
    "lw 5 lc rgb '#009E73'",           "lw 2.5 dt (12,8) lc rgb '#000000'",
    "lw 3 dt (4,4) lc rgb '#CC79A7'",
};

}  // namespace

Plot fig7(const Params& p, const std::string& source) {
  Plot plot;
  std::vector<Terms> t;
  for (Strategy s : kStrategies) t.push_back(terms(p, s));
  plot.data = fmt::format(
      "# Performance index P/(m·p) of seed 003 §4.3 (closed forms, figure 7), from {}\n"
      "# n = {}, T_vmm = {} s, T_os = {} s, s = {} spare(s)\n"
      "# m warm cold migration live live_rate_control\n",
      source, p.vms_per_host, p.T_vmm, p.T_os, p.spares);
  for (double m : host_counts()) {
    plot.data += fmt::format("{:.0f}", m);
    for (const auto& x : t) plot.data += fmt::format(" {:.10f}", index(p, x, m));
    plot.data += "\n";
  }

  plot.about = fmt::format(
      "Seed 003 figure 7: performance index P/(m p) against the number of hosts m, from {}.\n"
      "y range: at large m the five indices lie within 1e-3 of each other (warm {:.5f}, cold\n"
      "{:.5f}, migration {:.5f}, live {:.5f}, live with rate control {:.5f}), so the upper panel\n"
      "shows 0.997 to 1.000 as the paper's figure does. Below a few hundred hosts the migration\n"
      "strategies fall off it towards (m - s)/m (one host of m is the spare): the lower panel\n"
      "shows that on 0.5 to 1.0. Dashed lines mark where each migration strategy overtakes cold\n"
      "(rejuv::crossover); migration and live differ by about 5e-7 and draw as one line.",
      source, index(p, t[0], 1e6), index(p, t[1], 1e6), index(p, t[2], 1e6), index(p, t[3], 1e6),
      index(p, t[4], 1e6));

  std::string b;
  b += "set multiplot title " +
       quote(fmt::format("Performance index against cluster size (seed 003, figure 7)  —  n = {} "
                         "VMs/host, T_{{vmm}} = {:g} d, T_{{os}} = {:g} d",
                         p.vms_per_host, p.T_vmm / 86400, p.T_os / 86400)) +
       "\n";
  b += "set logscale x 10\nset xrange [1:1e6]\nset format x \"10^{%T}\"\n";
  b += "set grid xtics mxtics ytics lc rgb '#dddddd'\nset mxtics 10\n";
  b += "set lmargin at screen 0.10\nset rmargin at screen 0.97\n";
  // Upper panel: the paper's range.
  b += "set tmargin at screen 0.91\nset bmargin at screen 0.38\n";
  b += "set yrange [0.997:1.0]\nset ytics 0.0005 format \"%.4f\"\n";
  b += "set ylabel \"performance index P/(m p)\"\nset format x \"\"\nunset xlabel\n";
  // The left part of the upper panel is empty (the migration strategies are still below it),
  // so the key and the list of crossovers go there, clear of every line.
  b += "set key at graph 0.02,graph 0.84 left top opaque box width 1 spacing 1.2\n";
  // Crossover marks: a dashed line each, its host count written along it (rotated), on the side
  // away from its neighbour; migration's and live's lie 0.5 % apart on this axis.
  const struct {
    Strategy s;
    const char* label;
  } marks[] = {{Strategy::Live, "live"},
               {Strategy::Migration, "migration"},
               {Strategy::LiveRateControl, "live rate control"}};
  std::vector<std::string> found;
  bool left = true;
  for (const auto& mark : marks) {
    const auto m = crossover(p, mark.s, Strategy::Cold);
    if (!m) {
      found.push_back(fmt::format("{} never overtakes cold", mark.label));
      continue;
    }
    found.push_back(fmt::format("{} > cold from m = {}", mark.label, *m));
    b += fmt::format("set arrow from {0},graph 0 to {0},graph 1 nohead dt 2 lw 1.5 lc rgb '#555555'\n",
                     *m);
    b += fmt::format("set label {} at {},graph 0.03 rotate by 90 left offset {},0 font \",11\" "
                     "textcolor rgb '#333333'\n",
                     quote(fmt::format("{}: m = {}", mark.label, *m)), *m, left ? "-1.2" : "1.1");
    left = false;
  }
  b += "set label " + quote("crossovers with cold (dashed):\n" + fmt::format("{}", fmt::join(found, "\n"))) +
       " at graph 0.02,graph 0.30 left font \",12\"\n";
  plot.about += "\nCrossovers with cold: " + fmt::format("{}", fmt::join(found, "; ")) + ".";
  b += "plot";
  const char* const names[] = {"warm VM reboot", "cold VM reboot", "VM migration", "live migration",
                               "live migration, rate control"};
  for (int k = 0; k < 5; ++k)
    b += fmt::format("{} data using 1:{} with lines {} title {}", k ? ", \\\n    " : " ", k + 2,
                     kStyle[k], quote(names[k]));
  b += "\n";
  // Lower panel: the whole range, where the spare host costs 1/m.
  b += "unset arrow\nunset label\nunset key\n";
  b += "set tmargin at screen 0.33\nset bmargin at screen 0.09\n";
  b += "set yrange [0.5:1.0]\nset ytics 0.1 format \"%.1f\"\nset ylabel \"index\"\n";
  b += "set format x \"10^{%T}\"\nset xlabel \"number of hosts m (log scale)\"\n";
  b += "set label \"whole range: migration strategies serve m - 1 of m hosts\" at graph 0.98,graph 0.12 right font \",12\"\n";
  b += "plot";
  for (int k = 0; k < 5; ++k)
    b += fmt::format("{} data using 1:{} with lines {} notitle", k ? ", \\\n    " : " ", k + 2,
                     kStyle[k]);
  b += "\nunset multiplot\n";
  plot.body = b;
  return plot;
}

}  // namespace rejuv::plots
