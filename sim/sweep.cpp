#include "sim/sweep.hpp"

#include <fmt/format.h>

#include <atomic>
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

std::string run_sweep(const json& scenario, const std::vector<SweepAxis>& axes, unsigned workers,
                      const std::function<void(size_t, size_t)>& progress) {
  const json& seed_v = require_key(scenario, "seed", "");
  if (!seed_v.is_number_integer() || seed_v.get<long long>() < 0)
    throw InputError("/seed", fmt::format("expected an integer ≥ 0, got {}", describe(seed_v)));
  const std::vector<SweepPoint> points = sweep_points(axes, seed_v.get<uint64_t>());
  std::vector<std::string> rows(points.size());
  std::atomic<size_t> next{0};
  size_t done = 0;
  std::mutex mu;
  std::exception_ptr error;

  auto work = [&] {
    for (;;) {
      const size_t k = next.fetch_add(1);
      if (k >= points.size()) return;
      try {
        json doc = scenario;
        for (size_t a = 0; a < axes.size(); ++a) doc[json::json_pointer(axes[a].pointer)] = points[k].values[a];
        doc["seed"] = points[k].seed;
        RejuvenationScenario sc;
        try {
          sc = parse_rejuvenation_scenario(doc);
        } catch (const InputError& e) {
          std::string at;
          for (size_t a = 0; a < axes.size(); ++a) at += (a ? "," : "") + axes[a].key + "=" + cell(points[k].values[a]);
          throw InputError(e.where(), fmt::format("{} (at sweep point {})", e.message(), at));
        }
        std::string out;
        for (Strategy s : sc.strategies) {
          std::vector<RunResult> runs;
          for (int rep = 0; rep < sc.replications; ++rep) runs.push_back(simulate(sc, s, uint64_t(rep)));
          const json r = summarize(sc, s, runs);
          for (const auto& v : points[k].values) out += cell(v) + ",";
          out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}", name(s), points[k].seed, cell(r["index"]),
                             cell(r["closed_form"]["index"]), cell(r["availability"]), cell(r["mean_throughput"]),
                             cell(r["late_rejuvenations"]), cell(r["mean_lateness_s"]), cell(r["max_lateness_s"]),
                             r.contains("spare_saturation_hosts") ? cell(r["spare_saturation_hosts"]) : "",
                             cell(r["events"]),
                             r.contains("ci95") ? cell(r["ci95"]["index"]["half_width"]) : "");
          out += "\n";
        }
        rows[k] = std::move(out);
        std::lock_guard lock(mu);
        ++done;
        if (progress) progress(done, points.size());
      } catch (...) {
        std::lock_guard lock(mu);
        if (!error) error = std::current_exception();
        next = points.size();  // stop handing out points
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  const unsigned n = std::max(1u, std::min<unsigned>(workers, unsigned(points.size())));
  for (unsigned w = 0; w < n; ++w) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);

  std::string csv;
  for (const auto& axis : axes) csv += axis.key + ",";
  csv += "strategy,seed,index,closed_form_index,availability,mean_throughput,late_rejuvenations,mean_lateness_s,"
         "max_lateness_s,spare_saturation_hosts,events,index_ci95_half_width\n";
  for (const auto& r : rows) csv += r;
  return csv;
}

}  // namespace rejuv::sim
