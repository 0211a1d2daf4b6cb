#pragma once
// A measured curve set: the folder of one experiment of seed 003 §4 (figures 3–6), as
//   throughput.csv  time_s,<series>…   one column per series: "host" (a host's total), "vm1"…"vmN"
//                                      (single VMs), "src"/"dst" (totals of the two hosts of a
//                                      move)
//   events.csv      time_s,event,subject   e.g. vmm_reboot_start, os_reboot_start (subject vmK),
//                                          migration_start / migration_end (subject vmK)
// Rows may come in any order (they are sorted by time), be irregularly spaced, and have gaps: an
// empty cell is a missing sample of that series only. Lines starting with '#' and blank lines are
// skipped. Every problem is an InputError whose place is "file:line:column" (1-based; the column is
// the character where the offending cell starts) or, for what is missing from a whole file, the
// file.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/units.hpp"

namespace rejuv::fitting {

// One column of throughput.csv: its samples sorted by time, gaps left out.
struct Series {
  std::string name;
  std::vector<Seconds> t;
  std::vector<double> y;
  size_t size() const { return t.size(); }
};

struct Event {
  Seconds time = 0;
  std::string event;    // vmm_reboot_start, os_reboot_start, migration_start, migration_end, …
  std::string subject;  // "vm3", or empty
  int line = 0;         // line in events.csv, for messages
};

class CurveSet {
 public:
  std::filesystem::path dir;
  std::filesystem::path throughput_file, events_file;
  int header_line = 1;               // line of throughput.csv's header
  std::vector<std::string> columns;  // header cells after time_s, in file order
  std::map<std::string, Series> series_by_name;
  std::vector<Event> events;  // sorted by time (stable: file order breaks ties)

  bool has(const std::string& name) const { return series_by_name.count(name) != 0; }
  // The named series; a missing one throws InputError("throughput.csv:<header line>:1", …) listing
  // the columns the header does have.
  const Series& series(const std::string& name) const;
  // The vmK columns, ordered by K.
  std::vector<std::string> vm_columns() const;
  // Events of one kind, by time. `require` throws InputError(events.csv, …) when there are none.
  std::vector<Event> events_of(const std::string& kind) const;
  const Event& first_event(const std::string& kind) const;
};

// Reads DIR/throughput.csv and DIR/events.csv.
CurveSet read_curve_set(const std::filesystem::path& dir);

// --- Small helpers every fit uses on a series
// ----------------------------------------------------- Linear interpolation at t (clamped to the
// first/last sample).
double value_at(const Series& s, Seconds t);
// Time-weighted mean of the piecewise-linear curve through the samples over [a, b] (b > a); the
// samples are irregular, so a plain mean of the samples would over-weigh dense stretches.
double time_mean(const Series& s, Seconds a, Seconds b);
// Samples with a ≤ t < b.
std::vector<double> samples_in(const Series& s, Seconds a, Seconds b);
double median(std::vector<double> v);

// "vm3" → 3; nullopt for anything else.
std::optional<int> vm_number(const std::string& name);

}  // namespace rejuv::fitting
