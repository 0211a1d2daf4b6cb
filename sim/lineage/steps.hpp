#pragma once
// The steps of Table 1 that are not extraction functions: the source, filter, map, flatMap,
// sortBy, reverse, the terminal foreach and reduceLeft, and the halves of splitAt. Under policy
// restart, map, flatMap and foreach remember what they did for each element (by its identity), so
// that running the chain again does not do it twice; what they did for elements that the chain no
// longer reaches is reported as orphaned.
#include <functional>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "sim/lineage/node.hpp"

namespace rejuv::sim::lineage {

template <class T>
class Source : public Node<T> {
 public:
  Source(Lineage& lineage, std::function<std::vector<T>()> values, std::string label)
      : Node<T>(lineage, std::move(label), ""), values_(std::move(values)) {}
  size_t input_count() const override { return 0; }
  NodeBase* input(size_t) const override { return nullptr; }
  NodeBase::Parent parent(uint32_t id, const std::optional<ObjectId>&) const override {
    return {0, id};
  }
  IdSet descendants(size_t, const IdSet& ids) const override { return ids; }
  Batch replay(size_t, const Batch&) override {
    throw std::logic_error("lineage: a source has no input to replay");
  }
  void exclude(uint32_t id) override {
    const Item<T>* x = this->find(id);
    if (!x) return;
    if (auto ident = identity_of(x->value))
      excluded_identities_.insert(*ident);
    else
      excluded_positions_.insert(id);
  }

 protected:
  void evaluate() override {
    std::vector<T> values = values_();
    this->out_.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      if (!excluded_positions_.empty() && excluded_positions_.contains(uint32_t(i))) continue;
      if (!excluded_identities_.empty()) {
        const auto ident = identity_of(values[i]);
        if (ident && excluded_identities_.contains(*ident)) continue;
      }
      this->out_.push_back(Item<T>{std::move(values[i]), uint32_t(i), uint32_t(i), nullptr});
    }
  }

 private:
  std::function<std::vector<T>()> values_;
  std::unordered_set<ObjectId> excluded_identities_;  // policy restart: failed elements left out
  std::unordered_set<uint32_t> excluded_positions_;
};

template <class T>
class Filter : public Step<T, T> {
 public:
  Filter(std::shared_ptr<Node<T>> in, std::function<bool(const T&)> p, std::string op,
         std::string arg)
      : Step<T, T>(std::move(in), std::move(op), std::move(arg)), p_(std::move(p)) {}

 protected:
  // A tight loop while no predicate throws (the common case, and the hot path at scale); from an
  // element whose predicate throws on, the general path with its failure handling.
  void evaluate() override {
    const auto& in = this->in_->out();
    this->out_.reserve(in.size());
    size_t k = 0;
    try {
      for (; k < in.size(); ++k)
        if (p_(in[k].value)) this->out_.push_back(in[k]);
      return;
    } catch (...) {
    }
    this->run(std::vector<Item<T>>(in.begin() + long(k), in.end()), true);
  }
  void apply(const Item<T>& x, std::vector<Item<T>>& produced) override {
    if (p_(x.value)) produced.push_back(x);
  }

 private:
  std::function<bool(const T&)> p_;
};

// What map, flatMap and foreach did, by the identity of the element they did it for, and what
// their first evaluation had as input: after a restart, an operation on an element that was not
// there is work done because of the failure (reported to the observer as a replay).
template <class V>
class Memo {
 public:
  bool active(const Lineage& l) const { return l.settings().policy == Policy::restart; }
  template <class T>
  void first_input(const std::vector<Item<T>>& in) {
    if (first_) return;
    first_.emplace();
    for (const auto& x : in)
      if (auto id = identity_of(x.value)) first_->insert(*id);
  }
  bool fresh(const std::optional<ObjectId>& id) const {
    return first_ && id && !first_->contains(*id);
  }
  const V* find(const std::optional<ObjectId>& id) const {
    if (!id) return nullptr;
    auto it = done_.find(*id);
    return it == done_.end() ? nullptr : &it->second.first;
  }
  void put(const std::optional<ObjectId>& id, V v, std::string shown) {
    if (id) done_.insert_or_assign(*id, std::pair<V, std::string>{std::move(v), std::move(shown)});
  }
  // Reports what was done for elements `input` no longer holds.
  template <class T>
  void report(const NodeBase& at, const std::vector<Item<T>>& input) const {
    Observer* o = at.lineage().observer();
    if (!o || done_.empty()) return;
    std::unordered_set<ObjectId> present;
    for (const auto& x : input)
      if (auto id = identity_of(x.value)) present.insert(*id);
    for (const auto& [id, v] : done_)
      if (!present.contains(id)) o->orphaned(at, v.second);
  }

 private:
  std::unordered_map<ObjectId, std::pair<V, std::string>> done_;
  std::optional<std::unordered_set<ObjectId>> first_;
};

template <class In, class Out>
class Map : public Step<In, Out> {
 public:
  Map(std::shared_ptr<Node<In>> in, std::function<Out(const In&)> f, std::string arg)
      : Step<In, Out>(std::move(in), "map", std::move(arg)), f_(std::move(f)) {}
  void report_orphans() override { memo_.report(*this, this->in_->out()); }

 protected:
  void evaluate() override {
    if (memo_.active(this->lineage())) memo_.first_input(this->in_->out());
    Step<In, Out>::evaluate();
  }
  void apply(const Item<In>& x, std::vector<Item<Out>>& produced) override {
    if (memo_.active(this->lineage())) {
      const auto id = identity_of(x.value);
      if (const Out* done = memo_.find(id)) {
        produced.push_back(Item<Out>{*done, x.id, x.src, x.order});
        return;
      }
      ReplayGuard again(this->lineage().observer(), memo_.fresh(id));
      Out y = f_(x.value);
      memo_.put(id, y, display_of(x.value));
      produced.push_back(Item<Out>{std::move(y), x.id, x.src, x.order});
      return;
    }
    produced.push_back(Item<Out>{f_(x.value), x.id, x.src, x.order});
  }
  void apply_default(const Item<In>& x, std::vector<Item<Out>>& produced) override {
    if constexpr (std::is_default_constructible_v<Out>)
      produced.push_back(Item<Out>{Out{}, x.id, x.src, x.order});
  }

 private:
  std::function<Out(const In&)> f_;
  Memo<Out> memo_;
};

// Table 1's foreach: runs f on each element for its effect; its list is the elements f ran on.
template <class T>
class Foreach : public Step<T, T> {
 public:
  Foreach(std::shared_ptr<Node<T>> in, std::function<void(const T&)> f, std::string arg)
      : Step<T, T>(std::move(in), "foreach", std::move(arg)), f_(std::move(f)) {}
  void report_orphans() override { memo_.report(*this, this->in_->out()); }

 protected:
  void evaluate() override {
    if (memo_.active(this->lineage())) memo_.first_input(this->in_->out());
    Step<T, T>::evaluate();
  }
  void apply(const Item<T>& x, std::vector<Item<T>>& produced) override {
    if (memo_.active(this->lineage())) {
      const auto id = identity_of(x.value);
      if (!memo_.find(id)) {
        ReplayGuard again(this->lineage().observer(), memo_.fresh(id));
        f_(x.value);
        memo_.put(id, true, display_of(x.value));
      }
    } else {
      f_(x.value);
    }
    produced.push_back(x);
  }
  // Failure-oblivious with a default: the element stays, as if its operation had returned.
  void apply_default(const Item<T>& x, std::vector<Item<T>>& produced) override {
    produced.push_back(x);
  }

 private:
  std::function<void(const T&)> f_;
  Memo<bool> memo_;
};

// flatMap: each element's children ("each host's VMs"), placed after their parent's place in
// their own order.
template <class In, class Out>
class FlatMap : public Step<In, Out> {
 public:
  FlatMap(std::shared_ptr<Node<In>> in, std::function<std::vector<Out>(const In&)> f,
          std::string arg)
      : Step<In, Out>(std::move(in), "flatMap", std::move(arg)), f_(std::move(f)) {}
  NodeBase::Parent parent(uint32_t id, const std::optional<ObjectId>&) const override {
    return {0, parent_.at(id)};
  }
  IdSet descendants(size_t, const IdSet& ids) const override {
    IdSet children;
    for (const auto& [child, parent] : parent_)
      if (ids.contains(parent)) children.insert(child);
    return children;
  }
  void report_orphans() override { memo_.report(*this, this->in_->out()); }

 protected:
  void evaluate() override {
    if (memo_.active(this->lineage())) memo_.first_input(this->in_->out());
    Step<In, Out>::evaluate();
  }
  void apply(const Item<In>& x, std::vector<Item<Out>>& produced) override {
    std::vector<Out> children;
    const auto id = identity_of(x.value);
    if (const std::vector<Out>* done = memo_.active(this->lineage()) ? memo_.find(id) : nullptr) {
      children = *done;
    } else {
      ReplayGuard again(this->lineage().observer(), memo_.fresh(id));
      children = f_(x.value);
      if (memo_.active(this->lineage())) memo_.put(id, children, display_of(x.value));
    }
    for (size_t j = 0; j < children.size(); ++j) {
      const uint32_t child = next_id_++;
      parent_[child] = x.id;
      produced.push_back(
          Item<Out>{std::move(children[j]), child, x.src, this->arena_.sub(x.order, j)});
    }
  }
  void reset() override {
    Step<In, Out>::reset();
    parent_.clear();
    next_id_ = 0;
  }

 private:
  std::function<std::vector<Out>(const In&)> f_;
  std::unordered_map<uint32_t, uint32_t> parent_;  // child id -> parent id
  uint32_t next_id_ = 0;
  Memo<std::vector<Out>> memo_;
};

// sortBy keeps the key it evaluated for each element (Table 3), so that a substitute is put where
// its own key belongs among them.
template <class T>
class SortBy : public Step<T, T> {
 public:
  SortBy(std::shared_ptr<Node<T>> in, std::function<SortKey(const T&)> key, std::string arg)
      : Step<T, T>(std::move(in), "sortBy", std::move(arg)), key_(std::move(key)) {}

 protected:
  void evaluate() override {
    std::vector<Item<T>> all = this->run(this->in_->out(), false);
    // Number keys (the common case): sort positions by key; equal keys keep the input order.
    bool numbers = true;
    for (const auto& x : all) numbers = numbers && std::holds_alternative<double>(x.order->key);
    if (numbers) {
      std::vector<std::pair<double, uint32_t>> keys(all.size());
      for (size_t k = 0; k < all.size(); ++k)
        keys[k] = {std::get<double>(all[k].order->key), uint32_t(k)};
      std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        const Item<T>& x = all[a.second];
        const Item<T>& y = all[b.second];
        return compare_order(x.order->parent, x.src, y.order->parent, y.src) < 0;
      });
      this->out_.reserve(all.size());
      for (const auto& [_, k] : keys) this->out_.push_back(std::move(all[k]));
      return;
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const Item<T>& a, const Item<T>& b) { return compare(a, b) < 0; });
    this->out_ = std::move(all);
  }
  void apply(const Item<T>& x, std::vector<Item<T>>& produced) override {
    produced.push_back(Item<T>{x.value, x.id, x.src, this->arena_.sort(x.order, key_(x.value))});
  }

 private:
  std::function<SortKey(const T&)> key_;
};

// reverse keeps each element's position in the original list (Table 3) by flipping its order.
template <class T>
class Reverse : public Step<T, T> {
 public:
  explicit Reverse(std::shared_ptr<Node<T>> in) : Step<T, T>(std::move(in), "reverse", "") {}

 protected:
  void evaluate() override {
    const auto& in = this->in_->out();
    this->out_.reserve(in.size());
    for (auto it = in.rbegin(); it != in.rend(); ++it)
      this->out_.push_back(Item<T>{it->value, it->id, it->src, this->arena_.flip(it->order)});
  }
  void apply(const Item<T>& x, std::vector<Item<T>>& produced) override {
    produced.push_back(Item<T>{x.value, x.id, x.src, this->arena_.flip(x.order)});
  }
};

// The two halves of partition and splitAt (§4.2). Both halves are computed together, from the same
// evaluation of their input, so that each element's half is recorded once; neither is an
// extraction function: a failure walks back through a half, and a substitute comes back to the
// half it is replacing an element of (partition: only if its predicate still sends it there; one
// it sends to the other half is used up).
template <class T>
class Half : public Step<T, T> {
 public:
  // side(position, value): 0 or 1.
  using Rule = std::function<int(size_t position, const T& value)>;
  struct Split {
    Rule rule;
    bool routes_substitutes;  // partition: a substitute must belong to the half
    Half* halves[2] = {nullptr, nullptr};
  };
  Half(std::shared_ptr<Node<T>> in, std::shared_ptr<Split> split, int side, std::string op,
       std::string arg)
      : Step<T, T>(std::move(in), std::move(op), std::move(arg)),
        split_(std::move(split)),
        side_(side) {
    split_->halves[side] = this;
  }
  ~Half() override { split_->halves[side_] = nullptr; }

 protected:
  void evaluate() override {
    if (filled_) return;
    Half* other = split_->halves[1 - side_];
    if (other) other->out_.clear();
    const auto& in = this->in_->out();
    for (size_t k = 0; k < in.size(); ++k) {
      const int side = split_->rule(k, in[k].value);
      if (side == side_)
        this->out_.push_back(in[k]);
      else if (other)
        other->out_.push_back(in[k]);
    }
    if (other) other->filled_ = true;
  }
  void apply(const Item<T>& x, std::vector<Item<T>>& produced) override {
    if (!split_->routes_substitutes || split_->rule(0, x.value) == side_) produced.push_back(x);
  }
  void reset() override {
    Step<T, T>::reset();
    filled_ = false;
  }

 private:
  std::shared_ptr<Split> split_;
  int side_;
  bool filled_ = false;  // computed when the other half was
};

// reduceLeft / foldLeft: folds the elements in the order they are processed; a substitute is
// folded in where its failed element would have been.
template <class T, class B>
class Fold : public Step<T, T> {
 public:
  Fold(std::shared_ptr<Node<T>> in, std::optional<B> init, std::function<B(const B&, const T&)> f,
       std::string op)
      : Step<T, T>(std::move(in), std::move(op), ""),
        init_(std::move(init)),
        acc_(init_),
        f_(std::move(f)) {}
  const std::optional<B>& result() const { return acc_; }

 protected:
  void apply(const Item<T>& x, std::vector<Item<T>>& produced) override {
    if (acc_)
      acc_ = f_(*acc_, x.value);
    else if constexpr (std::is_convertible_v<T, B>)
      acc_ = B(x.value);
    produced.push_back(x);
  }
  void reset() override {
    Step<T, T>::reset();
    acc_ = init_;
  }

 private:
  std::optional<B> init_, acc_;
  std::function<B(const B&, const T&)> f_;
};

}  // namespace rejuv::sim::lineage
