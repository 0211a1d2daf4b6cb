#include "sim/autoscale/autoscale_run.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace rejuv::sim {

using nlohmann::json;
using namespace autoscale;

namespace {

constexpr double kMiB = 1024.0 * 1024;

// A number, or null when there is none (no scale-out completed).
json maybe(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

const char* reason_name(ContainerChoice::Reason r) {
  return r == ContainerChoice::Reason::hottest ? "hottest" : "rising_fastest";
}

json scale_out_json(const AutoscaleScenario& sc, const ScaleOutRecord& r) {
  return {{"service", r.service >= 0 ? json(sc.services[r.service].name) : json(nullptr)},
          {"reason", r.service >= 0 ? json(reason_name(r.reason)) : json("vm_cpu")},
          {"from_vm", r.source_vm},
          {"new_vm", r.new_vm},
          {"how", r.how},
          {"decided_at_s", r.decided_at},
          {"serving_at_s", maybe(r.serving_at)},
          {"scale_out_s", maybe(r.done ? r.scale_out_s() : NAN)},
          {"copy_s", r.plan.copy_s},
          {"boot_s", r.plan.boot_s},
          {"start_s", r.plan.start_s},
          {"resume_s", r.plan.resume_s},
          {"migrate_s", r.plan.migrate_s},
          {"downtime_s", r.plan.downtime_s},
          {"cpu_s", r.plan.cpu_s},
          {"peak_memory_mib", r.plan.peak_memory_bytes / kMiB},
          {"failed", r.failed}};
}

// "rejuv run: autoscale ciel 42%" on stderr, at most twice a second, once the run is past a second.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), start_(Clock::now()), last_(start_) {}
  ~Progress() {
    if (printed_) std::fputc('\n', stderr);
  }
  void update(std::string_view what, double fraction) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(500))
      return;
    last_ = now;
    printed_ = true;
    std::fprintf(stderr, "\rrejuv run: autoscale %.*s %3.0f%%   ", int(what.size()), what.data(),
                 100 * fraction);
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_, printed_ = false;
  Clock::time_point start_, last_;
};

}  // namespace

json summarize_autoscale(const AutoscaleScenario& sc, const AutoscaleResult& r) {
  const ScaleOutRecord* first = nullptr;
  for (const auto& s : r.scale_outs)
    if (s.done) {
      first = &s;
      break;
    }
  int outs = 0, ins = 0;
  for (const auto& s : r.scale_outs) outs += s.done;
  for (const auto& s : r.scale_ins) ins += s.done;
  auto part = [&](double ScaleOutPlan::*field) {
    return first ? json(first->plan.*field) : json(nullptr);
  };
  json j = {
      {"strategy", name(r.strategy)},
      {"scale_out_s", first ? json(first->scale_out_s()) : json(nullptr)},
      {"copy_s", part(&ScaleOutPlan::copy_s)},
      {"boot_s", part(&ScaleOutPlan::boot_s)},
      {"start_s", part(&ScaleOutPlan::start_s)},
      {"resume_s", part(&ScaleOutPlan::resume_s)},
      {"migrate_s", part(&ScaleOutPlan::migrate_s)},
      {"downtime_s", part(&ScaleOutPlan::downtime_s)},
      {"cpu_s", part(&ScaleOutPlan::cpu_s)},
      {"peak_memory_mib", first ? json(first->plan.peak_memory_bytes / kMiB) : json(nullptr)},
      {"first_scale_out", first ? scale_out_json(sc, *first) : json(nullptr)},
      {"vcpu_s", r.bill.vcpu_s},
      {"gib_s", r.bill.gib_s},
      {"cost", r.cost},
      {"unserved_request_s", r.unserved_requests},
      {"demand_requests", r.demand_requests},
      {"served_requests", r.served_requests},
      {"peak_queue_requests", r.peak_queue_requests},
      {"scale_outs", outs},
      {"scale_ins", ins},
      {"failed_operations", r.failed_operations},
      {"introspections", r.introspections},
      {"introspection_cpu_s", r.introspection_cpu_s},
      {"final_window_s", r.final_window_s},
      {"events", r.events},
  };
  if (!r.first_failure.empty()) j["first_failure"] = r.first_failure;
  json cpu = json::object();
  for (const auto& [vm, u] : r.vm_cpu_final) cpu[vm] = u;
  j["vm_cpu_final"] = cpu;
  json outs_list = json::array(), ins_list = json::array();
  for (const auto& s : r.scale_outs) outs_list.push_back(scale_out_json(sc, s));
  for (const auto& s : r.scale_ins)
    ins_list.push_back({{"vm", s.vm},
                        {"how", s.how},
                        {"at_s", s.at},
                        {"done_at_s", maybe(s.done_at)},
                        {"failed", s.failed}});
  j["scale_out_events"] = outs_list;
  j["scale_in_events"] = ins_list;
  return j;
}

void check_autoscale(const json& doc) { parse_autoscale_scenario(doc); }

OutputFiles run_autoscale(const json& doc, const RunOptions& options) {
  AutoscaleScenario sc = parse_autoscale_scenario(doc);
  if (options.seed) sc.seed = *options.seed;
  Progress progress(options.progress);
  json results = json::array();
  std::string csv = "time_s,strategy,metric,subject,value\n";
  for (size_t k = 0; k < sc.strategies.size(); ++k) {
    const Strategy s = sc.strategies[k];
    const AutoscaleResult r = simulate_autoscale(sc, s, options.backend, [&](double f) {
      progress.update(name(s), (double(k) + f) / double(sc.strategies.size()));
    });
    results.push_back(summarize_autoscale(sc, r));
    csv += r.timeline_rows;
  }
  json summary = {
      {"kind", "autoscale"},
      {"data", "simulated"},
      {"seed", sc.seed},
      {"horizon_s", sc.horizon},
      {"policy", sc.autoscaler.policy == Autoscaler::Policy::hpa ? "hpa" : "threshold"},
      {"load_scale", sc.load_scale},
      {"pool",
       {{"size", sc.pool.size}, {"prebooted", sc.pool.prebooted}, {"refill", sc.pool.refill}}},
      {"prices", {{"vcpu_hour", sc.prices.vcpu_hour}, {"gib_hour", sc.prices.gib_hour}}},
      {"timeline",
       {{"file", "timeline.csv"},
        {"rows_per_strategy", sc.timeline_rows},
        {"note",
         "metric demand, capacity, served (requests/s) per service and cpu (fraction of the VM's "
         "vCPUs) per VM: "
         "means over the interval starting at time_s; scale_out (value: its duration, s), "
         "scale_out_failed and "
         "scale_in rows are events at their time"}}},
      {"results", results},
  };
  return {{"summary.json", summary.dump(2) + "\n"}, {"timeline.csv", csv}};
}

std::string autoscale_sweep_rows(const json& doc) {
  AutoscaleScenario sc = parse_autoscale_scenario(doc);
  std::string rows;
  auto cell = [](const json& v) {
    return v.is_null() ? std::string() : fmt::format("{:.9g}", v.get<double>());
  };
  for (const Strategy s : sc.strategies) {
    const json j = summarize_autoscale(sc, simulate_autoscale(sc, s, nullptr));
    rows += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", name(s), sc.seed, cell(j["scale_out_s"]),
        cell(j["copy_s"]), cell(j["boot_s"]), cell(j["start_s"]), cell(j["cpu_s"]),
        cell(j["peak_memory_mib"]), cell(j["vcpu_s"]), cell(j["gib_s"]), cell(j["cost"]),
        cell(j["unserved_request_s"]), j["scale_outs"].get<int>(), j["scale_ins"].get<int>());
  }
  return rows;
}

}  // namespace rejuv::sim
