#include "sim/lineage/pipeline_runner.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/input_error.hpp"

namespace rejuv::sim::lineage {

std::string_view name(RequestResult::Outcome o) {
  switch (o) {
    case RequestResult::Outcome::ok:
      return "ok";
    case RequestResult::Outcome::lack_of_elements:
      return "LackOfElements";
    case RequestResult::Outcome::failed:
      return "failed";
  }
  return "?";
}

RequestResult PipelineRunner::run(const PipelineSpec& p, RequestObserver& observer) {
  observer_ = &observer;
  RequestResult r;
  try {
    nlohmann::json value;
    const List l = steps(p, {}, true, &value);
    if (!value.is_null()) r.value = value;
    for (const Element& e : l.values()) {
      r.elements.push_back(lineage_display(e));
      if (e.world) r.hosts.push_back(e.kind == Kind::host ? e.index : world_.host_of(e.index));
    }
  } catch (const LackOfElements& e) {
    r.outcome = RequestResult::Outcome::lack_of_elements;
    r.chain = e.chain();
  } catch (const PipelineFailed& e) {
    r.outcome = RequestResult::Outcome::failed;
    r.chain = {e.failure()};
  } catch (const ElementFailure& e) {
    r.outcome = RequestResult::Outcome::failed;
    r.chain = {FailureRecord{"", "", e.what(), e.cause()}};
  }
  observer_ = nullptr;
  return r;
}

PipelineRunner::List PipelineRunner::steps(const PipelineSpec& p, const std::vector<Element>& scope,
                                           bool evaluate, nlohmann::json* value) {
  std::function<std::vector<Element>()> source;
  switch (p.over) {
    case PipelineSpec::Over::hosts:
      source = [this] { return world_.hosts(); };
      break;
    case PipelineSpec::Over::all_vms:
      source = [this] { return world_.all_vms(); };
      break;
    case PipelineSpec::Over::vms_of_host: {
      const uint32_t h = scope.back().index;
      source = [this, h] { return world_.vms_of(h); };
      break;
    }
  }
  List l = lineage_.from<Element>(std::move(source),
                                  p.over == PipelineSpec::Over::hosts ? "pms" : "vms");
  for (const StepSpec& s : p.steps) l = step(l, s, scope, value);
  if (evaluate && !l.evaluated()) l.eval();
  return l;
}

namespace {
// A sort key or score that is not a finite number orders nothing: the expression is bad input.
double finite(double v, const StepSpec& s, const Element& x) {
  if (!std::isfinite(v))
    throw InputError(s.where, fmt::format("\"{}\" is {} for {}: expected a finite number",
                                          s.expr->text(), v, lineage_display(x)));
  return v;
}
}  // namespace

PipelineRunner::List PipelineRunner::step(List l, const StepSpec& s,
                                          const std::vector<Element>& scope,
                                          nlohmann::json* value) {
  using T = StepSpec::Type;
  const Expression* e = s.expr ? &*s.expr : nullptr;
  const std::string arg = e ? e->text() : "";
  auto test = [e, scope](const Element& x) { return e->test(ExprEnv{x, scope.data(), nullptr}); };
  switch (s.type) {
    case T::filter:
      return l.filter(test, arg);
    case T::take_while:
      return l.take_while(test, arg);
    case T::drop_while:
      return l.drop_while(test, arg);
    case T::accumulate_while:
      return l.accumulate_while(
          [e, scope](const std::vector<Element>& prefix, const Element& x) {
            return e->test(ExprEnv{x, scope.data(), &prefix});
          },
          arg);
    case T::sort_by:
      return l.sort_by(
          [e, scope, &s](const Element& x) -> SortKey {
            const ExprEnv env{x, scope.data(), nullptr};
            if (e->type() == ValueType::string)
              return x.world ? x.world->text(e->string_id(env)) : std::string();
            return finite(e->number(env), s, x);
          },
          arg);
    case T::reverse:
      return l.reverse();
    case T::take:
      return l.take(s.n);
    case T::drop:
      return l.drop(s.n);
    case T::take_right:
      return l.take_right(s.n);
    case T::drop_right:
      return l.drop_right(s.n);
    case T::take_by_random:
      return l.take_by_random(s.n,
                              streams_.get("lineage/takeByRandom" + s.where, random_draws_[&s]++));
    case T::take_by_score:
      return l.take_by_score(
          s.n,
          [e, scope, &s](const Element& x) {
            return finite(e->number(ExprEnv{x, scope.data(), nullptr}), s, x);
          },
          fmt::format("{} by {}", s.n, arg));
    case T::flat_map:
      return l.flat_map([this](const Element& h) { return world_.vms_of(h.index); }, "vms");
    case T::map:
      return l.map([this, &s, scope](const Element& x) { return act(s.action, x, scope); },
                   label(s.action));
    case T::foreach:
      return l.foreach_list([this, &s, scope](const Element& x) { act(s.action, x, scope); },
                            label(s.action));
    case T::count:
      *value = l.count(test, arg);
      return l;
    case T::exists:
      *value = l.exists(test, arg);
      return l;
  }
  return l;
}

std::string PipelineRunner::label(const ActionSpec& a) {
  if (a.type == ActionSpec::Type::nested) {
    const char* over = a.pipeline->over == PipelineSpec::Over::hosts ? "hosts" : "vms";
    return fmt::format("{{ {} }}", over);
  }
  return std::string(name(a.type));
}

Element PipelineRunner::act(const ActionSpec& a, const Element& x,
                            const std::vector<Element>& scope) {
  switch (a.type) {
    case ActionSpec::Type::deploy_vm:
      return controller_.deploy_vm(a, x);
    case ActionSpec::Type::start_vm:
      controller_.start_vm(a, x);
      return x;
    case ActionSpec::Type::reboot:
      controller_.reboot(a, x);
      return x;
    case ActionSpec::Type::migrate_vm: {
      // migrateToAny (figure 5): the targets' pipeline, with this VM in scope, ends in the
      // migration.
      std::vector<Element> inner = scope;
      inner.push_back(x);
      const Element vm = x;
      List targets = steps(*a.pipeline, inner, false, nullptr);
      // A VM with no target chosen has failed to move (a pipeline that chose one and skipped it,
      // failure-oblivious, has not).
      if (targets.eval().empty())
        throw ElementFailure(
            fmt::format("no host qualifies as a target for {}", lineage_display(vm)));
      targets.foreach_list([this, &a, vm](const Element& t) { controller_.migrate_vm(a, vm, t); },
                           "migrate_vm");
      return x;
    }
    case ActionSpec::Type::nested: {
      if (observer_)
        observer_->line(fmt::format("-- {} --------------------------------", lineage_display(x)));
      std::vector<Element> inner = scope;
      inner.push_back(x);
      steps(*a.pipeline, inner, true, nullptr);
      return x;
    }
  }
  return x;
}

}  // namespace rejuv::sim::lineage
