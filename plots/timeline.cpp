// Throughput against time: a simulator run's timeline.csv, or a curve set with its events and,
// optionally, the fitted reboot step over it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "models/input_error.hpp"
#include "models/units.hpp"
#include "plots/autoscale_timeline.hpp"
#include "plots/csv_table.hpp"
#include "plots/figures.hpp"

namespace rejuv::plots {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* const kColors[] = {"#0072B2", "#D55E00", "#009E73", "#000000", "#CC79A7", "#E69F00"};

// Seconds, hours or days, whichever keeps the axis numbers readable.
std::pair<double, const char*> time_unit(double span_s) {
  if (span_s > 3 * 86400) return {86400, "days"};
  if (span_s > 3 * 3600) return {3600, "hours"};
  return {1, "s"};
}

Plot simulated(const fs::path& file) {
  const CsvTable t = read_csv(file);
  if (t.find("metric")) return autoscale_timeline(t);  // an autoscale run: demand, capacity, CPU
  const size_t ct = t.column("time_s"), cs = t.column("strategy"), cy = t.column("throughput");
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::pair<double, double>>> lines;
  double end = 0;
  for (const auto& row : t.rows) {
    const std::string& s = row.cells[cs];
    if (s.empty())
      throw InputError::in_file(t.place(row, cs), "strategy: expected a name, got an empty cell");
    if (!lines.count(s)) order.push_back(s);
    const double time = t.number(row, ct);
    lines[s].push_back({time, t.number(row, cy)});
    end = std::max(end, time);
  }
  if (order.empty()) throw InputError::in_file(t.file, "no rows after the header");
  const auto [unit, unit_name] = time_unit(end);
  Plot plot;
  plot.data = fmt::format("# Simulated cluster throughput from {} (rejuv run; SIMULATED data)\n",
                          t.file);
  std::string b = "set title " +
                  quote(fmt::format("Simulated cluster throughput over time  —  {}", t.file)) +
                  " noenhanced\n";
  b += fmt::format("set xlabel \"time ({})\"\nset ylabel \"cluster throughput (requests/s)\"\n",
                   unit_name);
  b += "set grid lc rgb '#dddddd'\nset key outside bottom center horizontal maxrows 1\n";
  b += "plot";
  for (size_t k = 0; k < order.size(); ++k) {
    plot.data += fmt::format("# block {}: {}\n# time_{} throughput_requests_per_s\n", k, order[k],
                             unit_name);
    for (const auto& [x, y] : lines[order[k]]) plot.data += fmt::format("{:.6g} {:.6f}\n", x / unit, y);
    plot.data += "\n\n";
    b += fmt::format("{} data index {} using 1:2 with steps lw 2 lc rgb '{}' title {}",
                     k ? ", \\\n    " : " ", k, kColors[k % 6], quote(display_name(order[k])));
  }
  b += "\n";
  plot.about = fmt::format(
      "Simulated cluster throughput against time, one line per strategy, from {}.\n"
      "Each value is the mean throughput over the interval starting at its time (steps).",
      t.file);
  plot.body = b;
  return plot;
}

struct FittedStep {
  std::string kind;  // warm, cold or os
  double D = 0, R = 0, omega = 0;
};

FittedStep read_fit(const fs::path& file) {
  const json doc = load_json(file);
  const std::string f = file.string();
  FittedStep s;
  for (const char* k : {"warm", "cold", "os"})
    if (doc.is_object() && doc.contains(k)) s.kind = k;
  if (s.kind.empty())
    throw InputError::in_file(
        f, "expected a warm, cold or os object (the output of `rejuv fit DIR --kind warm|cold|os`)");
  const std::string w = "/" + s.kind;
  try {
    const json& o = doc[s.kind];
    if (!o.is_object()) throw InputError(w, "expected an object");
    s.D = parse_duration(require_key(o, "downtime", w), w + "/downtime");
    s.R = o.contains("degraded_period") ? parse_duration(o["degraded_period"], w + "/degraded_period") : 0;
    s.omega = o.contains("degradation")
                  ? require_number(o["degradation"], w + "/degradation", "a fraction")
                  : 0;
  } catch (const InputError& e) {
    throw InputError::in_file(f + ": " + e.where(), e.message());
  }
  return s;
}

Plot curve_set(const fs::path& dir, const std::optional<fs::path>& fit) {
  const CsvTable t = read_csv(dir / "throughput.csv");
  const CsvTable ev = read_csv(dir / "events.csv");
  const size_t ct = t.column("time_s");
  std::vector<std::string> names;
  if (t.find("host")) names = {"host"};
  else if (t.find("src") && t.find("dst")) names = {"src", "dst"};
  else
    throw InputError::in_file(fmt::format("{}:{}", t.file, t.header_line),
                              fmt::format("expected a host column, or src and dst (the header has {})",
                                          fmt::join(t.header, ", ")));
  std::vector<std::pair<double, std::vector<std::string>>> rows;
  for (const auto& row : t.rows) {
    std::vector<std::string> v;
    for (const auto& n : names) {
      const auto y = t.number_or_empty(row, t.column(n));
      v.push_back(y ? fmt::format("{:.6g}", *y) : "NaN");
    }
    rows.push_back({t.number(row, ct), v});
  }
  if (rows.empty()) throw InputError::in_file(t.file, "no rows after the header");
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const double t_first = rows.front().first, t_last = rows.back().first;

  struct Ev {
    double time;
    std::string event, subject;
  };
  std::vector<Ev> events;
  const size_t et = ev.column("time_s"), ee = ev.column("event");
  const auto es = ev.find("subject");
  for (const auto& row : ev.rows)
    events.push_back({ev.number(row, et), row.cells[ee], es ? row.cells[*es] : ""});
  std::stable_sort(events.begin(), events.end(),
                   [](const Ev& a, const Ev& b) { return a.time < b.time; });

  Plot plot;
  plot.data = fmt::format("# Curve set {}: time_s {}\n", dir.string(), fmt::join(names, " "));
  for (const auto& [x, v] : rows) plot.data += fmt::format("{:.6g} {}\n", x, fmt::join(v, " "));
  std::string b = "set datafile missing \"NaN\"\n";
  b += "set title " + quote(fmt::format("Throughput around the events of curve set {}", dir.string())) +
       " noenhanced\n";
  b += "set xlabel \"time (s)\"\nset ylabel \"throughput (requests/s)\"\n";
  b += "set grid lc rgb '#dddddd'\nset key outside bottom center horizontal\n";
  b += fmt::format("set xrange [{}:{}]\nset yrange [0:*]\nset offsets 0,0,graph 0.38,0\n", t_first,
                   t_last);
  // Events: a vertical line each; labelled at the top, rotated, so that a dozen migrations fit.
  // The headroom above the data (offsets) keeps the labels clear of the curves.
  for (const auto& e : events) {
    const bool end = e.event.find("_end") != std::string::npos;
    b += fmt::format("set arrow from {0},graph 0 to {0},graph 1 nohead lw 1 dt {1} lc rgb '{2}'\n",
                     e.time, end ? 3 : 2, end ? "#999999" : "#555555");
    if (!end)
      b += fmt::format("set label {} at {},graph 0.99 rotate by 90 right offset -1.0,0 font \",11\" "
                       "textcolor rgb '#333333' noenhanced\n",
                       quote(e.subject.empty() ? display_name(e.event)
                                               : display_name(e.event) + " " + e.subject),
                       e.time);
  }
  b += "plot";
  for (size_t k = 0; k < names.size(); ++k)
    b += fmt::format("{} data index 0 using 1:{} with lines lw 1.5 lc rgb '{}' title {}",
                     k ? ", \\\n    " : " ", k + 2, kColors[k], quote("measured " + names[k]));
  plot.about = fmt::format(
      "Throughput of curve set {} against time, with its events (events.csv) as dashed\n"
      "vertical lines (dotted: the end of a move).",
      dir.string());
  if (fit) {
    const FittedStep s = read_fit(*fit);
    const char* start = s.kind == "os" ? "os_reboot_start" : "vmm_reboot_start";
    const auto it = std::find_if(events.begin(), events.end(),
                                 [&](const Ev& e) { return e.event == start; });
    if (it == events.end())
      throw InputError::in_file(ev.file, fmt::format("no {} event, which the {} fit in {} starts at",
                                                     start, s.kind, fit->string()));
    // The baseline p: the median of the host series before the event, as the fit takes it.
    std::vector<double> before;
    for (const auto& [x, v] : rows)
      if (x < it->time && v[0] != "NaN") before.push_back(std::stod(v[0]));
    if (before.empty())
      throw InputError::in_file(t.file, fmt::format("no {} sample before the {} at {} s", names[0],
                                                    start, it->time));
    std::nth_element(before.begin(), before.begin() + before.size() / 2, before.end());
    const double p = before[before.size() / 2], t0 = it->time;
    plot.data += fmt::format(
        "\n\n# Fitted step from {} ({}): baseline p = {:.6g}, D = {:.6g} s, R = {:.6g} s, "
        "degradation = {:.6g}\n# time_s throughput\n",
        fit->string(), s.kind, p, s.D, s.R, s.omega);
    const double pts[][2] = {{t_first, p},
                             {t0, p},
                             {t0, 0},
                             {t0 + s.D, 0},
                             {t0 + s.D, (1 - s.omega) * p},
                             {t0 + s.D + s.R, (1 - s.omega) * p},
                             {t0 + s.D + s.R, p},
                             {t_last, p}};
    for (const auto& q : pts) plot.data += fmt::format("{:.6g} {:.6g}\n", q[0], q[1]);
    b += fmt::format(", \\\n    data index 1 using 1:2 with lines lw 3 lc rgb '#D55E00' title {}",
                     quote(fmt::format("fitted {} model: D = {:.0f} s, R = {:.0f} s, 1 - {:.2f} "
                                       "while degraded",
                                       s.kind, s.D, s.R, s.omega)));
    plot.about += fmt::format(
        "\nOver it, the fitted {} step of {}: p before the event, 0 for D, (1 - degradation) p\n"
        "for R, then p. p is the median of the {} series before the event. For os this is the\n"
        "model's host-level accounting (seed 003 §3: A loses D_os, δ applies for R_os).",
        s.kind, fit->string(), names[0]);
  }
  b += "\n";
  plot.body = b;
  return plot;
}

}  // namespace

Plot timeline(const fs::path& input, const std::optional<fs::path>& fit) {
  std::error_code ec;
  if (fs::is_directory(input, ec)) {
    if (fs::exists(input / "timeline.csv")) {
      if (fit)
        throw InputError::in_file(fit->string(), "--fit goes with a curve set, not a simulator output");
      return simulated(input / "timeline.csv");
    }
    if (fs::exists(input / "throughput.csv")) return curve_set(input, fit);
    throw InputError::in_file(
        input.string(),
        "expected a simulator output folder (timeline.csv) or a curve set (throughput.csv, events.csv)");
  }
  if (input.filename() == "throughput.csv") return curve_set(input.parent_path(), fit);
  if (fit) throw InputError::in_file(fit->string(), "--fit goes with a curve set, not a simulator output");
  return simulated(input);
}

}  // namespace rejuv::plots
