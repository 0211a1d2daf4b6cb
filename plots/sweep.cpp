// One column of a sweep against a swept parameter, a line per strategy.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "models/input_error.hpp"
#include "models/units.hpp"
#include "plots/csv_table.hpp"
#include "plots/figures.hpp"

namespace rejuv::plots {

namespace fs = std::filesystem;

Plot sweep(const fs::path& input, const std::string& x_key, const std::string& y_key) {
  std::error_code ec;
  const CsvTable t = read_csv(fs::is_directory(input, ec) ? input / "sweep.csv" : input);
  const size_t cs = t.column("strategy");
  if (cs == 0)
    throw InputError::in_file(fmt::format("{}:{}", t.file, t.header_line),
                              "no swept key before the strategy column: nothing to plot against");
  const std::vector<std::string> keys(t.header.begin(), t.header.begin() + long(cs));
  const std::string x = x_key.empty() ? keys.front() : x_key;
  const std::string y = y_key.empty() ? "index" : y_key;
  if (std::find(keys.begin(), keys.end(), x) == keys.end())
    throw InputError::in_file(fmt::format("{}:{}", t.file, t.header_line),
                              fmt::format("--x: \"{}\" is not a swept key (the swept keys are {})",
                                          x, fmt::join(keys, ", ")));
  const size_t cx = t.column(x);
  const size_t cy = t.find(y) ? *t.find(y)
                              : throw InputError::in_file(
                                    fmt::format("{}:{}", t.file, t.header_line),
                                    fmt::format("--y: no column \"{}\" (the header has {})", y,
                                                fmt::join(t.header, ", ")));
  const auto chw = y == "index" ? t.find("index_ci95_half_width") : std::nullopt;

  // A swept value is a number or a duration ("7d"); durations are plotted in seconds.
  bool durations = false;
  auto x_value = [&](const CsvRow& row) {
    const std::string& s = row.cells[cx];
    size_t used = 0;
    try {
      const double v = std::stod(s, &used);
      if (used == s.size()) return v;
    } catch (const std::exception&) {
    }
    try {
      durations = true;
      return parse_duration_text(s, "");
    } catch (const InputError&) {
      throw InputError::in_file(t.place(row, cx),
                                fmt::format("{}: expected a number or a duration, got \"{}\"", x, s));
    }
  };
  struct Point {
    double x, y;
    std::optional<double> hw;
  };
  std::vector<std::string> order;
  std::map<std::string, std::vector<Point>> lines;
  bool bands = false;
  for (const auto& row : t.rows) {
    std::string label = display_name(row.cells[cs]);
    for (size_t k = 0; k < cs; ++k)
      if (k != cx) label += fmt::format(", {}={}", keys[k], row.cells[k]);
    if (!lines.count(label)) order.push_back(label);
    Point p{x_value(row), t.number(row, cy), chw ? t.number_or_empty(row, *chw) : std::nullopt};
    bands = bands || p.hw.has_value();
    lines[label].push_back(p);
  }
  if (order.empty()) throw InputError::in_file(t.file, "no rows after the header");

  Plot plot;
  plot.data = fmt::format("# Sweep {}: {} against {}{}\n", t.file, y, x, durations ? " (s)" : "");
  const char* const colors[] = {"#0072B2", "#D55E00", "#009E73", "#000000", "#CC79A7", "#E69F00",
                                "#56B4E9", "#F0E442"};
  std::string lines_cmd, bands_cmd;
  for (size_t k = 0; k < order.size(); ++k) {
    auto& pts = lines[order[k]];
    std::stable_sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
    plot.data += fmt::format("# block {}: {}\n# {} {} low high\n", k, order[k], x, y);
    for (const auto& p : pts) {
      const double hw = p.hw.value_or(0);
      plot.data += fmt::format("{:.10g} {:.10g} {:.10g} {:.10g}\n", p.x, p.y, p.y - hw, p.y + hw);
    }
    plot.data += "\n\n";
    const char* c = colors[k % 8];
    if (bands)
      bands_cmd += fmt::format("{}data index {} using 1:3:4 with filledcurves fs transparent solid "
                               "0.18 noborder lc rgb '{}' notitle",
                               bands_cmd.empty() ? "" : ", \\\n    ", k, c);
    lines_cmd += fmt::format("{}data index {} using 1:2 with linespoints lw 2 pt {} lc rgb '{}' title {} noenhanced",
                             lines_cmd.empty() ? "" : ", \\\n    ", k, 5 + 2 * int(k % 5), c,
                             quote(order[k]));
  }
  std::string b = "set title " +
                  quote(fmt::format("{} against {}  —  sweep {}", y, x, t.file)) + " noenhanced\n";
  b += "set xlabel " + quote(x + (durations ? " (s)" : "")) + " noenhanced\n";
  b += "set ylabel " + quote(y + (bands ? "  (band: ±95 % confidence half width)" : "")) +
       " noenhanced\n";
  b += "set grid lc rgb '#dddddd'\nset key outside right top\n";
  // Host counts and rates often span decades: a log x axis once the values span a factor of 100.
  double lo = 1e300, hi = -1e300;
  for (const auto& [_, pts] : lines)
    for (const auto& q : pts) lo = std::min(lo, q.x), hi = std::max(hi, q.x);
  if (lo > 0 && hi / lo >= 100) b += "set logscale x 10\n";
  b += "plot " + (bands ? bands_cmd + ", \\\n    " : "") + lines_cmd + "\n";
  plot.body = b;
  plot.about = fmt::format(
      "Column {} of {} against the swept key {}, one line per strategy{}.{}", y, t.file, x,
      keys.size() > 1 ? " and value of the other swept keys" : "",
      bands ? "\nThe bands are index ± index_ci95_half_width (Student t, over the replications)." : "");
  return plot;
}

}  // namespace rejuv::plots
