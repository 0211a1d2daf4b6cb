// An autoscale run's timeline.csv (time_s,strategy,metric,subject,value): one panel per strategy
// with each loaded service's demand, the capacity its instances offer and the demand left unserved,
// each VM's CPU on the right axis, and the scale-outs and scale-ins as vertical lines.
#include "plots/autoscale_timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "models/input_error.hpp"

namespace rejuv::plots {

namespace {

const char* const kServiceColors[] = {"#000000", "#D55E00", "#009E73", "#CC79A7"};
const char* const kVmColors[] = {"#0072B2", "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#999999"};

struct Series {
  std::vector<double> t, demand, capacity, served;
};
struct Panel {
  std::vector<std::string> services;  // in order of appearance
  std::map<std::string, Series> by_service;
  std::vector<std::string> vms;
  std::map<std::string, std::vector<std::pair<double, double>>> cpu;
  std::vector<std::pair<double, std::string>> events;  // (time, label)
  double first_scale_out_s = NAN;
};

}  // namespace

Plot autoscale_timeline(const CsvTable& t) {
  const size_t ct = t.column("time_s"), cs = t.column("strategy"), cm = t.column("metric"),
               cj = t.column("subject"), cv = t.column("value");
  std::vector<std::string> order;
  std::map<std::string, Panel> panels;
  double end = 0, peak = 0,
         peak_demand = 0;  // the highest demand or capacity of a loaded service; demand
  for (const auto& row : t.rows) {
    const std::string& s = row.cells[cs];
    if (s.empty())
      throw InputError::in_file(t.place(row, cs), "strategy: expected a name, got an empty cell");
    if (!panels.count(s)) order.push_back(s);
    Panel& p = panels[s];
    const double time = t.number(row, ct), value = t.number(row, cv);
    const std::string& metric = row.cells[cm];
    const std::string& subject = row.cells[cj];
    end = std::max(end, time);
    if (metric == "demand" || metric == "capacity" || metric == "served") {
      if (!p.by_service.count(subject)) p.services.push_back(subject);
      Series& x = p.by_service[subject];
      if (metric == "demand") {
        x.t.push_back(time);
        x.demand.push_back(value);
      } else {
        (metric == "capacity" ? x.capacity : x.served).push_back(value);
      }
      if (metric != "served") peak = std::max(peak, value);
      if (metric == "demand") peak_demand = std::max(peak_demand, value);
    } else if (metric == "cpu") {
      if (!p.cpu.count(subject)) p.vms.push_back(subject);
      p.cpu[subject].push_back({time, 100 * value});
    } else if (metric == "scale_out") {
      p.events.push_back({time, fmt::format("{} out", subject)});
      if (std::isnan(p.first_scale_out_s)) p.first_scale_out_s = value;
    } else if (metric == "scale_in") {
      p.events.push_back({time, fmt::format("{} in", subject)});
    } else if (metric == "scale_out_failed") {
      p.events.push_back({time, "failed"});
    } else {
      throw InputError::in_file(
          t.place(row, cm),
          fmt::format("metric: expected demand, capacity, served, cpu, scale_out, "
                      "scale_out_failed or scale_in, got \"{}\"",
                      metric));
    }
  }
  if (order.empty()) throw InputError::in_file(t.file, "no rows after the header");
  for (const auto& [s, p] : panels)
    for (const auto& [n, x] : p.by_service)
      if (x.capacity.size() != x.demand.size() || x.served.size() != x.demand.size())
        throw InputError::in_file(
            t.file, fmt::format("strategy {}, service {}: expected demand, capacity and served "
                                "rows at the same times",
                                s, n));
  const bool minutes = end > 1800;
  const double unit = minutes ? 60 : 1;

  Plot plot;
  plot.data = fmt::format("# Autoscale timeline from {} (rejuv run; SIMULATED data)\n", t.file);
  const size_t n = order.size();
  const size_t cols = n > 3 ? 2 : 1, rows = (n + cols - 1) / cols;
  std::string b = fmt::format(
      "set multiplot layout {},{} title {} noenhanced\n", rows, cols,
      quote(fmt::format("Simulated autoscaling: demand, capacity and CPU  —  {}", t.file)));
  int block = 0;
  for (const auto& s : order) {
    const Panel& p = panels[s];
    std::string title = display_name(s);
    if (!std::isnan(p.first_scale_out_s))
      title += fmt::format(": scale-out in {:.1f} s", p.first_scale_out_s);
    b += "reset\n";
    b += fmt::format("set title {}\n", quote(title));
    b += fmt::format("set xlabel \"time ({})\" offset 0,0.5\nset ylabel \"requests/s\"\n",
                     minutes ? "min" : "s");
    b += "set y2label \"CPU (%)\"\nset y2range [0:105]\nset ytics nomirror\nset y2tics 0,25,100\n";
    b += fmt::format("set xrange [0:{}]\n", end / unit);
    // Capacity far above the demand (a cheap service's spare CPU) is cut at three times the peak demand.
    const double top = peak_demand > 0 ? std::min(peak, 3 * peak_demand) : peak;
    if (top > 0) b += fmt::format("set yrange [0:{}]\n", 1.1 * top);
    b += "set grid lc rgb '#dddddd'\nset key outside top center horizontal maxrows 1 font \",9\" "
         "samplen 1.5\n";
    for (const auto& [time, label] : p.events) {
      b += fmt::format(
          "set arrow from {0},graph 0 to {0},graph 1 nohead lw 1 dt 3 lc rgb '#555555'\n",
          time / unit);
      if (p.events.size() > 6) continue;  // lines only: the labels would overlap
      b += fmt::format(
          "set label {} at {},graph 0.04 left rotate by 90 offset -0.6,0 font \",9\" noenhanced\n",
          quote(label), time / unit);
    }
    std::string plots;
    auto add = [&](const std::string& what) {
      plots += (plots.empty() ? "plot " : ", \\\n     ") + what;
    };
    for (size_t k = 0; k < p.services.size(); ++k) {
      const std::string& svc = p.services[k];
      const Series& x = p.by_service.at(svc);
      plot.data += fmt::format("# block {}: {} {}\n# time_{} demand capacity served (requests/s)\n",
                               block, s, svc, minutes ? "min" : "s");
      for (size_t r = 0; r < x.t.size(); ++r)
        plot.data += fmt::format("{:.6g} {:.6g} {:.6g} {:.6g}\n", x.t[r] / unit, x.demand[r],
                                 x.capacity[r], x.served[r]);
      plot.data += "\n\n";
      const char* color = kServiceColors[k % 4];
      const bool one = p.services.size() == 1;
      add(fmt::format("data index {} using 1:4:2 with filledcurves lc rgb '#F4A6A6' title {}",
                      block, quote(one ? "unserved" : svc + " unserved")));
      add(fmt::format("data index {} using 1:2 with steps lw 2 lc rgb '{}' title {}", block, color,
                      quote(one ? "demand" : svc + " demand")));
      add(fmt::format("data index {} using 1:3 with steps lw 2 dt 2 lc rgb '{}' title {}", block,
                      color, quote(one ? "capacity" : svc + " capacity")));
      ++block;
    }
    // The scenario's VMs (running from the first row) each with its colour; the VMs the
    // autoscaler added share one, so that a dozen of them do not crowd the key.
    bool added_titled = false;
    size_t own = 0;
    for (size_t k = 0; k < p.vms.size(); ++k) {
      const std::string& vm = p.vms[k];
      const bool original = p.cpu.at(vm).front().first <= 0;
      plot.data += fmt::format("# block {}: {} CPU of VM {}\n# time_{} cpu_percent\n", block, s, vm,
                               minutes ? "min" : "s");
      for (const auto& [time, cpu] : p.cpu.at(vm))
        plot.data += fmt::format("{:.6g} {:.4g}\n", time / unit, cpu);
      plot.data += "\n\n";
      std::string title = "notitle";
      if (original)
        title = "title " + quote("CPU " + vm);
      else if (!added_titled)
        title = "title \"CPU, added VMs\"";
      added_titled |= !original;
      add(fmt::format(
          "data index {} using 1:2 axes x1y2 with steps lw 1.2 lc rgb '{}' {} noenhanced", block,
          original ? kVmColors[own++ % 6] : "#E69F00", title));
      ++block;
    }
    b += plots + "\n";
  }
  b += "unset multiplot\n";
  plot.body = b;
  plot.about = fmt::format(
      "Simulated autoscaling from {}, one panel per strategy: each loaded service's demand "
      "(solid)\n"
      "and the capacity its serving instances offer (dashed), in requests/s, with the demand left\n"
      "unserved shaded; each VM's CPU on the right axis; scale-outs and scale-ins as dotted "
      "lines.\n"
      "Each value is a mean over the interval starting at its time (steps).",
      t.file);
  return plot;
}

}  // namespace rejuv::plots
