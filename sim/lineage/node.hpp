#pragma once
// The steps of a lineage list (seed 000 §3.2.1): each holds what it was given (a predicate, a
// function, a count), a link to the step before it, and, once evaluated, its output. The walk-back
// on a failure goes through NodeBase, which knows elements by id only; Node<T> holds the output of
// element type T, Step<In, Out> reads a Node<In>.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sim/lineage/lineage.hpp"

namespace rejuv::sim::lineage {

class NodeBase {
 public:
  NodeBase(Lineage& lineage, std::string op, std::string arg)
      : lineage_(lineage), op_(std::move(op)), arg_(std::move(arg)) {}
  virtual ~NodeBase() = default;
  NodeBase(const NodeBase&) = delete;
  NodeBase& operator=(const NodeBase&) = delete;

  Lineage& lineage() const { return lineage_; }
  const std::string& op() const { return op_; }    // "filter", "take", "map", …
  const std::string& arg() const { return arg_; }  // what it was given, as text ("cpu_ratio < 0.3")
  std::string label() const { return arg_.empty() ? op_ : op_ + " " + arg_; }

  virtual size_t input_count() const = 0;
  virtual NodeBase* input(size_t k) const = 0;
  // Table 2's functions, which keep the elements they did not choose.
  virtual bool is_extraction() const { return false; }

  // Evaluates the steps before this one, then this one, once (§3.2.3).
  void ensure_evaluated();
  bool evaluated() const { return evaluated_; }
  // Forgets this step's output and that of every step before it (policy restart).
  void reset_chain();

  // --- the lineage of one element of the output, by id ---------------------------------------
  struct Parent {
    size_t input;
    uint32_t id;
  };
  // Where element `id` came from. zip picks the side that holds `blamed`, else its left input.
  virtual Parent parent(uint32_t id, const std::optional<ObjectId>& blamed) const = 0;
  virtual std::optional<ObjectId> identity(uint32_t id) const = 0;
  virtual std::string display(uint32_t id) const = 0;
  virtual void remove(const IdSet& ids) = 0;
  // The ids of this step's output that came from `ids` of input k's output.
  virtual IdSet descendants(size_t k, const IdSet& ids) const = 0;
  // Runs this step on substitutes arriving from input k (a std::vector<Item<In>>), inserts what
  // comes out in its place, and returns it (a std::vector<Item<Out>>).
  virtual Batch replay(size_t k, const Batch& items) = 0;
  // Extraction functions: takes the next unused element that qualifies now, inserts it into the
  // output and returns it (a std::vector<Item<Out>> of one); nothing when none is left.
  virtual std::optional<Batch> draw() { return std::nullopt; }
  // The failures this extraction function has replaced elements for (LackOfElements' chain).
  std::vector<FailureRecord>& failures() { return failures_; }

  virtual size_t size() const = 0;
  virtual size_t batch_size(const Batch& items) const = 0;
  virtual ListView view() const = 0;
  virtual ListView view(const Batch& items) const = 0;
  virtual ListView unused_view() const { return {}; }
  virtual std::string first_display(const Batch& items) const = 0;
  // Policy restart: the element `id` of a source is left out from now on.
  virtual void exclude(uint32_t /*id*/) {}
  // Policy restart: reports the operations done on elements the final input no longer holds.
  virtual void report_orphans() {}

 protected:
  virtual void evaluate() = 0;
  virtual void reset() {
    evaluated_ = false;
    failures_.clear();
  }
  static constexpr size_t kViewHead = 4, kViewTail = 2;

 private:
  Lineage& lineage_;
  std::string op_, arg_;
  bool evaluated_ = false;
  std::vector<FailureRecord> failures_;
};

template <class T>
ListView make_view(const std::vector<Item<T>>& items, size_t head = 4, size_t tail = 2) {
  ListView v;
  v.size = items.size();
  if (items.size() <= head + tail + 1) {
    for (const auto& x : items) v.shown.push_back(display_of(x.value));
    return v;
  }
  for (size_t k = 0; k < head; ++k) v.shown.push_back(display_of(items[k].value));
  v.elided_at = head;
  for (size_t k = items.size() - tail; k < items.size(); ++k)
    v.shown.push_back(display_of(items[k].value));
  return v;
}

template <class T>
class Node : public NodeBase {
 public:
  using NodeBase::NodeBase;
  using value_type = T;
  const std::vector<Item<T>>& out() const { return out_; }

  std::optional<ObjectId> identity(uint32_t id) const override {
    const Item<T>* x = find(id);
    return x ? identity_of(x->value) : std::nullopt;
  }
  std::string display(uint32_t id) const override {
    const Item<T>* x = find(id);
    return x ? display_of(x->value) : "?";
  }
  void remove(const IdSet& ids) override {
    if (ids.empty()) return;
    std::erase_if(out_, [&](const Item<T>& x) { return ids.contains(x.id); });
  }
  size_t size() const override { return out_.size(); }
  size_t batch_size(const Batch& items) const override { return cast(items).size(); }
  ListView view() const override { return make_view(out_); }
  ListView view(const Batch& items) const override { return make_view(cast(items)); }
  std::string first_display(const Batch& items) const override {
    const auto& v = cast(items);
    return v.empty() ? "" : display_of(v.front().value);
  }

 protected:
  static const std::vector<Item<T>>& cast(const Batch& b) {
    return std::any_cast<const std::vector<Item<T>>&>(b);
  }
  const Item<T>* find(uint32_t id) const {
    for (const auto& x : out_)
      if (x.id == id) return &x;
    return nullptr;
  }
  // Puts `x` where its order key says (§3.2.5); appending is the common case.
  void insert(Item<T> x) {
    if (out_.empty() || compare(out_.back(), x) <= 0) {
      out_.push_back(std::move(x));
      return;
    }
    auto at = std::upper_bound(out_.begin(), out_.end(), x, [](const Item<T>& a, const Item<T>& b) {
      return compare(a, b) < 0;
    });
    out_.insert(at, std::move(x));
  }
  void reset() override {
    NodeBase::reset();
    out_.clear();
    arena_.clear();
  }

  std::vector<Item<T>> out_;
  OrderArena arena_;
};

// A step reading one list of In and giving a list of Out. Its elements go through apply() one at a
// time; a failure is handled by the policy, and substitutes arriving from the walk-back go through
// apply() in the failed element's place.
template <class In, class Out>
class Step : public Node<Out> {
 public:
  Step(std::shared_ptr<Node<In>> in, std::string op, std::string arg)
      : Node<Out>(in->lineage(), std::move(op), std::move(arg)), in_(std::move(in)) {}

  size_t input_count() const override { return 1; }
  NodeBase* input(size_t) const override { return in_.get(); }
  NodeBase::Parent parent(uint32_t id, const std::optional<ObjectId>&) const override {
    return {0, id};
  }
  IdSet descendants(size_t, const IdSet& ids) const override { return ids; }
  Batch replay(size_t, const Batch& items) override {
    return Batch(run(std::any_cast<const std::vector<Item<In>>&>(items), true));
  }

 protected:
  void evaluate() override { run(in_->out(), true); }
  // Applies the step to one element; appends what comes of it to `produced`. Throws to say the
  // element failed (ElementFailure, backends::BackendFailure, or a nested LackOfElements).
  virtual void apply(const Item<In>& x, std::vector<Item<Out>>& produced) = 0;
  // Policy oblivious-default: the result kept in a failed element's place (nothing by default).
  virtual void apply_default(const Item<In>&, std::vector<Item<Out>>&) {}

  // Runs apply() over `items` in order, handling failures; returns what came out. With `insert`,
  // each output is also put into the step's output at its place.
  std::vector<Item<Out>> run(std::vector<Item<In>> items, bool insert);

  std::shared_ptr<Node<In>> in_;
};

template <class In, class Out>
std::vector<Item<Out>> Step<In, Out>::run(std::vector<Item<In>> items, bool insert) {
  Lineage& lin = this->lineage();
  std::vector<Item<Out>> all;
  all.reserve(items.size());
  std::vector<Item<In>> front;  // substitutes, processed before the rest (last pushed first)
  IdSet removed;                // input elements the walk-back took out of the chain
  size_t next = 0;
  std::vector<Item<Out>> produced;
  while (!front.empty() || next < items.size()) {
    const bool from_front = !front.empty();
    Item<In> x = from_front ? std::move(front.back()) : std::move(items[next++]);
    if (from_front) front.pop_back();
    if (!removed.empty() && removed.contains(x.id)) continue;
    produced.clear();
    std::optional<Caught> caught;
    {
      ReplayGuard replaying(lin.observer(), from_front);
      ScopeGuard scope(lin, x.value);
      try {
        apply(x, produced);
      } catch (...) {
        caught = lin.classify(std::current_exception());
        if (!caught) throw;
      }
    }
    if (caught) {
      Resolution r = lin.handle_failure(*this, x.id, *caught);
      if (r.kind == Resolution::Kind::skip) continue;
      if (r.kind == Resolution::Kind::substitute) {
        removed.insert(r.removed.begin(), r.removed.end());
        const IdSet mine = descendants(0, r.removed);
        this->remove(mine);
        std::erase_if(all, [&](const Item<Out>& y) { return mine.contains(y.id); });
        if (Observer* o = lin.observer()) o->retry(*this);
        auto subs = std::any_cast<std::vector<Item<In>>>(std::move(r.items));
        for (auto it = subs.rbegin(); it != subs.rend(); ++it) front.push_back(std::move(*it));
        continue;
      }
      produced.clear();
      apply_default(x, produced);
    }
    for (auto& y : produced) {
      if (insert) this->insert(y);
      all.push_back(std::move(y));
    }
  }
  return all;
}

}  // namespace rejuv::sim::lineage
