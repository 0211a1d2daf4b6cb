#pragma once
// LineageList<T>: a list whose operations record their lineage (seed 000 §3). Operations are lazy:
// each returns a new list that remembers its step and a link to the list before it; nothing runs
// until an operation that returns something other than a list (reduceLeft, exists, count,
// foreach) or an explicit eval() (§3.2.3). Then the chain runs, and a failure of an element's
// operation is handled by the context's policy (lineage.hpp).
//
// The operation names are the paper's (Table 1, Table 2, §4), in snake_case: sortBy is sort_by,
// accumulateWhile accumulate_while, reduceLeft reduce_left, takeByRandom take_by_random.
#include <stdexcept>
#include <type_traits>

#include "sim/lineage/extraction.hpp"
#include "sim/lineage/zip.hpp"

namespace rejuv::sim::lineage {

template <class T>
class LineageList {
 public:
  using value_type = T;
  explicit LineageList(std::shared_ptr<Node<T>> node) : node_(std::move(node)) {}

  Lineage& lineage() const { return node_->lineage(); }
  const std::shared_ptr<Node<T>>& node() const { return node_; }

  // --- Table 1 ----------------------------------------------------------------------------------
  LineageList filter(std::function<bool(const T&)> p, std::string arg = "") const {
    return make<Filter<T>>(node_, std::move(p), "filter", std::move(arg));
  }
  template <class F, class B = std::decay_t<std::invoke_result_t<F, const T&>>>
  LineageList<B> map(F f, std::string arg = "") const {
    return LineageList<B>(std::make_shared<Map<T, B>>(
        node_, std::function<B(const T&)>(std::move(f)), std::move(arg)));
  }
  // `key` returns a number, a string or a SortKey; sort ascending, stable.
  template <class F>
  LineageList sort_by(F key, std::string arg = "") const {
    std::function<SortKey(const T&)> k = [key = std::move(key)](const T& x) -> SortKey {
      using K = std::decay_t<std::invoke_result_t<F, const T&>>;
      if constexpr (std::is_same_v<K, SortKey>)
        return key(x);
      else if constexpr (std::is_arithmetic_v<K>)
        return double(key(x));
      else
        return SortKey(std::string(key(x)));
    };
    return make<SortBy<T>>(node_, std::move(k), std::move(arg));
  }
  LineageList take(size_t n) const { return make<Take<T>>(node_, n); }

  // --- Table 2 (and take above) ----------------------------------------------------------------
  LineageList drop(size_t n) const { return make<Drop<T>>(node_, n); }
  LineageList take_right(size_t n) const { return make<TakeRight<T>>(node_, n); }
  LineageList drop_right(size_t n) const { return make<DropRight<T>>(node_, n); }
  LineageList take_while(std::function<bool(const T&)> p, std::string arg = "") const {
    return make<TakeWhile<T>>(node_, std::move(p), std::move(arg));
  }
  LineageList drop_while(std::function<bool(const T&)> p, std::string arg = "") const {
    return make<DropWhile<T>>(node_, std::move(p), std::move(arg));
  }
  LineageList accumulate_while(typename AccumulateWhile<T>::Predicate p,
                               std::string arg = "") const {
    return make<AccumulateWhile<T>>(node_, std::move(p), std::move(arg));
  }

  // --- Table 3 ----------------------------------------------------------------------------------
  LineageList reverse() const { return make<Reverse<T>>(node_); }

  // --- beyond the paper: §4.1, §4.2, and "each host's VMs" -------------------------------------
  LineageList take_by_random(size_t n, Rng rng) const {
    return make<TakeByRandom<T>>(node_, n, std::move(rng));
  }
  // The n elements with the highest score (ties: the earlier first), in list order.
  LineageList take_by_score(size_t n, std::function<double(const T&)> score,
                            std::string arg = "") const {
    return make<TakeByScore<T>>(node_, n, std::move(score), std::move(arg));
  }
  template <class F, class V = std::decay_t<std::invoke_result_t<F, const T&>>>
  LineageList<typename V::value_type> flat_map(F f, std::string arg = "") const {
    using B = typename V::value_type;
    return LineageList<B>(std::make_shared<FlatMap<T, B>>(
        node_, std::function<std::vector<B>(const T&)>(std::move(f)), std::move(arg)));
  }
  // The elements for which p holds, and the others.
  std::pair<LineageList, LineageList> partition(std::function<bool(const T&)> p,
                                                std::string arg = "") const {
    auto split = std::make_shared<typename Half<T>::Split>(typename Half<T>::Split{
        [p = std::move(p)](size_t, const T& x) { return p(x) ? 0 : 1; }, true});
    return halves(split, "partition", std::move(arg));
  }
  // The first n elements, and the rest.
  std::pair<LineageList, LineageList> split_at(size_t n) const {
    auto split = std::make_shared<typename Half<T>::Split>(
        typename Half<T>::Split{[n](size_t k, const T&) { return k < n ? 0 : 1; }, false});
    return halves(split, "splitAt", std::to_string(n));
  }
  template <class U>
  LineageList<std::pair<T, U>> zip(const LineageList<U>& other) const {
    return LineageList<std::pair<T, U>>(std::make_shared<Zip<T, U>>(node_, other.node()));
  }

  // --- terminal operations: they evaluate the chain ---------------------------------------------
  std::vector<T> eval() const {
    lineage().evaluate(*node_);
    return values();
  }
  void foreach (std::function<void(const T&)> f, std::string arg = "") const {
    auto n = std::make_shared<Foreach<T>>(node_, std::move(f), std::move(arg));
    lineage().evaluate(*n);
  }
  // Like foreach, but the list of the elements f ran on (the scenario's "foreach" reports it).
  LineageList foreach_list(std::function<void(const T&)> f, std::string arg = "") const {
    LineageList l = make<Foreach<T>>(node_, std::move(f), std::move(arg));
    lineage().evaluate(*l.node_);
    return l;
  }
  bool exists(std::function<bool(const T&)> p, std::string arg = "") const {
    return !filter(std::move(p), std::move(arg)).eval().empty();
  }
  size_t count(std::function<bool(const T&)> p, std::string arg = "") const {
    return filter(std::move(p), std::move(arg)).eval().size();
  }
  // Scala's reduceLeft: the first element starts the fold. Throws std::out_of_range when empty.
  template <class F>
  T reduce_left(F f) const {
    auto n = std::make_shared<Fold<T, T>>(
        node_, std::nullopt, std::function<T(const T&, const T&)>(std::move(f)), "reduceLeft");
    lineage().evaluate(*n);
    if (!n->result()) throw std::out_of_range("lineage: reduceLeft of an empty list");
    return *n->result();
  }
  template <class B, class F>
  B fold_left(B init, F f) const {
    auto n = std::make_shared<Fold<T, B>>(
        node_, std::move(init), std::function<B(const B&, const T&)>(std::move(f)), "foldLeft");
    lineage().evaluate(*n);
    return *n->result();
  }

  // The values of an evaluated list (empty before evaluation).
  std::vector<T> values() const {
    std::vector<T> v;
    v.reserve(node_->out().size());
    for (const auto& x : node_->out()) v.push_back(x.value);
    return v;
  }
  bool evaluated() const { return node_->evaluated(); }

 private:
  template <class N, class... Args>
  static LineageList make(Args&&... args) {
    return LineageList(std::make_shared<N>(std::forward<Args>(args)...));
  }
  std::pair<LineageList, LineageList> halves(std::shared_ptr<typename Half<T>::Split> split,
                                             const std::string& op, const std::string& arg) const {
    return {make<Half<T>>(node_, split, 0, op, arg), make<Half<T>>(node_, split, 1, op, arg)};
  }
  std::shared_ptr<Node<T>> node_;
};

template <class T>
LineageList<T> Lineage::of(std::vector<T> values, std::string label) {
  return from<T>([v = std::move(values)] { return v; }, std::move(label));
}

template <class T>
LineageList<T> Lineage::from(std::function<std::vector<T>()> source, std::string label) {
  return LineageList<T>(std::make_shared<Source<T>>(*this, std::move(source), std::move(label)));
}

}  // namespace rejuv::sim::lineage
