#include "sim/lineage/lineage_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "models/input_error.hpp"
#include "sim/backends/fault_injection.hpp"
#include "sim/backends/simulated_backend.hpp"
#include "sim/lineage/pipeline_runner.hpp"
#include "sim/worker_pool.hpp"

namespace rejuv::sim {

using nlohmann::json;
using namespace lineage;

namespace {

struct Request {
  Seconds time;
  size_t pipeline;
  uint64_t number;  // within its pipeline, from 1
};

// A pipeline's requests: one at `at`, or every `every` from `at` while before `until`.
double request_count(const LineageScenario& sc, const PipelineSpec& ps) {
  if (!ps.every) return 1;
  const Seconds until = ps.until ? *ps.until : *sc.horizon;
  return ps.at > until ? 0 : std::max(1.0, std::ceil((until - ps.at) / *ps.every));
}

// Every request of every pipeline, in the order the controller takes them (time, then pipeline).
std::vector<Request> schedule(const LineageScenario& sc) {
  std::vector<Request> all;
  for (size_t p = 0; p < sc.pipelines.size(); ++p) {
    const PipelineSpec& ps = sc.pipelines[p];
    if (!ps.every) {
      all.push_back({ps.at, p, 1});
      continue;
    }
    const Seconds until = ps.until ? *ps.until : *sc.horizon;
    const double n = request_count(sc, ps);
    if (n > 1e7)
      throw InputError(ps.where + "/schedule",
                       fmt::format("expected at most 10^7 requests, got {:.0f}", n));
    for (uint64_t k = 0; ps.at + double(k) * *ps.every < until || (k == 0 && ps.at <= until); ++k)
      all.push_back({ps.at + double(k) * *ps.every, p, k + 1});
  }
  std::stable_sort(all.begin(), all.end(), [](const Request& a, const Request& b) {
    return a.time < b.time || (a.time == b.time && a.pipeline < b.pipeline);
  });
  return all;
}

// What one pipeline did under one policy, over its requests.
struct PipelineStats {
  size_t requests = 0, ok = 0, lack = 0, failed = 0;
  size_t failures_seen = 0, skipped = 0, defaulted = 0, orphaned = 0, restarts = 0,
         wrong_requests = 0;
  std::vector<double> extra;  // per request
  double elapsed = 0, wait = 0, wait_max = 0;
  json substitutions = json::array();
  json elements = json::array();
  std::optional<json> value;
  std::string last_outcome = "ok";
  RequestResult::Outcome worst = RequestResult::Outcome::ok;
  json chain = json::array();
  std::vector<std::pair<Seconds, uint32_t>> chosen;  // (time, host) of each request's result
  size_t chosen_counted = 0, chosen_failed = 0;
  size_t traced = 0, untraced_with_failures = 0;
};

struct PolicyResult {
  std::vector<PipelineStats> pipelines;
  std::string trace;
  uint64_t host_failures = 0;
};

json to_json(const std::vector<FailureRecord>& chain) {
  json a = json::array();
  for (const auto& f : chain) {
    json o = {{"operation", f.operation}, {"element", f.element}, {"message", f.message}};
    if (!f.cause.empty()) o["cause"] = to_json(f.cause);
    a.push_back(o);
  }
  return a;
}

int severity(RequestResult::Outcome o) {
  return o == RequestResult::Outcome::failed             ? 2
         : o == RequestResult::Outcome::lack_of_elements ? 1
                                                         : 0;
}

// "rejuv run: lineage 42 %" on stderr, at most twice a second, once the run is past a second.
class Progress {
 public:
  Progress(bool enabled, size_t total)
      : enabled_(enabled), total_(total), start_(Clock::now()), last_(start_) {}
  ~Progress() {
    if (printed_) std::fputc('\n', stderr);
  }
  void add(size_t n) {
    const size_t done = done_ += n;
    if (!enabled_) return;
    std::lock_guard lock(mu_);
    const auto now = Clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(500))
      return;
    last_ = now;
    printed_ = true;
    std::fprintf(stderr, "\rrejuv run: lineage requests %3.0f%%  %.1f s elapsed   ",
                 100.0 * double(done) / double(total_),
                 std::chrono::duration<double>(now - start_).count());
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  size_t total_;
  std::atomic<size_t> done_{0};
  std::mutex mu_;
  Clock::time_point start_, last_;
  bool printed_ = false;
};

PolicyResult run_policy(const LineageScenario& sc, Policy policy,
                        const std::vector<Request>& requests, backends::Backend* given,
                        const std::vector<backends::HostId>& given_hosts, Progress& progress) {
  World world = sc.world;
  Engine engine;
  const Streams streams(sc.seed);
  backends::SimulatedBackend own;
  backends::Backend& base = given ? *given : own;
  for (uint32_t h = 0; h < world.count(Kind::host); ++h) {
    const backends::HostId id = given
                                    ? given_hosts[h]
                                    : own.add_host({world.name(Kind::host, h),
                                                    int(world.num(Kind::host, World::host_cpus, h)),
                                                    world.num(Kind::host, World::host_memory, h)});
    world.set_host_id(h, id);
  }
  backends::FaultInjection faults(base, streams);
  faults.attach(&engine);
  Controller controller(sc, world, faults, engine, streams);
  controller.set_up();
  for (const InjectSpec& f : sc.inject) {
    backends::Fault fault;
    fault.target =
        f.target == Kind::host ? backends::Fault::Target::host : backends::Fault::Target::domain;
    fault.id = f.target == Kind::host ? world.host_id(f.index) : world.domain(f.index);
    fault.op = f.op;
    fault.mode = f.mode;
    fault.probability = f.probability;
    fault.from = f.from;
    fault.until = f.until;
    fault.effect = f.effect;
    faults.add(fault);
  }

  PolicyResult out;
  out.pipelines.resize(sc.pipelines.size());
  Lineage lin({.policy = policy});
  PipelineRunner runner(lin, controller, world, streams);
  size_t since_progress = 0;
  for (const Request& q : requests) {
    const PipelineSpec& p = sc.pipelines[q.pipeline];
    PipelineStats& st = out.pipelines[q.pipeline];
    controller.advance_to(q.time);
    const Seconds start = controller.now();
    RequestObserver obs(controller);
    controller.note = [&obs](const std::string& s) { obs.line(s); };
    lin.settings().observer = &obs;
    lin.settings().blame = p.blame;
    controller.take_times();
    obs.line(p.every ? fmt::format("== {} ({}) request {} at {} s ==", p.name, name(policy),
                                   q.number, start)
                     : fmt::format("== {} ({}) at {} s ==", p.name, name(policy), start));
    const RequestResult r = runner.run(p, obs);
    const Controller::Times times = controller.take_times();
    controller.note = nullptr;

    ++st.requests;
    const double extra = times.failed + times.replayed;
    st.extra.push_back(extra);
    st.elapsed += controller.now() - start;
    st.wait += start - q.time;
    st.wait_max = std::max(st.wait_max, start - q.time);
    st.failures_seen += obs.failures;
    st.skipped += obs.skipped_count;
    st.defaulted += obs.defaulted_count;
    st.orphaned += obs.orphaned_count;
    st.restarts += obs.restarts;
    if (obs.skipped_count + obs.defaulted_count + obs.orphaned_count > 0) ++st.wrong_requests;
    for (auto& s : obs.substitutions) st.substitutions.push_back(s);
    switch (r.outcome) {
      case RequestResult::Outcome::ok:
        ++st.ok;
        break;
      case RequestResult::Outcome::lack_of_elements:
        ++st.lack;
        break;
      case RequestResult::Outcome::failed:
        ++st.failed;
        break;
    }
    st.last_outcome = std::string(name(r.outcome));
    if (severity(r.outcome) > severity(st.worst)) st.worst = r.outcome;
    st.elements = r.elements;
    if (r.value) st.value = *r.value;
    if (!r.chain.empty()) st.chain = to_json(r.chain);
    for (uint32_t h : r.hosts) st.chosen.emplace_back(controller.now(), h);

    std::string tail =
        r.outcome == RequestResult::Outcome::ok
            ? fmt::format("=> ok at {} s: List({})", controller.now(), fmt::join(r.elements, ", "))
            : fmt::format("=> {} at {} s", name(r.outcome), controller.now());
    if (r.value) tail += fmt::format(" = {}", r.value->dump());
    obs.line(tail);
    for (const auto& f : r.chain) obs.line(lineage::render(f, 3));
    // Every request of a pipeline that runs once; for a schedule, the first with failures.
    if (!p.every || (obs.failures > 0 && st.traced < sc.trace_requests)) {
      out.trace += obs.trace() + "\n";
      ++st.traced;
    } else if (obs.failures > 0) {
      ++st.untraced_with_failures;
    }
    if (++since_progress == 64) {
      progress.add(since_progress);
      since_progress = 0;
    }
  }
  progress.add(since_progress);
  if (sc.horizon) controller.advance_to(*sc.horizon);
  out.host_failures = controller.host_failures();

  // How often a host a request chose fails within the window after it was chosen (choices whose
  // window ends past the horizon are not counted).
  if (sc.horizon) {
    const auto& failed_at = controller.failure_times();
    for (PipelineStats& st : out.pipelines)
      for (const auto& [t, h] : st.chosen) {
        if (t + sc.chosen_window > *sc.horizon) continue;
        ++st.chosen_counted;
        const auto& f = failed_at[h];
        const auto it = std::upper_bound(f.begin(), f.end(), t);
        if (it != f.end() && *it <= t + sc.chosen_window) ++st.chosen_failed;
      }
  }
  if (given) controller.tear_down();
  return out;
}

double percentile(std::vector<double> xs, double q) {
  if (xs.empty()) return 0;
  std::sort(xs.begin(), xs.end());
  const double pos = q * double(xs.size() - 1);
  const size_t lo = size_t(std::floor(pos));
  const size_t hi = std::min(lo + 1, xs.size() - 1);
  return xs[lo] + (pos - double(lo)) * (xs[hi] - xs[lo]);
}

json result_json(const LineageScenario& sc, const PipelineSpec& p, Policy policy,
                 const PipelineStats& st) {
  double extra_total = 0;
  for (double x : st.extra) extra_total += x;
  const size_t wrong = st.skipped + st.defaulted + st.orphaned;
  json j = {
      {"pipeline", p.name},
      {"policy", name(policy)},
      {"blame", name(p.blame)},
      {"requests", st.requests},
      {"completed", st.ok},
      {"outcome", name(st.requests == 1 ? (st.ok     ? RequestResult::Outcome::ok
                                           : st.lack ? RequestResult::Outcome::lack_of_elements
                                                     : RequestResult::Outcome::failed)
                                        : st.worst)},
      {"outcomes", {{"ok", st.ok}, {"LackOfElements", st.lack}, {"failed", st.failed}}},
      {"elements", st.elements},
      {"substitutions", st.substitutions},
      {"substitution_count", st.substitutions.size()},
      {"failures_seen", st.failures_seen},
      {"lack_of_elements", st.lack},
      {"wrong_results", wrong},
      {"wrong_result_requests", st.wrong_requests},
      {"skipped", st.skipped},
      {"defaulted", st.defaulted},
      {"orphaned", st.orphaned},
      {"restarts", st.restarts},
      {"extra_time_s", extra_total},
      {"extra_time_per_request_s",
       {{"mean", st.requests ? extra_total / double(st.requests) : 0.0},
        {"p99", percentile(st.extra, 0.99)}}},
      {"elapsed_s", st.elapsed},
      {"queue_wait_s",
       {{"mean", st.requests ? st.wait / double(st.requests) : 0.0}, {"max", st.wait_max}}},
  };
  if (st.value) j["value"] = *st.value;
  if (!st.chain.empty()) j["failure_chain"] = st.chain;
  if (sc.horizon)
    j["chosen_hosts"] = {
        {"window_s", sc.chosen_window},
        {"chosen", st.chosen_counted},
        {"failed_within_window", st.chosen_failed},
        {"fraction",
         st.chosen_counted ? double(st.chosen_failed) / double(st.chosen_counted) : 0.0}};
  return j;
}

}  // namespace

void check_lineage(const json& doc) {
  const LineageScenario sc = parse_lineage_scenario(doc);
  schedule(sc);
}

namespace {

// Every policy's run: on a backend given (one after another), on this thread, or on workers.
std::vector<PolicyResult> run_policies(const LineageScenario& sc, const std::vector<Request>& requests,
                                       const RunOptions& options, bool this_thread) {
  const size_t n_policies = sc.policies.size();
  std::vector<PolicyResult> results(n_policies);
  Progress progress(options.progress, requests.size() * n_policies);
  if (this_thread && !options.backend) {
    for (size_t k = 0; k < n_policies; ++k)
      results[k] = run_policy(sc, sc.policies[k], requests, nullptr, {}, progress);
  } else if (options.backend) {
    // A backend given (a real one): its hosts once, the policies one after another on one thread.
    std::vector<backends::HostId> hosts;
    for (uint32_t h = 0; h < sc.world.count(Kind::host); ++h)
      hosts.push_back(options.backend->add_host({sc.world.name(Kind::host, h),
                                                 int(sc.world.num(Kind::host, World::host_cpus, h)),
                                                 sc.world.num(Kind::host, World::host_memory, h)}));
    for (size_t k = 0; k < n_policies; ++k)
      results[k] = run_policy(sc, sc.policies[k], requests, options.backend, hosts, progress);
  } else {
    std::vector<size_t> todo(n_policies);
    for (size_t k = 0; k < n_policies; ++k) todo[k] = k;
    const unsigned workers =
        options.workers ? options.workers : std::max(1u, std::thread::hardware_concurrency());
    run_parallel(todo, workers,
                 [&](size_t k) {
                   results[k] = run_policy(sc, sc.policies[k], requests, nullptr, {}, progress);
                 },
                 {});
  }
  return results;
}

}  // namespace

size_t lineage_request_count(const json& doc) {
  const LineageScenario sc = parse_lineage_scenario(doc);
  double n = 0;
  for (const auto& p : sc.pipelines) n += request_count(sc, p);
  return size_t(std::min(n, 1e18));
}

std::string lineage_sweep_rows(const json& doc) {
  const LineageScenario sc = parse_lineage_scenario(doc);
  const std::vector<Request> requests = schedule(sc);
  RunOptions options;
  options.progress = false;
  const std::vector<PolicyResult> results = run_policies(sc, requests, options, true);
  std::string out;
  for (size_t k = 0; k < sc.policies.size(); ++k)
    for (size_t p = 0; p < sc.pipelines.size(); ++p) {
      const json r = result_json(sc, sc.pipelines[p], sc.policies[k], results[k].pipelines[p]);
      const json chosen = r.value("chosen_hosts", json::object());
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", sc.pipelines[p].name, name(sc.policies[k]), sc.seed,
                         r["requests"].dump(), r["completed"].dump(), r["substitution_count"].dump(),
                         r["lack_of_elements"].dump(), r["failures_seen"].dump(), r["wrong_results"].dump(),
                         r["extra_time_per_request_s"]["mean"].dump(), r["extra_time_per_request_s"]["p99"].dump(),
                         chosen.contains("chosen") ? chosen["chosen"].dump() : "",
                         chosen.contains("failed_within_window") ? chosen["failed_within_window"].dump() : "");
    }
  return out;
}

OutputFiles run_lineage(const json& doc, const RunOptions& options) {
  LineageScenario sc = parse_lineage_scenario(doc);
  if (options.seed) sc.seed = *options.seed;
  const std::vector<Request> requests = schedule(sc);
  const size_t n_policies = sc.policies.size();
  std::vector<PolicyResult> results = run_policies(sc, requests, options, false);

  json res = json::array();
  std::string trace;
  for (size_t k = 0; k < n_policies; ++k) {
    for (size_t p = 0; p < sc.pipelines.size(); ++p) {
      res.push_back(result_json(sc, sc.pipelines[p], sc.policies[k], results[k].pipelines[p]));
      if (size_t more = results[k].pipelines[p].untraced_with_failures)
        results[k].trace += fmt::format(
            "({} more requests of {} ({}) saw failures; \"trace_requests\" traces more)\n\n", more,
            sc.pipelines[p].name, name(sc.policies[k]));
    }
    trace += results[k].trace;
  }
  json policies = json::array();
  for (Policy p : sc.policies) policies.push_back(name(p));
  json host_failures = json::object();
  for (size_t k = 0; k < n_policies; ++k)
    host_failures[std::string(name(sc.policies[k]))] = results[k].host_failures;
  json summary = {
      {"kind", "lineage"},
      {"data", "simulated"},
      {"seed", sc.seed},
      {"backend", options.backend ? options.backend->kind() : std::string("simulated")},
      {"hosts", sc.world.count(Kind::host)},
      {"policies", policies},
      {"requests", requests.size()},
      {"host_failures", host_failures},
      {"results", res},
  };
  if (sc.horizon) summary["horizon_s"] = *sc.horizon;
  return {{"summary.json", summary.dump(2) + "\n"}, {"trace.txt", trace}};
}

}  // namespace rejuv::sim
