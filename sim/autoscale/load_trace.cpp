#include "sim/autoscale/load_trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numbers>
#include <stdexcept>

#include "models/input_error.hpp"
#include "sim/autoscale/json_read.hpp"

namespace rejuv::sim::autoscale {

using nlohmann::json;

LoadTrace LoadTrace::constant(double rate) {
  LoadTrace t;
  t.kind_ = Kind::constant;
  t.a_ = rate;
  return t;
}

LoadTrace LoadTrace::step(double from, double to, Seconds at) {
  LoadTrace t;
  t.kind_ = Kind::step;
  t.a_ = from;
  t.b_ = to;
  t.t0_ = at;
  return t;
}

LoadTrace LoadTrace::ramp(double from, double to, Seconds start, Seconds end) {
  if (!(end >= start)) throw std::invalid_argument("LoadTrace::ramp: end before start");
  LoadTrace t;
  t.kind_ = Kind::ramp;
  t.a_ = from;
  t.b_ = to;
  t.t0_ = start;
  t.t1_ = end;
  return t;
}

LoadTrace LoadTrace::periodic(double mean, double amplitude, Seconds period, Seconds phase) {
  if (!(period > 0) || !(amplitude <= mean))
    throw std::invalid_argument("LoadTrace::periodic: out of range");
  LoadTrace t;
  t.kind_ = Kind::periodic;
  t.a_ = mean;
  t.b_ = amplitude;
  t.t0_ = period;
  t.t1_ = phase;
  return t;
}

LoadTrace LoadTrace::table(std::vector<std::pair<Seconds, double>> points, bool linear) {
  if (points.empty()) throw std::invalid_argument("LoadTrace::table: no points");
  for (size_t k = 1; k < points.size(); ++k)
    if (!(points[k].first > points[k - 1].first))
      throw std::invalid_argument("LoadTrace::table: times not increasing");
  LoadTrace t;
  t.kind_ = Kind::table;
  t.points_ = std::move(points);
  t.linear_ = linear;
  return t;
}

double LoadTrace::rate(Seconds t) const {
  switch (kind_) {
    case Kind::constant:
      return a_;
    case Kind::step:
      return t < t0_ ? a_ : b_;
    case Kind::ramp:
      if (t <= t0_) return a_;
      if (t >= t1_) return b_;
      return a_ + (b_ - a_) * (t - t0_) / (t1_ - t0_);
    case Kind::periodic:
      return std::max(0.0, a_ + b_ * std::sin(2 * std::numbers::pi * (t - t1_) / t0_));
    case Kind::table: {
      // The last point at or before t.
      auto it = std::upper_bound(
          points_.begin(), points_.end(), t,
          [](Seconds x, const std::pair<Seconds, double>& p) { return x < p.first; });
      if (it == points_.begin()) return points_.front().second;
      if (it == points_.end()) return points_.back().second;
      const auto& lo = *(it - 1);
      if (!linear_) return lo.second;
      return lo.second + (it->second - lo.second) * (t - lo.first) / (it->first - lo.first);
    }
  }
  return 0;
}

LoadTrace LoadTrace::scaled(double factor) const {
  LoadTrace t = *this;
  t.a_ *= factor;
  t.b_ *= factor;
  for (auto& p : t.points_) p.second *= factor;
  return t;
}

// --- reading -------------------------------------------------------------------------------------

namespace {

const char* const kKinds = "\"constant\", \"step\", \"ramp\", \"periodic\" or \"csv\"";

// The one kind key of a trace object.
std::string kind_key(const json& v, const std::string& where) {
  if (!v.is_object())
    throw InputError(where, fmt::format("expected a load trace object with one of {}, got {}",
                                        kKinds, describe(v)));
  std::string found;
  for (const auto& [k, _] : v.items()) {
    if (k.starts_with("_") || k == "interpolation") continue;
    if (k != "constant" && k != "step" && k != "ramp" && k != "periodic" && k != "csv")
      throw InputError(where + "/" + k, fmt::format("unknown key (expected one of {})", kKinds));
    if (!found.empty())
      throw InputError(where + "/" + k,
                       fmt::format("a trace has one kind, got both \"{}\" and \"{}\"", found, k));
    found = k;
  }
  if (found.empty())
    throw InputError(where,
                     fmt::format("expected one of the keys {}, got {}", kKinds, describe(v)));
  if (v.contains("interpolation") && found != "csv")
    throw InputError(where + "/interpolation", "applies only to a \"csv\" trace");
  return found;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<double> to_number(std::string_view s) {
  double x = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(x)) return std::nullopt;
  return x;
}

}  // namespace

LoadTrace read_csv_trace(const std::filesystem::path& file, bool linear, const std::string& where) {
  const std::string name = file.string();
  const std::string about = fmt::format(" (the trace at {})", where);
  std::ifstream in(file);
  if (!in) throw InputError::in_file(name, "cannot open the load trace" + about);
  std::vector<std::pair<Seconds, double>> points;
  std::string line;
  int lineno = 0;
  bool seen_first = false;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string_view l = trim(line);
    if (l.empty() || l.front() == '#') continue;
    // Cells with the column (1-based) where each starts.
    std::vector<std::pair<std::string_view, int>> cells;
    size_t a = 0;
    const std::string_view whole(line);
    for (;;) {
      const size_t e = whole.find(',', a);
      const std::string_view raw =
          whole.substr(a, e == std::string_view::npos ? std::string_view::npos : e - a);
      const size_t lead = raw.find_first_not_of(" \t");
      cells.push_back({trim(raw), int(a + (lead == std::string_view::npos ? 0 : lead)) + 1});
      if (e == std::string_view::npos) break;
      a = e + 1;
    }
    const bool first = !seen_first;
    seen_first = true;
    if (first && !to_number(cells[0].first)) {  // a header
      if (cells.size() != 2)
        throw InputError::in_file(
            fmt::format("{}:{}", name, lineno),
            fmt::format("expected a header of two columns (time_s,rate), got {}{}", cells.size(),
                        about));
      continue;
    }
    if (cells.size() != 2)
      throw InputError::in_file(
          fmt::format("{}:{}", name, lineno),
          fmt::format("expected two cells, time_s,rate, got {}{}", cells.size(), about));
    const auto place = [&](int c) {
      return fmt::format("{}:{}:{}", name, lineno, cells[c].second);
    };
    const auto t = to_number(cells[0].first);
    if (!t || *t < 0)
      throw InputError::in_file(
          place(0),
          fmt::format("expected a time in seconds ≥ 0, got \"{}\"{}", cells[0].first, about));
    const auto r = to_number(cells[1].first);
    if (!r || *r < 0)
      throw InputError::in_file(
          place(1),
          fmt::format("expected a rate ≥ 0 in requests/s, got \"{}\"{}", cells[1].first, about));
    if (!points.empty() && !(*t > points.back().first))
      throw InputError::in_file(
          place(0), fmt::format("expected a time after the previous row's {} s, got {}{}",
                                points.back().first, cells[0].first, about));
    points.push_back({*t, *r});
  }
  if (points.empty())
    throw InputError::in_file(name, "expected at least one row time_s,rate" + about);
  return LoadTrace::table(std::move(points), linear);
}

LoadTrace parse_load_trace(const json& v, const std::string& where,
                           const std::filesystem::path& folder) {
  const std::string kind = kind_key(v, where);
  const std::string at = where + "/" + kind;
  const json& body = v.at(kind);
  if (kind == "constant") return LoadTrace::constant(read::rate(body, at));
  if (kind == "step") {
    read::object_keys(body, at, {"from", "to", "at"});
    return LoadTrace::step(read::rate(require_key(body, "from", at), at + "/from"),
                           read::rate(require_key(body, "to", at), at + "/to"),
                           parse_duration(require_key(body, "at", at), at + "/at"));
  }
  if (kind == "ramp") {
    read::object_keys(body, at, {"from", "to", "start", "end"});
    const double from = read::rate(require_key(body, "from", at), at + "/from");
    const double to = read::rate(require_key(body, "to", at), at + "/to");
    const Seconds start = parse_duration(require_key(body, "start", at), at + "/start");
    const Seconds end = parse_duration(require_key(body, "end", at), at + "/end");
    if (end < start)
      throw InputError(at + "/end",
                       fmt::format("expected end ≥ start ({} s), got {} s", start, end));
    return LoadTrace::ramp(from, to, start, end);
  }
  if (kind == "periodic") {
    read::object_keys(body, at, {"mean", "amplitude", "period", "phase"});
    const double mean = read::rate(require_key(body, "mean", at), at + "/mean");
    const double amplitude = read::rate(require_key(body, "amplitude", at), at + "/amplitude");
    if (amplitude > mean)
      throw InputError(
          at + "/amplitude",
          fmt::format(
              "expected an amplitude ≤ the mean ({}), so that the rate never goes below 0, got {}",
              mean, amplitude));
    const Seconds period = parse_duration(require_key(body, "period", at), at + "/period", true);
    const Seconds phase = body.contains("phase") ? parse_duration(body["phase"], at + "/phase") : 0;
    return LoadTrace::periodic(mean, amplitude, period, phase);
  }
  // csv
  const std::string path = read::text(body, at, "the path of a CSV file of time_s,rate rows");
  bool linear = false;
  if (v.contains("interpolation")) {
    const json& i = v["interpolation"];
    if (i == "linear")
      linear = true;
    else if (i != "step")
      throw InputError(where + "/interpolation",
                       fmt::format("expected \"step\" or \"linear\", got {}", describe(i)));
  }
  std::filesystem::path file(path);
  if (file.is_relative() && !folder.empty()) file = folder / file;
  return read_csv_trace(file, linear, at);
}

}  // namespace rejuv::sim::autoscale
