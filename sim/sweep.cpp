#include "sim/sweep.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

#include "models/input_error.hpp"
#include "models/units.hpp"
#include "sim/cluster/rejuvenation_run.hpp"
#include "sim/random.hpp"

namespace rejuv::sim {

using nlohmann::json;

SweepAxis parse_sweep_axis(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw InputError("--set", fmt::format("expected KEY=V1,V2,… such as hosts=1000,5000, got \"{}\"", text));
  SweepAxis axis;
  axis.key = text.substr(0, eq);
  axis.pointer = axis.key.starts_with("/") ? axis.key : "/" + axis.key;
  try {
    (void)json::json_pointer(axis.pointer);
  } catch (const json::exception&) {
    throw InputError("--set", fmt::format("\"{}\" is not a valid key path", axis.key));
  }
  std::string rest = text.substr(eq + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    const size_t comma = rest.find(',', start);
    const std::string item = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw InputError("--set", fmt::format("empty value in \"{}\"", text));
    json v = json::parse(item, nullptr, false);
    axis.values.push_back(v.is_discarded() ? json(item) : v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return axis;
}

std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes, uint64_t seed) {
  std::vector<SweepPoint> points{SweepPoint{{}, 0}};
  for (const auto& axis : axes) {
    std::vector<SweepPoint> next;
    for (const auto& p : points)
      for (const auto& v : axis.values) {
        SweepPoint q = p;
        q.values.push_back(v);
        next.push_back(q);
      }
    points = std::move(next);
  }
  // The point's seed: splitmix64(seed ^ fnv1a64("key=value;key=value")), the point named by its values.
  for (auto& p : points) {
    std::string name;
    for (size_t a = 0; a < axes.size(); ++a) name += axes[a].pointer + "=" + p.values[a].dump() + ";";
    p.seed = splitmix64(seed ^ fnv1a64(name));
  }
  return points;
}

namespace {

std::string cell(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

std::string sweep_header(const std::vector<SweepAxis>& axes) {
  std::string h;
  for (const auto& axis : axes) h += axis.key + ",";
  return h + "strategy,seed,index,closed_form_index,availability,mean_throughput,late_rejuvenations,"
             "mean_lateness_s,max_lateness_s,spare_saturation_hosts,events,index_ci95_half_width\n";
}

RejuvenationScenario sweep_point_scenario(const json& scenario, const std::vector<SweepAxis>& axes,
                                          const SweepPoint& point) {
  json doc = scenario;
  for (size_t a = 0; a < axes.size(); ++a) doc[json::json_pointer(axes[a].pointer)] = point.values[a];
  doc["seed"] = point.seed;
  try {
    return parse_rejuvenation_scenario(doc);
  } catch (const InputError& e) {
    std::string at;
    for (size_t a = 0; a < axes.size(); ++a) at += (a ? "," : "") + axes[a].key + "=" + cell(point.values[a]);
    throw InputError(e.where(), fmt::format("{} (at sweep point {})", e.message(), at));
  }
}

std::string sweep_point_rows(const json& scenario, const std::vector<SweepAxis>& axes, const SweepPoint& point) {
  const RejuvenationScenario sc = sweep_point_scenario(scenario, axes, point);
  std::string out;
  for (Strategy s : sc.strategies) {
    std::vector<RunResult> runs;
    for (int rep = 0; rep < sc.replications; ++rep) runs.push_back(simulate(sc, s, uint64_t(rep)));
    const json r = summarize(sc, s, runs);
    for (const auto& v : point.values) out += cell(v) + ",";
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", name(s), point.seed, cell(r["index"]),
                       cell(r["closed_form"]["index"]), cell(r["availability"]), cell(r["mean_throughput"]),
                       cell(r["late_rejuvenations"]), cell(r["mean_lateness_s"]), cell(r["max_lateness_s"]),
                       r.contains("spare_saturation_hosts") ? cell(r["spare_saturation_hosts"]) : "",
                       cell(r["events"]), r.contains("ci95") ? cell(r["ci95"]["index"]["half_width"]) : "");
  }
  return out;
}

json sweep_manifest(const json& scenario, const std::vector<SweepAxis>& axes, size_t points) {
  json ax = json::array();
  for (const auto& a : axes) ax.push_back({{"key", a.key}, {"values", a.values}});
  return {{"sweep", 1},
          {"points", points},
          {"axes", ax},
          {"scenario_fnv1a64", fmt::format("{:016x}", fnv1a64(scenario.dump()))}};
}

void run_parallel(const std::vector<size_t>& todo, unsigned workers, const std::function<void(size_t)>& work,
                  const std::function<void(size_t)>& done) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::exception_ptr error;
  auto loop = [&] {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= todo.size()) return;
      try {
        work(todo[i]);
        std::lock_guard lock(mu);
        if (!error && done) done(todo[i]);
      } catch (...) {
        std::lock_guard lock(mu);
        if (!error) error = std::current_exception();
        next = todo.size();  // hand out nothing more
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  const unsigned n = std::max(1u, std::min<unsigned>(workers, unsigned(std::max<size_t>(todo.size(), 1))));
  for (unsigned w = 0; w < n; ++w) threads.emplace_back(loop);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

std::pair<size_t, size_t> parse_shard(const std::string& text) {
  unsigned long long i = 0, n = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%llu/%llu%n", &i, &n, &used) != 2 || used != int(text.size()) || n == 0 || i >= n)
    throw InputError("--shard", fmt::format("expected i/N with 0 ≤ i < N, such as 0/4, got \"{}\"", text));
  return {size_t(i), size_t(n)};
}

}  // namespace rejuv::sim
