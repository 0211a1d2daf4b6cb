#include "sim/lineage/lineage.hpp"

#include <fmt/format.h>

#include "sim/lineage/node.hpp"

namespace rejuv::sim::lineage {

std::string render(const ListView& list) {
  std::string text = "List(";
  for (size_t k = 0; k < list.shown.size(); ++k) {
    if (k == list.elided_at) text += "..., ";
    text += list.shown[k];
    if (k + 1 < list.shown.size()) text += ", ";
  }
  return text + ")";
}

void NodeBase::ensure_evaluated() {
  if (evaluated_) return;
  for (size_t k = 0; k < input_count(); ++k) input(k)->ensure_evaluated();
  Observer* o = lineage_.observer();
  if (o && input_count() > 0) o->begin(*this);
  evaluate();
  evaluated_ = true;
  if (o) {
    const ListView v = o->wants_lists() ? view() : ListView{};
    if (input_count() == 0)
      o->source(*this, v);
    else
      o->end(*this, v);
  }
}

void NodeBase::reset_chain() {
  reset();
  for (size_t k = 0; k < input_count(); ++k) input(k)->reset_chain();
}

std::optional<Caught> Lineage::classify(std::exception_ptr e) const {
  try {
    std::rethrow_exception(e);
  } catch (const ElementFailure& f) {
    return Caught{f.what(), f.blamed(), f.cause()};
  } catch (const backends::BackendFailure& f) {
    return Caught{f.what(), settings_.blame_of ? settings_.blame_of(f) : std::nullopt, {}};
  } catch (const LackOfElements& f) {
    return Caught{f.what(), std::nullopt, f.chain()};
  } catch (const PipelineFailed& f) {
    return Caught{f.what(), std::nullopt, {f.failure()}};
  } catch (...) {
    return std::nullopt;
  }
}

bool Lineage::enclosing_is(ObjectId object) const {
  // When a failure is handled, the failed element's own entry is gone: all that is left encloses
  // it.
  for (size_t k = 0; k < scope_.size(); ++k)
    if (scope_[k].identity(scope_[k].value) == object) return true;
  return false;
}

const std::vector<FailureRecord>& Lineage::run_failures() const {
  static const std::vector<FailureRecord> none;
  return runs_.empty() ? none : runs_.back().failures;
}

Resolution Lineage::handle_failure(NodeBase& at, uint32_t id, const Caught& caught) {
  NodeBase& in = *at.input(0);
  const std::string element = in.display(id);
  FailureRecord record{at.label(), element, caught.message, caught.cause};
  if (!runs_.empty()) runs_.back().failures.push_back(record);
  if (Observer* o = observer()) o->failure(at, element, caught.message);
  if (settings_.policy == Policy::none) throw PipelineFailed(record);

  // Blame-aware: a failure of an object an enclosing pipeline chose (and this one did not) is that
  // pipeline's to handle.
  std::optional<ObjectId> blamed;
  if (settings_.blame == BlameMode::failed_object && caught.blamed) {
    blamed = caught.blamed;
    bool here = false;
    NodeBase* node = &in;
    uint32_t cur = id;
    for (;;) {
      if (node->identity(cur) == blamed) {
        here = true;
        break;
      }
      if (node->input_count() == 0) break;
      const auto p = node->parent(cur, blamed);
      node = node->input(p.input);
      cur = p.id;
    }
    if (!here) {
      if (enclosing_is(*blamed)) throw ElementFailure(caught.message, blamed, caught.cause);
      blamed.reset();  // nobody chose the blamed object: the nearest extraction function
    }
  }

  switch (settings_.policy) {
    case Policy::oblivious_skip:
      if (Observer* o = observer()) o->skipped(at, element);
      return {Resolution::Kind::skip, {}, {}};
    case Policy::oblivious_default:
      if (Observer* o = observer()) o->defaulted(at, element);
      return {Resolution::Kind::emit_default, {}, {}};
    case Policy::restart:
      throw restart_request(at, id, caught.blamed);
    case Policy::lineage:
    case Policy::none:
      break;
  }
  return walk_back(at, id, caught, record, blamed);
}

RestartRequest Lineage::restart_request(NodeBase& at, uint32_t id,
                                        const std::optional<ObjectId>& blamed) const {
  NodeBase* node = at.input(0);
  uint32_t cur = id;
  while (node->input_count() > 0) {
    const auto p = node->parent(cur, blamed);
    node = node->input(p.input);
    cur = p.id;
  }
  return RestartRequest{node, cur};
}

Resolution Lineage::walk_back(NodeBase& at, uint32_t id, const Caught& caught,
                              const FailureRecord& record, std::optional<ObjectId> blamed) {
  // Back along the recorded links to the nearest extraction function (§3.2.4), or, blame-aware,
  // to the nearest one at or before the step where the blamed object is an element.
  struct Hop {
    NodeBase* node;
    size_t input;  // which input of `node` the walk went on through
  };
  std::vector<Hop> trail;  // the steps between the extraction function and `at`, nearest `at` first
  NodeBase* node = at.input(0);
  uint32_t cur = id;
  bool reached = !blamed || node->identity(cur) == blamed;
  while (!(reached && node->is_extraction())) {
    if (node->input_count() == 0) {
      // No extraction function: as before lineage, the exception stops the pipeline (§5.2).
      throw PipelineFailed(FailureRecord{
          record.operation, record.element,
          "no extraction function to draw a substitute from: " + caught.message, caught.cause});
    }
    const auto p = node->parent(cur, caught.blamed);
    trail.push_back({node, p.input});
    node = node->input(p.input);
    cur = p.id;
    if (!reached && node->identity(cur) == blamed) reached = true;
  }
  NodeBase& extraction = *node;
  extraction.failures().push_back(record);
  Observer* o = observer();
  if (o) o->unused(extraction, o->wants_lists() ? extraction.unused_view() : ListView{});

  // The failed element leaves every list from the extraction function on, with all that came of it.
  const std::string failed = extraction.display(cur);
  IdSet ids{cur};
  extraction.remove(ids);
  for (auto it = trail.rbegin(); it != trail.rend(); ++it) {
    ids = it->node->descendants(it->input, ids);
    it->node->remove(ids);
  }
  Resolution r;
  r.kind = Resolution::Kind::substitute;
  r.removed = std::move(ids);

  // As many substitutes as failed: one for this element. Each goes through the recorded steps; one
  // that a replayed step rejects is used up, and the next is drawn.
  ReplayGuard replaying(o);
  for (;;) {
    std::optional<Batch> drawn = extraction.draw();
    if (!drawn) {
      if (o) o->lack_of_elements(extraction);
      throw LackOfElements(extraction.label(), extraction.failures());
    }
    const std::string substitute = extraction.first_display(*drawn);
    if (o) o->alternative(extraction, o->wants_lists() ? extraction.view(*drawn) : ListView{});
    Batch batch = std::move(*drawn);
    NodeBase* last = &extraction;
    for (auto it = trail.rbegin(); it != trail.rend() && last->batch_size(batch) > 0; ++it) {
      batch = it->node->replay(it->input, batch);
      last = it->node;
      if (o) o->alternative(*last, o->wants_lists() ? last->view(batch) : ListView{});
    }
    if (last->batch_size(batch) > 0) {
      if (o) o->substituted(extraction, at, failed, substitute);
      r.items = std::move(batch);
      return r;
    }
  }
}

void Lineage::evaluate(NodeBase& top) {
  runs_.emplace_back();
  Observer* o = observer();
  if (o && runs_.size() > 1) o->enter();
  struct Leave {
    Lineage& l;
    Observer* o;
    ~Leave() {
      if (o && l.runs_.size() > 1) o->leave();
      l.runs_.pop_back();
    }
  } leave{*this, o};
  bool restarted = false;
  for (;;) {
    try {
      top.ensure_evaluated();
      break;
    } catch (const RestartRequest& r) {
      // The chain runs again from its source, with current state, without the failed element.
      if (o) o->restarted(r.source->display(r.id));
      r.source->exclude(r.id);
      top.reset_chain();
      restarted = true;
    }
  }
  if (restarted) {
    // Operations done before a restart on elements the final lists no longer hold.
    std::vector<NodeBase*> todo{&top};
    while (!todo.empty()) {
      NodeBase* n = todo.back();
      todo.pop_back();
      n->report_orphans();
      for (size_t k = 0; k < n->input_count(); ++k) todo.push_back(n->input(k));
    }
  }
}

}  // namespace rejuv::sim::lineage
