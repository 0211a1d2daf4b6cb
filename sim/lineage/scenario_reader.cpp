// Reads a "kind": "lineage" scenario into a LineageScenario (scenario_spec.hpp). Every problem is
// one InputError naming the JSON path (and, inside an expression, the column).
#include <set>

#include "sim/lineage/json_reading.hpp"
#include "sim/lineage/pipeline_reader.hpp"
#include "sim/lineage/world_reader.hpp"

namespace rejuv::sim::lineage {

using namespace reading;

std::string_view name(ActionSpec::Type t) {
  switch (t) {
    case ActionSpec::Type::deploy_vm:
      return "deploy_vm";
    case ActionSpec::Type::start_vm:
      return "start_vm";
    case ActionSpec::Type::migrate_vm:
      return "migrate_vm";
    case ActionSpec::Type::reboot:
      return "reboot";
    case ActionSpec::Type::nested:
      return "pipeline";
  }
  return "?";
}

namespace {

constexpr double kMaxOperationMean = 1e8;  // seconds

class Reader {
 public:
  explicit Reader(LineageScenario& sc) : sc_(sc), w_(sc.world) {}

  void read(const json& doc) {
    check_keys(doc, "",
               {"kind", "seed", "horizon", "hosts", "operations", "inject", "failures", "policies",
                "pipelines", "chosen_window", "trace_requests"});
    const json& seed = require_key(doc, "seed", "");
    if (!seed.is_number_integer() || (!seed.is_number_unsigned() && seed.get<long long>() < 0))
      throw InputError("/seed", fmt::format("expected an integer ≥ 0, got {}", describe(seed)));
    sc_.seed = seed.get<uint64_t>();
    if (doc.contains("horizon")) sc_.horizon = parse_duration(doc["horizon"], "/horizon", true);
    if (doc.contains("chosen_window"))
      sc_.chosen_window = parse_duration(doc["chosen_window"], "/chosen_window", true);
    if (doc.contains("trace_requests"))
      sc_.trace_requests = count(doc["trace_requests"], "/trace_requests");
    read_hosts(require_key(doc, "hosts", ""), w_, sc_.seed);
    if (doc.contains("operations")) operations(doc["operations"]);
    if (doc.contains("failures"))
      sc_.failures = parse_hardware_failures(doc["failures"], "/failures");
    if (doc.contains("policies")) policies(doc["policies"]);
    if (doc.contains("inject")) inject(doc["inject"]);
    const json& ps = require_key(doc, "pipelines", "");
    if (!ps.is_array() || ps.empty())
      throw InputError("/pipelines",
                       fmt::format("expected a non-empty list of pipelines, got {}", describe(ps)));
    std::set<std::string> names;
    for (size_t k = 0; k < ps.size(); ++k) {
      PipelineSpec p = read_pipeline(ps[k], fmt::format("/pipelines/{}", k), w_);
      if (!names.insert(p.name).second)
        throw InputError(fmt::format("/pipelines/{}/name", k),
                         fmt::format("another pipeline is named \"{}\"", p.name));
      if (p.every && !sc_.horizon && !p.until)
        throw InputError(fmt::format("/pipelines/{}/schedule", k),
                         "a schedule needs an \"until\" or the scenario's \"horizon\"");
      sc_.pipelines.push_back(std::move(p));
    }
  }

 private:
 private:
  void operations(const json& o) {
    check_keys(o, "/operations", {"deploy_vm", "start_vm", "migrate_vm", "reboot"});
    Operations& ops = sc_.operations;
    const std::pair<const char*, Distribution*> fields[] = {
        {"deploy_vm", &ops.deploy_vm}, {"start_vm", &ops.start_vm}, {"migrate_vm", &ops.migrate_vm}, {"reboot", &ops.reboot}};
    for (const auto& [key, field] : fields) {
      if (!o.contains(key)) continue;
      const std::string at = std::string("/operations/") + key;
      *field = parse_distribution(o[key], at);
      // A request's time adds up its operations' times: beyond years per operation the sums (and
      // the extra time per request) stop meaning anything.
      if (!(field->mean() <= kMaxOperationMean))
        throw InputError(at, fmt::format("expected an operation taking at most {:g} s (about 3 years) on average, got {}",
                                         kMaxOperationMean, describe(o[key])));
    }
  }

  void policies(const json& ps) {
    if (!ps.is_array() || ps.empty())
      throw InputError("/policies",
                       fmt::format("expected a non-empty list of policies, got {}", describe(ps)));
    sc_.policies.clear();
    for (size_t k = 0; k < ps.size(); ++k) {
      const std::string at = fmt::format("/policies/{}", k);
      const auto p = ps[k].is_string() ? parse_policy(ps[k].get<std::string>()) : std::nullopt;
      if (!p)
        throw InputError(
            at, fmt::format(
                    "expected lineage, restart, oblivious-skip, oblivious-default or none, got {}",
                    describe(ps[k])));
      for (Policy q : sc_.policies)
        if (q == *p) throw InputError(at, fmt::format("\"{}\" is listed twice", name(*p)));
      sc_.policies.push_back(*p);
    }
  }

  static backends::Op action_op(const std::string& action, const std::string& at) {
    if (action == "deploy_vm") return backends::Op::define;
    if (action == "start_vm") return backends::Op::start;
    if (action == "migrate_vm") return backends::Op::migrate;
    if (action == "reboot") return backends::Op::host_reboot;
    throw InputError(
        at, fmt::format(
                "unknown action \"{}\" (expected one of: deploy_vm, start_vm, migrate_vm, reboot)",
                action));
  }

  void inject(const json& list) {
    if (!list.is_array())
      throw InputError("/inject", fmt::format("expected a list of faults, got {}", describe(list)));
    for (size_t k = 0; k < list.size(); ++k) {
      const std::string at = fmt::format("/inject/{}", k);
      const json& f = list[k];
      check_keys(f, at, {"host", "vm", "operation", "fails", "effect", "from", "until"});
      InjectSpec s;
      s.where = at;
      if (f.contains("host") == f.contains("vm"))
        throw InputError(at, "expected one of \"host\" or \"vm\"");
      const bool host = f.contains("host");
      const std::string target = text(f[host ? "host" : "vm"], at + (host ? "/host" : "/vm"),
                                      host ? "a host name" : "a VM name");
      const auto index = w_.find(host ? Kind::host : Kind::vm, target);
      if (!index)
        throw InputError(at + (host ? "/host" : "/vm"),
                         fmt::format("no {} named \"{}\"", host ? "host" : "VM", target));
      s.target = host ? Kind::host : Kind::vm;
      s.index = *index;
      if (f.contains("operation"))
        s.op = action_op(text(f["operation"], at + "/operation", "an action"), at + "/operation");
      const json& fails = require_key(f, "fails", at);
      if (fails.is_string() && fails == "always")
        s.mode = backends::Fault::Mode::always;
      else if (fails.is_string() && fails == "once")
        s.mode = backends::Fault::Mode::once;
      else if (fails.is_object() && fails.contains("probability") && fails.size() == 1) {
        s.mode = backends::Fault::Mode::probability;
        s.probability = require_number(fails["probability"], at + "/fails/probability",
                                       "a probability in [0, 1]");
        if (s.probability < 0 || s.probability > 1)
          throw InputError(at + "/fails/probability",
                           fmt::format("expected a probability in [0, 1], got {}",
                                       describe(fails["probability"])));
      } else {
        throw InputError(
            at + "/fails",
            fmt::format("expected \"always\", \"once\" or {{\"probability\": p}}, got {}",
                        describe(fails)));
      }
      // How the fault strikes: the call refused before the backend (default), or the backend made
      // to fail it itself (on libvirt, with libvirt's own error): the domain destroyed just before,
      // or the host failed just before (sim/backends/fault_injection.hpp).
      if (f.contains("effect")) {
        const json& e = f["effect"];
        if (e == "fail_call")
          s.effect = backends::Fault::Effect::fail_call;
        else if (e == "destroy_domain" && !host)
          s.effect = backends::Fault::Effect::destroy_domain;
        else if (e == "fail_host")
          s.effect = backends::Fault::Effect::fail_host;
        else
          throw InputError(at + "/effect",
                           fmt::format("expected \"fail_call\", \"fail_host\"{}, got {}",
                                       host ? "" : " or \"destroy_domain\"", describe(e)));
      }
      if (f.contains("from")) s.from = parse_duration(f["from"], at + "/from");
      if (f.contains("until")) s.until = parse_duration(f["until"], at + "/until");
      sc_.inject.push_back(s);
    }
  }

  LineageScenario& sc_;
  World& w_;
};

}  // namespace

LineageScenario parse_lineage_scenario(const json& doc) {
  LineageScenario sc;
  Reader(sc).read(doc);
  return sc;
}

}  // namespace rejuv::sim::lineage
