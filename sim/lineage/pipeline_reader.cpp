// Reads a lineage scenario's pipelines and their steps.
#include "sim/lineage/pipeline_reader.hpp"

#include "sim/lineage/json_reading.hpp"

namespace rejuv::sim::lineage {

using namespace reading;

namespace {

const char* const kActions[] = {"deploy_vm", "start_vm", "migrate_vm", "reboot"};

class PipelineReader {
 public:
  explicit PipelineReader(World& w) : w_(w) {}

  PipelineSpec top(const json& o, const std::string& at) {
    check_keys(o, at, {"name", "over", "steps", "blame", "at", "schedule"});
    PipelineSpec p;
    p.name = text(require_key(o, "name", at), at + "/name", "a pipeline name");
    p.where = at;
    if (o.contains("blame")) {
      const auto b =
          o["blame"].is_string() ? parse_blame_mode(o["blame"].get<std::string>()) : std::nullopt;
      if (!b)
        throw InputError(
            at + "/blame",
            fmt::format("expected \"nearest\" or \"failed-object\", got {}", describe(o["blame"])));
      p.blame = *b;
    }
    if (o.contains("at")) p.at = parse_duration(o["at"], at + "/at");
    if (o.contains("schedule")) {
      const json& s = o["schedule"];
      check_keys(s, at + "/schedule", {"every", "from", "until"});
      p.every =
          parse_duration(require_key(s, "every", at + "/schedule"), at + "/schedule/every", true);
      if (s.contains("from")) p.at = parse_duration(s["from"], at + "/schedule/from");
      if (s.contains("until")) p.until = parse_duration(s["until"], at + "/schedule/until");
    }
    over(o, at, p, std::nullopt);
    steps(require_key(o, "steps", at), at + "/steps", p);
    return p;
  }

  // "over": what the pipeline's source list is. `element`: the kind of the element whose action
  // runs this pipeline (none at the top).
  void over(const json& o, const std::string& at, PipelineSpec& p, std::optional<Kind> element) {
    const json& v = require_key(o, "over", at);
    const std::string where = at + "/over";
    const std::string s = v.is_string() ? v.get<std::string>() : "";
    if (s == "hosts") {
      p.over = PipelineSpec::Over::hosts;
      p.kind = Kind::host;
      return;
    }
    if (s == "vms") {
      if (!element) {
        p.over = PipelineSpec::Over::all_vms;
      } else if (*element == Kind::host) {
        p.over = PipelineSpec::Over::vms_of_host;
      } else {
        throw InputError(
            where,
            "expected a list: \"vms\" are a host's, and the element here is a VM (try \"hosts\")");
      }
      p.kind = Kind::vm;
      return;
    }
    if (element) {
      if (const auto col = w_.find_column(*element, s))
        throw InputError(where,
                         fmt::format("expected a list (\"hosts\", or \"vms\" of a host), got "
                                     "\"{}\": an attribute of a {} ({}), not a list",
                                     s, *element == Kind::host ? "host" : "VM", name(col->type)));
    }
    throw InputError(where, fmt::format("expected a list (\"hosts\", or \"vms\"{}), got {}",
                                        element ? " of a host" : "", describe(v)));
  }

  ExprContext context(const PipelineSpec& p, Kind self, bool prefix = false) const {
    return ExprContext{self, p.enclosing, prefix};
  }

  void steps(const json& list, const std::string& at, PipelineSpec& p) {
    if (!list.is_array())
      throw InputError(at, fmt::format("expected a list of steps, got {}", describe(list)));
    Kind kind = p.kind;
    for (size_t k = 0; k < list.size(); ++k) {
      const std::string sat = fmt::format("{}/{}", at, k);
      if (!p.steps.empty() && p.steps.back().terminal())
        throw InputError(
            sat, fmt::format("{} ends a pipeline: nothing may follow it", p.steps.back().op));
      p.steps.push_back(step(list[k], sat, p, kind));
      kind = p.steps.back().out;
    }
  }

  StepSpec step(const json& o, const std::string& at, const PipelineSpec& p, Kind kind) {
    if (!o.is_object())
      throw InputError(
          at, fmt::format("expected a step such as {{\"take\": 10}}, got {}", describe(o)));
    std::string key;
    for (const auto& [k, _] : o.items()) {
      if (k.starts_with("_")) continue;
      if (!key.empty())
        throw InputError(at + "/" + k,
                         fmt::format("a step has one key; this one has \"{}\" already", key));
      key = k;
    }
    if (key.empty())
      throw InputError(at, "expected a step such as {\"take\": 10}, got an empty object");
    const json& v = o[key];
    StepSpec s;
    s.op = key;
    s.where = at + "/" + key;
    s.in = s.out = kind;
    using T = StepSpec::Type;
    static const std::pair<const char*, T> kCounted[] = {{"take", T::take},
                                                         {"drop", T::drop},
                                                         {"takeRight", T::take_right},
                                                         {"dropRight", T::drop_right},
                                                         {"takeByRandom", T::take_by_random}};
    for (const auto& [n, t] : kCounted)
      if (key == n) {
        s.type = t;
        s.n = count(v, s.where);
        return s;
      }
    static const std::pair<const char*, T> kPredicates[] = {
        {"filter", T::filter},        {"takeWhile", T::take_while},
        {"dropWhile", T::drop_while}, {"accumulateWhile", T::accumulate_while},
        {"count", T::count},          {"exists", T::exists}};
    for (const auto& [n, t] : kPredicates)
      if (key == n) {
        s.type = t;
        s.expr = Expression::compile(text(v, s.where, "an expression"), w_,
                                     context(p, kind, t == T::accumulate_while), ValueType::boolean,
                                     s.where);
        return s;
      }
    if (key == "sortBy") {
      s.type = T::sort_by;
      s.expr =
          Expression::compile_key(text(v, s.where, "an expression"), w_, context(p, kind), s.where);
      return s;
    }
    if (key == "takeByScore") {
      s.type = T::take_by_score;
      check_keys(v, s.where, {"n", "score"});
      s.n = count(require_key(v, "n", s.where), s.where + "/n");
      s.expr = Expression::compile(
          text(require_key(v, "score", s.where), s.where + "/score", "an expression"), w_,
          context(p, kind), ValueType::number, s.where + "/score");
      return s;
    }
    if (key == "reverse") {
      if (v != true) throw InputError(s.where, fmt::format("expected true, got {}", describe(v)));
      s.type = T::reverse;
      return s;
    }
    if (key == "flatMap") {
      if (v != "vms")
        throw InputError(s.where,
                         fmt::format("expected \"vms\" (each host's VMs), got {}", describe(v)));
      if (kind != Kind::host)
        throw InputError(s.where, "\"vms\" are a host's, and the list here holds VMs");
      s.type = T::flat_map;
      s.out = Kind::vm;
      return s;
    }
    if (key == "map" || key == "foreach") {
      s.type = key == "map" ? T::map : T::foreach;
      s.action = action(v, s.where, p, kind);
      s.out = action_kind(s.action, kind);
      return s;
    }
    for (const char* a : kActions)
      if (key == a) {  // {"migrate_vm": {...}}: a foreach of that action
        s.type = T::foreach;
        s.action = action(o, at, p, kind);
        s.out = kind;
        return s;
      }
    throw InputError(at + "/" + key,
                     "unknown step (expected one of: filter, map, foreach, sortBy, reverse, take, "
                     "drop, takeRight, dropRight, "
                     "takeWhile, dropWhile, accumulateWhile, takeByRandom, takeByScore, flatMap, "
                     "count, exists, deploy_vm, "
                     "start_vm, migrate_vm, reboot)");
  }

  static Kind action_kind(const ActionSpec& a, Kind in) {
    return a.type == ActionSpec::Type::deploy_vm ? Kind::vm : in;
  }

  // An action: "deploy_vm", {"deploy_vm": {…}}, or a nested pipeline {"over": …, "steps": […]}.
  ActionSpec action(const json& v, const std::string& at, const PipelineSpec& p, Kind kind) {
    ActionSpec a;
    a.where = at;
    std::string act;
    const json* args = nullptr;
    if (v.is_string()) {
      act = v.get<std::string>();
    } else if (v.is_object() && v.contains("over")) {
      a.type = ActionSpec::Type::nested;
      a.pipeline = nested(v, at, p, kind);
      return a;
    } else if (v.is_object()) {
      for (const auto& [k, _] : v.items())
        if (!k.starts_with("_")) {
          if (!act.empty())
            throw InputError(
                at + "/" + k,
                fmt::format("an action has one key; this one has \"{}\" already", act));
          act = k;
        }
      args = &v[act];
      a.where = at + "/" + act;
    } else {
      throw InputError(at, fmt::format("expected an action (deploy_vm, start_vm, migrate_vm, "
                                       "reboot) or a pipeline {{\"over\": …}}, got {}",
                                       describe(v)));
    }
    auto needs = [&](Kind k) {
      if (kind != k)
        throw InputError(a.where, fmt::format("{} acts on {}, and the list here holds {}", act,
                                              k == Kind::host ? "hosts" : "VMs",
                                              kind == Kind::host ? "hosts" : "VMs"));
    };
    if (act == "deploy_vm") {
      needs(Kind::host);
      a.type = ActionSpec::Type::deploy_vm;
      if (args) {
        check_keys(*args, a.where, {"name", "memory", "cpu", "lifetime"});
        if (args->contains("name"))
          a.name = text((*args)["name"], a.where + "/name", "a name pattern");
        if (args->contains("memory"))
          a.memory = parse_bytes((*args)["memory"], a.where + "/memory", true);
        if (args->contains("cpu")) a.cpu = number_at_least((*args)["cpu"], a.where + "/cpu", 0);
        if (args->contains("lifetime"))
          a.lifetime = parse_distribution((*args)["lifetime"], a.where + "/lifetime");
      }
    } else if (act == "start_vm") {
      needs(Kind::vm);
      a.type = ActionSpec::Type::start_vm;
      if (args) {
        check_keys(*args, a.where, {"lifetime"});
        if (args->contains("lifetime"))
          a.lifetime = parse_distribution((*args)["lifetime"], a.where + "/lifetime");
      }
    } else if (act == "reboot") {
      needs(Kind::host);
      a.type = ActionSpec::Type::reboot;
      if (args) {
        check_keys(*args, a.where, {"mode"});
        const std::string m =
            text(require_key(*args, "mode", a.where), a.where + "/mode", "\"warm\" or \"cold\"");
        if (m != "warm" && m != "cold")
          throw InputError(a.where + "/mode",
                           fmt::format("expected \"warm\" or \"cold\", got \"{}\"", m));
        a.mode = m == "warm" ? backends::HostReboot::warm : backends::HostReboot::cold;
      }
    } else if (act == "migrate_vm") {
      needs(Kind::vm);
      a.type = ActionSpec::Type::migrate_vm;
      if (!args)
        throw InputError(a.where,
                         "migrate_vm needs {\"to\": {\"over\": \"hosts\", \"steps\": […]}}: the "
                         "pipeline that chooses the target");
      check_keys(*args, a.where, {"to", "live"});
      if (args->contains("live")) {
        if (!(*args)["live"].is_boolean())
          throw InputError(a.where + "/live", fmt::format("expected true or false, got {}",
                                                          describe((*args)["live"])));
        a.live = (*args)["live"].get<bool>();
      }
      const std::string tat = a.where + "/to";
      a.pipeline = nested(require_key(*args, "to", a.where), tat, p, kind);
      if (a.pipeline->kind != Kind::host)
        throw InputError(tat + "/over", "expected \"hosts\": the pipeline chooses the target host");
      for (size_t k = 0; k < a.pipeline->steps.size(); ++k) {
        const StepSpec& st = a.pipeline->steps[k];
        if (st.terminal() || st.type == StepSpec::Type::map || st.out != Kind::host)
          throw InputError(fmt::format("{}/steps/{}", tat, k),
                           "the target's pipeline chooses hosts; the migration is its foreach");
      }
    } else {
      throw InputError(a.where,
                       fmt::format("unknown action \"{}\" (expected one of: deploy_vm, start_vm, "
                                   "migrate_vm, reboot, or a pipeline {{\"over\": …}})",
                                   act));
    }
    return a;
  }

  std::shared_ptr<PipelineSpec> nested(const json& o, const std::string& at,
                                       const PipelineSpec& outer, Kind element) {
    check_keys(o, at, {"over", "steps"});
    auto p = std::make_shared<PipelineSpec>();
    p->where = at;
    p->blame = outer.blame;
    p->enclosing = outer.enclosing;
    p->enclosing.push_back(element);
    over(o, at, *p, element);
    steps(require_key(o, "steps", at), at + "/steps", *p);
    return p;
  }

 private:
  World& w_;
};

}  // namespace

PipelineSpec read_pipeline(const json& o, const std::string& at, World& world) {
  return PipelineReader(world).top(o, at);
}

}  // namespace rejuv::sim::lineage
