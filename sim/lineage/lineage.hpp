#pragma once
// The lineage context: the policy and blame mode pipelines run under, where they report, and what
// walking back on a failure does (seed 000 §3.2.4). Lists are made from it:
//
//   Lineage lineage({.policy = Policy::lineage});
//   auto deployed = lineage.of(pms).filter(...).take(10).map(add_vm).eval();   // figure 1
//
// One context serves nested pipelines too (a pipeline run inside an element's operation), so
// that a failure can be handed to the pipeline whose element is to blame.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/backends/backend.hpp"
#include "sim/lineage/item.hpp"
#include "sim/lineage/observer.hpp"
#include "sim/lineage/policy.hpp"

namespace rejuv::sim::lineage {

class NodeBase;
template <class T>
class LineageList;

struct Settings {
  Policy policy = Policy::lineage;
  BlameMode blame = BlameMode::nearest;
  Observer* observer = nullptr;
  // The object a backend failure blames (the backend says "domain", "host" or "target_host"; the
  // caller knows which element that is). Unset: backend failures blame no object.
  std::function<std::optional<ObjectId>(const backends::BackendFailure&)> blame_of{};
};

// A failure caught from an element's operation.
struct Caught {
  std::string message;
  std::optional<ObjectId> blamed;
  std::vector<FailureRecord> cause;  // a nested pipeline's chain
};

// What the failed step does next.
struct Resolution {
  enum class Kind : uint8_t { skip, emit_default, substitute };
  Kind kind = Kind::skip;
  IdSet removed;  // ids of the step's input that the walk-back removed (the failed one included)
  Batch items;    // substitutes arriving at the step's input (std::vector<Item<In>>)
};

// Thrown by a step under policy `restart` and caught by the terminal operation of its own chain,
// which runs the chain again from its source without the failed element.
struct RestartRequest {
  NodeBase* source;
  uint32_t id;  // the failed element's id in the source's output
};

class Lineage {
 public:
  explicit Lineage(Settings settings = {}) : settings_(std::move(settings)) {}
  Lineage(const Lineage&) = delete;
  Lineage& operator=(const Lineage&) = delete;

  // A list over fixed values, or over what `source` returns when the chain is evaluated (so a
  // filter sees the state at evaluation time, §3.2.3).
  template <class T>
  LineageList<T> of(std::vector<T> values, std::string label = "source");
  template <class T>
  LineageList<T> from(std::function<std::vector<T>()> source, std::string label = "source");

  const Settings& settings() const { return settings_; }
  Settings& settings() { return settings_; }
  Observer* observer() const { return settings_.observer; }
  // How deeply nested the pipeline now evaluating is (0: outermost).
  int depth() const { return int(runs_.size()) - 1; }

  // --- used by the steps ----------------------------------------------------------------------
  // The element whose operation is running, innermost last (for the blame-aware walk-back).
  struct ScopeEntry {
    const void* value;
    std::optional<ObjectId> (*identity)(const void*);
  };
  void push_scope(ScopeEntry e) { scope_.push_back(e); }
  void pop_scope() { scope_.pop_back(); }
  // Turns the exception in flight into a Caught, or returns nothing for anything that is not an
  // element's failure (a bug, bad input, a restart request).
  std::optional<Caught> classify(std::exception_ptr e) const;
  // An element of step `at`'s input failed: handle it by the policy.
  Resolution handle_failure(NodeBase& at, uint32_t id, const Caught& caught);
  // Evaluates `top` as a terminal operation does: restarts under policy restart, reports nesting.
  void evaluate(NodeBase& top);
  // The failures handled by the innermost terminal operation so far (restart's LackOfElements).
  const std::vector<FailureRecord>& run_failures() const;

 private:
  Resolution walk_back(NodeBase& at, uint32_t id, const Caught& caught, const FailureRecord& record,
                       std::optional<ObjectId> blamed);
  RestartRequest restart_request(NodeBase& at, uint32_t id,
                                 const std::optional<ObjectId>& blamed) const;
  bool enclosing_is(ObjectId object) const;

  struct Run {
    std::vector<FailureRecord> failures;  // every failure handled while this terminal runs
  };
  Settings settings_;
  std::vector<ScopeEntry> scope_;
  std::vector<Run> runs_;  // one per terminal operation in progress, innermost last
};

// Tells the observer that work done for a substitute starts, and that it ended however it ends.
class ReplayGuard {
 public:
  explicit ReplayGuard(Observer* o, bool on = true) : o_(on ? o : nullptr) {
    if (o_) o_->replay_begin();
  }
  ~ReplayGuard() {
    if (o_) o_->replay_end();
  }
  ReplayGuard(const ReplayGuard&) = delete;
  ReplayGuard& operator=(const ReplayGuard&) = delete;

 private:
  Observer* o_;
};

// Pushes the element whose operation is about to run; pops it when the operation returns or throws.
class ScopeGuard {
 public:
  template <class T>
  ScopeGuard(Lineage& lineage, const T& value) : lineage_(lineage) {
    lineage_.push_scope(
        {&value, [](const void* p) { return identity_of(*static_cast<const T*>(p)); }});
  }
  ~ScopeGuard() { lineage_.pop_scope(); }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  Lineage& lineage_;
};

}  // namespace rejuv::sim::lineage
