#pragma once
// The load offered to one service, in requests/s against time: constant, a step, a ramp, a
// periodic (sinusoidal) load, or a table of (time, rate) points read from a CSV file.
//
//   LoadTrace t = LoadTrace::step(0, 5, 75);  // 5 requests/s from 75 s on (seed 004 §5.5's load)
//   t.rate(80.0);                             // 5
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "models/units.hpp"

namespace rejuv::sim::autoscale {

class LoadTrace {
 public:
  enum class Kind : uint8_t { constant, step, ramp, periodic, table };

  LoadTrace() = default;  // constant 0
  static LoadTrace constant(double rate);
  // `from` before `at`, `to` from `at` on.
  static LoadTrace step(double from, double to, Seconds at);
  // `from` until `start`, linear to `to` at `end`, `to` afterwards (start ≤ end).
  static LoadTrace ramp(double from, double to, Seconds start, Seconds end);
  // mean + amplitude·sin(2π(t − phase)/period), amplitude ≤ mean so that it never goes negative.
  static LoadTrace periodic(double mean, double amplitude, Seconds period, Seconds phase);
  // Points sorted by strictly increasing time. Before the first point the first rate holds, after
  // the last the last; in between the rate holds until the next point (`linear` false) or is
  // interpolated linearly.
  static LoadTrace table(std::vector<std::pair<Seconds, double>> points, bool linear);

  Kind kind() const { return kind_; }
  double rate(Seconds t) const;
  // Every rate multiplied by `factor` ≥ 0 (a scenario's "load_scale").
  LoadTrace scaled(double factor) const;

 private:
  Kind kind_ = Kind::constant;
  double a_ = 0, b_ = 0;     // constant: a; step/ramp: from, to; periodic: mean, amplitude
  Seconds t0_ = 0, t1_ = 0;  // step: at; ramp: start, end; periodic: period, phase
  bool linear_ = false;
  std::vector<std::pair<Seconds, double>> points_;
};

// Reads one trace:
//   {"constant": 5}
//   {"step": {"from": 0, "to": 5, "at": "75s"}}
//   {"ramp": {"from": 0, "to": 10, "start": "1min", "end": "5min"}}
//   {"periodic": {"mean": 5, "amplitude": 3, "period": "1h", "phase": "0s"}}   (phase optional)
//   {"csv": "trace.csv", "interpolation": "step" | "linear"}             (default "step")
// Rates are requests/s (numbers ≥ 0); times are durations. A relative CSV path is taken from
// `folder`. Throws InputError naming the JSON path (where + "/step/at"), or, for a bad CSV file,
// InputError::in_file("file:line:column", "… (the trace at <where>)").
LoadTrace parse_load_trace(const nlohmann::json& value, const std::string& where,
                           const std::filesystem::path& folder);

// A CSV trace file: an optional header line (time_s,rate), then rows "time,rate" with time in
// seconds (≥ 0, strictly increasing) and rate in requests/s (≥ 0). Blank lines and lines
// starting with '#' are skipped. `where` (the JSON path of the trace) is added to messages.
LoadTrace read_csv_trace(const std::filesystem::path& file, bool linear, const std::string& where);

}  // namespace rejuv::sim::autoscale
