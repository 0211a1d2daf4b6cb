#include "fitting/curve_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>

#include "models/input_error.hpp"

namespace rejuv::fitting {

namespace fs = std::filesystem;

namespace {

struct Cell {
  std::string text;  // trimmed
  int column;        // 1-based character column where the cell starts
};

struct Line {
  int number;
  std::vector<Cell> cells;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::vector<Cell> split(const std::string& line) {
  std::vector<Cell> cells;
  size_t start = 0;
  while (true) {
    size_t end = line.find(',', start);
    if (end == std::string::npos) end = line.size();
    size_t a = start, b = end;
    while (a < b && is_space(line[a])) ++a;
    while (b > a && is_space(line[b - 1])) --b;
    cells.push_back({line.substr(a, b - a), static_cast<int>(start) + 1});
    if (end == line.size()) break;
    start = end + 1;
  }
  return cells;
}

// Non-blank, non-comment lines of a file, numbered as an editor numbers them.
std::vector<Line> read_lines(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw InputError::in_file(file.string(),
                     "cannot open the file (a curve set needs throughput.csv and events.csv)");
  std::vector<Line> lines;
  std::string text;
  int number = 0;
  while (std::getline(in, text)) {
    ++number;
    if (number == 1 && text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // UTF-8 BOM
    size_t k = 0;
    while (k < text.size() && is_space(text[k])) ++k;
    if (k == text.size() || text[k] == '#') continue;
    lines.push_back({number, split(text)});
  }
  return lines;
}

std::string where(const fs::path& file, int line, int column) {
  return fmt::format("{}:{}:{}", file.string(), line, column);
}

double number_cell(const fs::path& file, int line, const Cell& c, const std::string& what) {
  double x = 0;
  const char* first = c.text.data();
  const char* last = first + c.text.size();
  if (!c.text.empty() && *first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, x);
  if (c.text.empty() || ec != std::errc() || ptr != last || !std::isfinite(x))
    throw InputError::in_file(where(file, line, c.column),
                     fmt::format("expected a number for {}, got \"{}\"", what, c.text));
  return x;
}

}  // namespace

const Series& CurveSet::series(const std::string& name) const {
  auto it = series_by_name.find(name);
  if (it != series_by_name.end()) return it->second;
  std::string have;
  for (const auto& c : columns) have += (have.empty() ? "" : ", ") + c;
  throw InputError::in_file(
      where(throughput_file, header_line, 1),
      fmt::format("expected a column \"{}\" in the header (it has time_s, {})", name, have));
}

std::vector<std::string> CurveSet::vm_columns() const {
  std::vector<std::pair<int, std::string>> vms;
  for (const auto& c : columns)
    if (auto k = vm_number(c)) vms.emplace_back(*k, c);
  std::sort(vms.begin(), vms.end());
  std::vector<std::string> names;
  for (auto& [k, n] : vms) names.push_back(n);
  return names;
}

std::vector<Event> CurveSet::events_of(const std::string& kind) const {
  std::vector<Event> out;
  for (const auto& e : events)
    if (e.event == kind) out.push_back(e);
  return out;
}

const Event& CurveSet::first_event(const std::string& kind) const {
  for (const auto& e : events)
    if (e.event == kind) return e;
  std::set<std::string> kinds;
  for (const auto& e : events) kinds.insert(e.event);
  std::string have;
  for (const auto& k : kinds) have += (have.empty() ? "" : ", ") + k;
  throw InputError::in_file(events_file.string(), fmt::format("expected an event \"{}\", found {}", kind,
                                                     have.empty() ? "no events" : "only: " + have));
}

CurveSet read_curve_set(const fs::path& dir) {
  CurveSet cs;
  cs.dir = dir;
  cs.throughput_file = dir / "throughput.csv";
  cs.events_file = dir / "events.csv";
  if (!fs::is_directory(dir))
    throw InputError::in_file(dir.string(), "expected a folder holding throughput.csv and events.csv");

  // throughput.csv
  {
    const auto& file = cs.throughput_file;
    auto lines = read_lines(file);
    if (lines.empty())
      throw InputError::in_file(file.string(),
                       "expected a header line \"time_s,<series>,…\", the file is empty");
    const Line& header = lines.front();
    cs.header_line = header.number;
    if (header.cells[0].text != "time_s")
      throw InputError::in_file(where(file, header.number, header.cells[0].column),
                       fmt::format("expected the first column to be \"time_s\", got \"{}\"",
                                   header.cells[0].text));
    if (header.cells.size() < 2)
      throw InputError::in_file(where(file, header.number, 1),
                       "expected at least one series column after time_s");
    for (size_t c = 1; c < header.cells.size(); ++c) {
      const auto& name = header.cells[c].text;
      if (name.empty() || cs.series_by_name.count(name))
        throw InputError::in_file(where(file, header.number, header.cells[c].column),
                         name.empty() ? "expected a column name, got an empty cell"
                                      : fmt::format("column \"{}\" appears twice", name));
      cs.columns.push_back(name);
      cs.series_by_name[name].name = name;
    }
    struct Row {
      double t;
      const Line* line;
    };
    std::vector<Row> rows;
    for (size_t k = 1; k < lines.size(); ++k) {
      const Line& l = lines[k];
      if (l.cells.size() > header.cells.size())
        throw InputError::in_file(where(file, l.number, l.cells[header.cells.size()].column),
                         fmt::format("expected {} cells as in the header, got {}",
                                     header.cells.size(), l.cells.size()));
      rows.push_back({number_cell(file, l.number, l.cells[0], "time_s"), &l});
      // A short row leaves its last series empty (a gap), as a spreadsheet writes it.
      for (size_t c = 1; c < l.cells.size(); ++c)
        if (!l.cells[c].text.empty())
          number_cell(file, l.number, l.cells[c], "\"" + header.cells[c].text + "\"");
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.t < b.t; });
    for (const Row& r : rows)
      for (size_t c = 1; c < r.line->cells.size(); ++c) {
        const Cell& cell = r.line->cells[c];
        if (cell.text.empty()) continue;
        Series& s = cs.series_by_name[header.cells[c].text];
        s.t.push_back(r.t);
        s.y.push_back(number_cell(file, r.line->number, cell, ""));
      }
  }

  // events.csv
  {
    const auto& file = cs.events_file;
    auto lines = read_lines(file);
    if (lines.empty())
      throw InputError::in_file(file.string(),
                       "expected a header line \"time_s,event,subject\", the file is empty");
    const Line& header = lines.front();
    const char* expected[] = {"time_s", "event", "subject"};
    for (size_t c = 0; c < 3; ++c) {
      if (c == 2 && header.cells.size() == 2) break;  // subject is optional
      if (c >= header.cells.size() || header.cells[c].text != expected[c])
        throw InputError::in_file(
            where(file, header.number, c < header.cells.size() ? header.cells[c].column : 1),
            fmt::format("expected the header \"time_s,event,subject\", got column {} = \"{}\"",
                        c + 1, c < header.cells.size() ? header.cells[c].text : ""));
    }
    for (size_t k = 1; k < lines.size(); ++k) {
      const Line& l = lines[k];
      if (l.cells.size() > header.cells.size())
        throw InputError::in_file(
            where(file, l.number, l.cells[header.cells.size()].column),
            fmt::format("expected at most {} cells, got {}", header.cells.size(), l.cells.size()));
      Event e;
      e.line = l.number;
      e.time = number_cell(file, l.number, l.cells[0], "time_s");
      if (l.cells.size() < 2 || l.cells[1].text.empty())
        throw InputError::in_file(
            where(file, l.number,
                  l.cells.size() < 2
                      ? static_cast<int>(l.cells[0].column + l.cells[0].text.size() + 1)
                      : l.cells[1].column),
            "expected an event name such as vmm_reboot_start, os_reboot_start or migration_start");
      e.event = l.cells[1].text;
      if (l.cells.size() > 2) e.subject = l.cells[2].text;
      if ((e.event.starts_with("migration_") || e.event == "os_reboot_start") &&
          !vm_number(e.subject))
        throw InputError::in_file(
            where(file, l.number, l.cells.size() > 2 ? l.cells[2].column : 1),
            fmt::format("expected the VM as subject (\"vm1\", \"vm2\", …) of {}, got \"{}\"",
                        e.event, e.subject));
      cs.events.push_back(e);
    }
    std::stable_sort(cs.events.begin(), cs.events.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
  }
  return cs;
}

double value_at(const Series& s, Seconds t) {
  if (s.t.empty()) return 0;
  if (t <= s.t.front()) return s.y.front();
  if (t >= s.t.back()) return s.y.back();
  auto it = std::upper_bound(s.t.begin(), s.t.end(), t);
  size_t k = static_cast<size_t>(it - s.t.begin());
  const double t0 = s.t[k - 1], t1 = s.t[k];
  if (t1 == t0) return s.y[k];
  return s.y[k - 1] + (s.y[k] - s.y[k - 1]) * (t - t0) / (t1 - t0);
}

double time_mean(const Series& s, Seconds a, Seconds b) {
  if (!(b > a)) return value_at(s, a);
  // Trapezoids between a, the samples inside (a, b), and b.
  std::vector<std::pair<double, double>> pts{{a, value_at(s, a)}};
  for (size_t k = 0; k < s.size(); ++k)
    if (s.t[k] > a && s.t[k] < b) pts.emplace_back(s.t[k], s.y[k]);
  pts.emplace_back(b, value_at(s, b));
  double area = 0;
  for (size_t k = 1; k < pts.size(); ++k)
    area += 0.5 * (pts[k].second + pts[k - 1].second) * (pts[k].first - pts[k - 1].first);
  return area / (b - a);
}

std::vector<double> samples_in(const Series& s, Seconds a, Seconds b) {
  std::vector<double> v;
  for (size_t k = 0; k < s.size(); ++k)
    if (s.t[k] >= a && s.t[k] < b) v.push_back(s.y[k]);
  return v;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  const size_t h = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(h), v.end());
  if (v.size() % 2) return v[h];
  const double hi = v[h];
  return 0.5 * (hi + *std::max_element(v.begin(), v.begin() + static_cast<long>(h)));
}

std::optional<int> vm_number(const std::string& name) {
  if (name.size() < 3 || !name.starts_with("vm")) return std::nullopt;
  int k = 0;
  auto [ptr, ec] = std::from_chars(name.data() + 2, name.data() + name.size(), k);
  if (ec != std::errc() || ptr != name.data() + name.size() || k < 1) return std::nullopt;
  return k;
}

}  // namespace rejuv::fitting
