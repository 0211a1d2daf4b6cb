// The figures of `rejuv plan`: index against T_vmm, and the scaled TTT plot.
#include "plots/plan_figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rejuv::plots {

namespace {

// Okabe–Ito, as fig7: warm, cold, migration, live, live_rate_control.
const char* const kColors[] = {"#0072B2", "#D55E00", "#009E73", "#000000", "#CC79A7", "#E69F00"};

const char* color(int k) { return kColors[size_t(k) % std::size(kColors)]; }

std::string days_text(double d) {
  if (d >= 100) return fmt::format("{:.0f} d", d);
  if (d >= 1) return fmt::format("{:.1f} d", d);
  return fmt::format("{:.1f} h", d * 24);
}

}  // namespace

Plot plan_index(const std::vector<IndexCurve>& curves, double file_T_vmm_days, const std::string& title,
                const std::string& about) {
  Plot plot;
  plot.about = about;
  plot.data = "# rejuv plan: T_vmm (days), index at m hosts, index per serving host; T_os and spares at each "
              "strategy's optimum\n";
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = 0;
  double top_hi = -1, top_lo = 2, bottom_hi = -1, bottom_lo = 2;
  for (size_t k = 0; k < curves.size(); ++k) {
    const auto& c = curves[k];
    plot.data += fmt::format("{}# {}\n", k ? "\n\n" : "", c.label);  // data sets for gnuplot's `index k`
    for (size_t j = 0; j < c.T_vmm_days.size(); ++j) {
      plot.data += fmt::format("{:.6g} {:.10f} {:.10f}\n", c.T_vmm_days[j], c.index[j], c.per_host[j]);
      x_lo = std::min(x_lo, c.T_vmm_days[j]);
      x_hi = std::max(x_hi, c.T_vmm_days[j]);
    }
    top_hi = std::max(top_hi, c.best_index);
    top_lo = std::min(top_lo, c.best_index);
    bottom_hi = std::max(bottom_hi, c.best_per_host);
    bottom_lo = std::min(bottom_lo, c.best_per_host);
  }
  // Each panel shows every optimum and the curves around them: from below the lowest optimum (by
  // the spread between optima, at least 2e-5) to a little above the highest.
  auto range = [](double lo, double hi) {
    const double spread = std::max(hi - lo, 2e-5);
    return fmt::format("set yrange [{:.10f}:{:.10f}]\n", lo - 0.6 * spread, hi + 0.25 * spread);
  };
  const std::string marks = [&] {
    std::string b = fmt::format("set arrow 1 from {0:.6g},graph 0 to {0:.6g},graph 1 nohead dt 2 lw 1.5 lc rgb '#777777'\n",
                                file_T_vmm_days);
    b += fmt::format("set label 1 {} at {:.6g},graph 0.03 rotate by 90 left offset -1,0 font \",11\" textcolor rgb "
                     "'#555555'\n",
                     quote(fmt::format("the file's T_vmm = {}", days_text(file_T_vmm_days))), file_T_vmm_days);
    return b;
  }();
  auto optima = [&](bool top) {
    std::string b;
    for (size_t k = 0; k < curves.size(); ++k) {
      const auto& c = curves[k];
      const double y = top ? c.best_index : c.best_per_host;
      if (c.best_T_vmm_days)
        b += fmt::format("set object {} circle at {:.6g},{:.10f} size screen 0.006 fc rgb '{}' fs solid front\n", k + 1,
                         *c.best_T_vmm_days, y, color(c.color));
      else  // never: an arrow at the right edge, at the level the curve tends to
        b += fmt::format("set arrow {} from graph 0.94,first {:.10f} to graph 1,first {:.10f} lw 2.5 lc rgb '{}' front\n",
                         k + 2, y, y, color(c.color));
    }
    return b;
  };
  auto plot_cmd = [&](int column, bool titles) {
    std::string cmd = "plot";
    for (size_t k = 0; k < curves.size(); ++k) {
      const auto& c = curves[k];
      const std::string t = titles ? quote(fmt::format("{}: best {}", c.label,
                                                       c.best_T_vmm_days ? days_text(*c.best_T_vmm_days) : "never"))
                                   : "";
      // Migration is drawn wide beneath live, which it nearly equals (as in fig7).
      const double width = c.color == 2 ? 5.5 : c.dashed ? 2.5 : 3;
      cmd += fmt::format("{} data index {} using 1:{} with lines lw {} {} lc rgb '{}' {}", k ? ", \\\n    " : " ", k,
                         column, width, c.dashed ? "dt (10,6)" : "dt 1", color(c.color),
                         titles ? "title " + t : "notitle");
    }
    return cmd + "\n";
  };
  std::string b;
  b += "set multiplot title " + quote(title) + " noenhanced\n";
  b += "set logscale x 10\n";
  b += fmt::format("set xrange [{:.6g}:{:.6g}]\n", x_lo, x_hi);
  b += "set format y \"%.5f\"\nset grid xtics mxtics ytics lc rgb '#dddddd'\n";
  b += "set lmargin at screen 0.11\nset rmargin at screen 0.60\n";
  b += "set key at screen 0.615,screen 0.90 left top Left reverse samplen 2.5 box opaque spacing 1.1 noenhanced "
       "font \",11\"\n";
  // Upper panel: the index at m hosts, which decides the ranking.
  b += "set tmargin at screen 0.90\nset bmargin at screen 0.53\nset format x \"\"\nunset xlabel\n";
  b += "set ylabel \"index P/(m p)\"\n" + range(top_lo, top_hi) + marks + optima(true) + plot_cmd(2, true);
  b += "unset label 1\n";
  // Lower panel: per serving host, where each curve's optimum shows.
  b += "unset object\nunset arrow\nunset label\nunset key\n";
  b += "set tmargin at screen 0.48\nset bmargin at screen 0.10\nset format x \"%g\"\n";
  b += "set xlabel \"T_{vmm}, days (log scale)\"\nset ylabel \"per serving host\"\n";
  b += "set label 2 \"filled point: each optimum\\narrow at the right edge: best never rejuvenated\\nlower panel: "
       "without the spares' share s/m\" at screen 0.62,screen 0.30 left font \",11\" textcolor rgb '#555555'\n";
  b += range(bottom_lo, bottom_hi) + marks.substr(0, marks.find("set label")) + optima(false) + plot_cmd(3, false);
  b += "unset multiplot\n";
  plot.body = b;
  return plot;
}

Plot ttt(const std::vector<TttPanel>& panels, const std::string& source, const std::string& about) {
  Plot plot;
  plot.about = about;
  plot.data = fmt::format("# Scaled total-time-on-test plot (Dohi et al., PRDC 2000) of {}\n", source);
  // The fixed points (−β, 0) left of the plot, up to β = 1; a line from further away enters at the edge.
  double beta_max = 0.1;
  for (const auto& panel : panels)
    for (const auto& l : panel.lines) beta_max = std::max(beta_max, std::min(l.beta, 1.0));
  const double x_lo = -beta_max - 0.08;
  bool first = true;
  for (const auto& panel : panels) {
    plot.data += fmt::format("{}# {}: p = F(t), phi = scaled TTT, t (s)\n", first ? "" : "\n\n", panel.component);
    first = false;
    for (const auto& pt : panel.points) plot.data += fmt::format("{:.8f} {:.8f} {:.1f}\n", pt.p, pt.phi, pt.t);
  }
  std::string b;
  const bool two = panels.size() > 1;
  if (two) b += "set multiplot layout 1,2 title " + quote("Scaled TTT plots of " + source) + " noenhanced\n";
  for (size_t k = 0; k < panels.size(); ++k) {
    const auto& panel = panels[k];
    b += "unset arrow\nunset label\nunset object\n";
    b += fmt::format("set title {} noenhanced\n",
                     quote(fmt::format("{}{}: {} crash times, {} censored", two ? "" : "Scaled TTT plot, ",
                                       panel.component, panel.crashes, panel.censored)));
    b += fmt::format("set xrange [{:.4f}:1.02]\nset yrange [0:1.02]\n", x_lo);
    b += "set xlabel \"p = F(t)\"\nset ylabel \"scaled total time on test\"\n";
    b += "set grid lc rgb '#dddddd'\nset key right bottom Left reverse box opaque noenhanced font \",10\" samplen 2.5\n";
    b += "set arrow from 0,0 to 1,1 nohead dt 2 lc rgb '#999999'\n";
    b += "set label \"no aging (exponential)\" at 0.55,0.5 rotate by 45 font \",10\" textcolor rgb '#777777'\n";
    b += "set arrow from 0,0 to 0,1.02 nohead lw 1 lc rgb '#555555'\n";
    std::string lines;
    int tag = 1;
    for (const auto& l : panel.lines) {
      // The steepest line from (−β, 0), drawn to its point; never: to (1, 1).
      const double x0 = std::max(-l.beta, x_lo);
      const double slope = l.optimum.phi / (l.optimum.p + l.beta);
      const double y0 = slope * (x0 + l.beta);
      b += fmt::format("set arrow from {:.6f},{:.6f} to {:.6f},{:.6f} nohead lw 2 {} lc rgb '{}'\n", x0, y0,
                       l.optimum.p, l.optimum.phi, l.dashed ? "dt (8,5)" : "dt 1", color(l.color));
      b += fmt::format("set object {} circle at {:.6f},{:.6f} size first 0.012 fc rgb '{}' fs solid front\n", tag++,
                       l.optimum.p, l.optimum.phi, color(l.color));
      if (l.beta <= x_lo * -1)
        b += fmt::format("set object {} circle at {:.6f},0 size first 0.008 fc rgb '{}' fs solid front\n", tag++, -l.beta,
                         color(l.color));
      lines += fmt::format(", \\\n    NaN with lines lw 2 {} lc rgb '{}' title {}", l.dashed ? "dt (8,5)" : "dt 1",
                           color(l.color),
                           quote(fmt::format("{}: β {:.3f}, {}", l.label, l.beta,
                                             l.never ? std::string("never")
                                                     : fmt::format("T* {}", days_text(l.optimum.t / 86400)))));
    }
    b += fmt::format("plot data index {} using 1:2 with linespoints pt 7 ps 0.35 lw 1.5 lc rgb '#444444' title \"observed (Kaplan-Meier)\"{}\n",
                     k, lines);
  }
  if (two) b += "unset multiplot\n";
  plot.body = b;
  return plot;
}

}  // namespace rejuv::plots
