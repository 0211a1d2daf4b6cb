#pragma once
// What `rejuv validate` makes of two operation logs of one scenario, one recorded on the simulated
// backend and one on a real backend: the comparison per operation kind, the real run as a curve set
// in the fitting module's format (throughput.csv, events.csv; fitting/curve_set.hpp), and the log
// itself as CSV. Everything is returned as text; the CLI writes it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/backends/recording.hpp"

namespace rejuv::sim::backends {

// Per operation kind present in either log, in the order of Op:
//   {"op", "simulated": {count, failures, unsupported, emulated, mean_s, p50_s, p95_s},
//          "measured": {… the same, and planned_mean_s}, "measured_minus_simulated_mean_s"}
// Durations are those of the operations that worked (summarize()).
nlohmann::json compare_logs(const std::vector<OpRecord>& simulated,
                            const std::vector<OpRecord>& measured);

// A domain's state changed (what a backend's listeners see), with names instead of ids.
struct StateChange {
  Seconds time = 0;
  std::string host;
  std::string domain;
  DomainState state = DomainState::undefined;
};
// A listener that appends every change of `backend`'s domains to `out` (both must outlive it).
Listener record_states(const Backend& backend, std::vector<StateChange>& out);

struct CurveSetText {
  std::string throughput_csv;
  std::string events_csv;
};
// The run as a curve set. throughput.csv is derived, not measured: columns `cluster` and one per
// host; a domain adds `per_domain_throughput` while its state is running and no operation on it or
// on its host is in progress (an operation's interval is its start plus the duration its backend
// returned; a migration counts as serving unless it was emulated, which is not live). events.csv
// has vmm_reboot_start/_end (subject: the host), os_reboot_start/_end, migration_start/_end
// (subject: the domain), and every other operation under its own name; failed operations as
// "<op>_failed". time_s is the run's clock: idle time as the model plans it, operations as long as
// the backend took.
CurveSetText curve_set(const std::vector<OpRecord>& log, const std::vector<StateChange>& changes,
                       double per_domain_throughput);

// The log as CSV: time_s,op,subject,target,planned_s,duration_s,status,code,message,emulated.
std::string operations_csv(const std::vector<OpRecord>& log);

}  // namespace rejuv::sim::backends
