#include "sim/cluster/rejuvenation_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <mutex>
#include <sys/resource.h>
#include <thread>

#include "sim/worker_pool.hpp"

namespace rejuv::sim {

using nlohmann::json;

namespace {

// Mean and 95 % confidence interval (Student t with r − 1 degrees of freedom).
json ci95(const std::vector<double>& xs) {
  const double r = double(xs.size());
  double mean = 0;
  for (double x : xs) mean += x;
  mean /= r;
  double ss = 0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / (r - 1));
  const double t = boost::math::quantile(boost::math::students_t(r - 1), 0.975);
  const double half = t * sd / std::sqrt(r);
  return {{"mean", mean}, {"half_width", half}, {"low", mean - half}, {"high", mean + half}};
}

// Prints "rejuv run: <what> 42%, 12.0 s elapsed, ETA 16.6 s" on stderr, at most twice a second, once
// the run is past a second.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled), start_(Clock::now()), last_(start_) {}
  ~ProgressLine() {
    if (printed_) std::fputc('\n', stderr);
  }
  void update(const std::string& what, double fraction) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    printed_ = true;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (fraction > 0)
      std::fprintf(stderr, "\rrejuv run: %s %3.0f%%, %.1f s elapsed, ETA %.1f s   ", what.c_str(), 100 * fraction,
                   elapsed, elapsed * (1 - fraction) / fraction);
    else
      std::fprintf(stderr, "\rrejuv run: %s   0%%, %.1f s elapsed   ", what.c_str(), elapsed);
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_, printed_ = false;
  Clock::time_point start_, last_;
};

// Per strategy (first replication): events, and the bytes the run held per VM and per host.
std::string memory_table(const RejuvenationScenario& sc, const std::vector<RunResult>& runs, size_t reps) {
  constexpr double kMiB = 1024.0 * 1024.0;
  std::string out = fmt::format("{:<18} {:>14} {:>7} {:>8} {:>9} {:>10} {:>10} {:>10} {:>10}\n", "strategy", "events",
                                "B/VM", "B/host", "units MiB", "hosts MiB", "queue MiB", "world MiB", "total MiB");
  for (size_t i = 0; i < sc.strategies.size(); ++i) {
    const RunResult& r = runs[i * reps];
    const MemoryUse& m = r.memory;
    out += fmt::format("{:<18} {:>14} {:>7.1f} {:>8.1f} {:>9.1f} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f}\n",
                       name(r.strategy), r.events, double(m.units) / double(std::max<size_t>(m.vms, 1)),
                       double(m.total()) / double(std::max<size_t>(m.hosts, 1)), m.units / kMiB, m.groups / kMiB,
                       m.queue / kMiB, m.world / kMiB, m.total() / kMiB);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  out += fmt::format("B/VM: the simulator's state per VM (its OS due time, and at VM level what its OS reboots do to "
                     "the others); B/host: everything a run held, per host.\n"
                     "{} hosts, {} VMs per host, {} level; peak RSS of the process: {:.1f} MiB ({} runs, up to {} at once)\n",
                     sc.params.hosts, sc.params.vms_per_host, name(sc.detail), double(usage.ru_maxrss) / 1024.0,
                     runs.size(), std::max(1u, std::thread::hardware_concurrency()));
  return out;
}

// Every number of a summary, nested ones too, must be finite: the scenario reader refuses what would
// make them otherwise, so one that is not is a bug, never a file with a null in it.
void require_finite(const json& j, const std::string& at) {
  if (j.is_number_float() && !std::isfinite(j.get<double>()))
    throw std::logic_error(fmt::format("the simulation gave a non-finite {} ({})", at, j.get<double>()));
  if (j.is_object())
    for (const auto& [k, v] : j.items()) require_finite(v, at + "/" + k);
  if (j.is_array())
    for (size_t k = 0; k < j.size(); ++k) require_finite(j[k], fmt::format("{}/{}", at, k));
}

std::string cell(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

json summarize(const RejuvenationScenario& sc, Strategy s, const std::vector<RunResult>& runs) {
  const double r = double(runs.size());
  auto mean_of = [&](auto get) {
    double sum = 0;
    for (const auto& x : runs) sum += double(get(x));
    return sum / r;
  };
  double max_late = 0;
  for (const auto& x : runs) max_late = std::max(max_late, x.max_lateness_s);
  const double late = mean_of([](const RunResult& x) { return x.late_rejuvenations; });
  const double total_late = mean_of([](const RunResult& x) { return x.total_lateness_s; });
  json j = {
      {"strategy", name(s)},
      {"index", mean_of([](const RunResult& x) { return x.index; })},
      {"availability", mean_of([](const RunResult& x) { return x.availability; })},
      {"mean_throughput", mean_of([](const RunResult& x) { return x.mean_throughput; })},
      {"events", mean_of([](const RunResult& x) { return x.events; })},
      {"vmm_rejuvenations", mean_of([](const RunResult& x) { return x.vmm_rejuvenations; })},
      {"os_rejuvenations", mean_of([](const RunResult& x) { return x.os_rejuvenations; })},
      {"late_rejuvenations", late},
      {"skipped_rejuvenations", mean_of([](const RunResult& x) { return x.skipped_rejuvenations; })},
      {"mean_lateness_s", late > 0 ? total_late / late : 0.0},
      {"max_lateness_s", max_late},
      {"host_failures", mean_of([](const RunResult& x) { return x.host_failures; })},
      {"vmm_aging_crashes", mean_of([](const RunResult& x) { return x.vmm_aging_crashes; })},
      {"os_aging_crashes", mean_of([](const RunResult& x) { return x.os_aging_crashes; })},
  };
  // Only a real world (or injected faults) makes operations fail; a simulated run has no such key.
  if (std::any_of(runs.begin(), runs.end(), [](const RunResult& x) { return x.backend_failures > 0; }))
    j["backend_failures"] = mean_of([](const RunResult& x) { return x.backend_failures; });
  const double closed = index(sc.params, s, double(sc.params.hosts));
  j["closed_form"] = {{"index", closed}, {"availability", terms(sc.params, s).availability}};
  j["index_minus_closed_form"] = j["index"].get<double>() - closed;
  if (uses_spares(s)) j["spare_saturation_hosts"] = spare_saturation_hosts(sc, s);
  if (s == Strategy::LiveRateControl && sc.precopy)
    j["precopy"] = {{"migration_time_per_vm_s", sc.precopy_result.total_time_s},
                    {"downtime_per_vm_s", sc.precopy_result.downtime_s},
                    {"rounds", sc.precopy_result.rounds},
                    {"bytes_sent_per_vm", sc.precopy_result.bytes_sent}};
  if (runs.size() > 1) {
    auto column = [&](auto get) {
      std::vector<double> xs;
      for (const auto& x : runs) xs.push_back(double(get(x)));
      return xs;
    };
    j["ci95"] = {{"index", ci95(column([](const RunResult& x) { return x.index; }))},
                 {"availability", ci95(column([](const RunResult& x) { return x.availability; }))},
                 {"mean_throughput", ci95(column([](const RunResult& x) { return x.mean_throughput; }))}};
  }
  require_finite(j, fmt::format("/{}", name(s)));
  return j;
}

void check_rejuvenation(const json& doc) { (void)parse_rejuvenation_scenario(doc); }

std::string rejuvenation_sweep_rows(const json& doc) {
  const RejuvenationScenario sc = parse_rejuvenation_scenario(doc);
  std::string out;
  for (Strategy s : sc.strategies) {
    std::vector<RunResult> runs;
    for (int rep = 0; rep < sc.replications; ++rep) runs.push_back(simulate(sc, s, uint64_t(rep)));
    const json r = summarize(sc, s, runs);
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", name(s), sc.seed, cell(r["index"]),
                       cell(r["closed_form"]["index"]), cell(r["availability"]), cell(r["mean_throughput"]),
                       cell(r["late_rejuvenations"]), cell(r["mean_lateness_s"]), cell(r["max_lateness_s"]),
                       r.contains("spare_saturation_hosts") ? cell(r["spare_saturation_hosts"]) : "",
                       cell(r["events"]), r.contains("ci95") ? cell(r["ci95"]["index"]["half_width"]) : "");
  }
  return out;
}

OutputFiles run_rejuvenation(const json& doc, const RunOptions& options) {
  RejuvenationScenario sc = parse_rejuvenation_scenario(doc);
  if (options.seed) sc.seed = *options.seed;
  // Every (strategy, replication) is an independent run: they share the cores, and their results
  // are put back in order, so the files do not depend on how many ran at once.
  const size_t reps = size_t(sc.replications), runs_total = sc.strategies.size() * reps;
  std::vector<RunResult> runs(runs_total);
  std::vector<double> fraction(runs_total, 0.0);
  std::mutex mu;
  ProgressLine progress(options.progress);
  std::vector<size_t> todo(runs_total);
  for (size_t k = 0; k < runs_total; ++k) todo[k] = k;
  // A world given by the caller is shared: its runs go one after another.
  const unsigned workers = options.backend    ? 1u
                           : options.workers ? options.workers
                                             : std::max(1u, std::thread::hardware_concurrency());
  run_parallel(
      todo, workers,
      [&](size_t k) {
        const Strategy s = sc.strategies[k / reps];
        runs[k] = simulate(
            sc, s, uint64_t(k % reps),
            [&](double f) {
              std::lock_guard lock(mu);
              fraction[k] = f;
              double sum = 0;
              for (double x : fraction) sum += x;
              progress.update(fmt::format("{} runs", runs_total), sum / double(runs_total));
            },
            options.backend);
      },
      {});
  json results = json::array();
  std::string csv = "time_s,strategy,throughput\n";
  for (size_t i = 0; i < sc.strategies.size(); ++i) {
    const Strategy s = sc.strategies[i];
    const std::vector<RunResult> mine(runs.begin() + long(i * reps), runs.begin() + long((i + 1) * reps));
    results.push_back(summarize(sc, s, mine));
    const auto& tl = mine.front().timeline;
    const double w = sc.horizon / double(tl.size());
    for (size_t k = 0; k < tl.size(); ++k) {
      if (!std::isfinite(tl[k]))
        throw std::logic_error(fmt::format("the simulation gave a non-finite throughput {} for {} at {} s", tl[k], name(s), k * w));
      csv += fmt::format("{:.1f},{},{:.6f}\n", k * w, name(s), tl[k]);
    }
  }
  if (options.stats) *options.stats = memory_table(sc, runs, reps);
  const Params& p = sc.params;
  json summary = {
      {"kind", "rejuvenation"},
      {"data", "simulated"},
      {"seed", sc.seed},
      {"replications", sc.replications},
      {"horizon_s", sc.horizon},
      {"hosts", p.hosts},
      {"vms_per_host", p.vms_per_host},
      {"spares", p.spares},
      {"detail", name(sc.detail)},
      {"stagger", name(sc.stagger)},
      {"timeline", {{"file", "timeline.csv"}, {"rows_per_strategy", sc.timeline_rows},
                    {"note", "mean cluster throughput (requests/s) over each interval starting at time_s; replication 1"}}},
      {"results", results},
  };
  // Said only when not seed 003's stay-on, so that earlier outputs keep their bytes.
  if (p.migration_mode == MigrationMode::ReturnBack) summary["migration_mode"] = name(p.migration_mode);
  return {{"summary.json", summary.dump(2) + "\n"}, {"timeline.csv", csv}};
}

}  // namespace rejuv::sim
