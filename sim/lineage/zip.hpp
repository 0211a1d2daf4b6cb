#pragma once
// zip (§4.2): pairs the elements of two lists at the same position. Each pair keeps the lineage of
// both its elements, so that a failed pair walks back along the side that is to blame (the side
// whose element the failure blames, else the left) and the substitute is paired with the element
// the failed pair left on the other side, in the failed pair's slot.
#include <unordered_map>

#include "sim/lineage/node.hpp"

namespace rejuv::sim::lineage {

template <class A, class B>
class Zip : public Node<std::pair<A, B>> {
 public:
  using Pair = std::pair<A, B>;
  Zip(std::shared_ptr<Node<A>> a, std::shared_ptr<Node<B>> b)
      : Node<Pair>(a->lineage(), "zip", ""), a_(std::move(a)), b_(std::move(b)) {}

  size_t input_count() const override { return 2; }
  NodeBase* input(size_t k) const override {
    return k == 0 ? static_cast<NodeBase*>(a_.get()) : b_.get();
  }
  NodeBase::Parent parent(uint32_t id, const std::optional<ObjectId>& blamed) const override {
    const Slot& s = slots_.at(id);
    const Item<Pair>* x = this->find(id);
    if (blamed && x && identity_of(x->value.second) == blamed) return {1, s.b_id};
    return {0, s.a_id};
  }
  IdSet descendants(size_t k, const IdSet& ids) const override {
    IdSet pairs;
    for (const auto& [id, s] : slots_)
      if (ids.contains(k == 0 ? s.a_id : s.b_id)) pairs.insert(id);
    return pairs;
  }
  void remove(const IdSet& ids) override {
    // The partners of removed pairs wait, in their slots, for the substitute of the other side.
    for (const auto& x : this->out_)
      if (ids.contains(x.id)) waiting_.push_back(x);
    Node<Pair>::remove(ids);
  }
  Batch replay(size_t k, const Batch& items) override {
    std::vector<Item<Pair>> made;
    auto pair_with = [&](auto& arrival, auto make) {
      if (waiting_.empty()) return;
      const Item<Pair> w = waiting_.front();
      waiting_.erase(waiting_.begin());
      // A new id (the failed pair's is gone from the lists after this step), the failed pair's
      // slot.
      Item<Pair> p{make(w.value), next_id_++, w.src, w.order};
      Slot s = slots_.at(w.id);
      (k == 0 ? s.a_id : s.b_id) = arrival.id;
      slots_[p.id] = s;
      this->insert(p);
      made.push_back(p);
    };
    if (k == 0) {
      for (const auto& x : std::any_cast<const std::vector<Item<A>>&>(items))
        pair_with(x, [&](const Pair& old) { return Pair{x.value, old.second}; });
    } else {
      for (const auto& x : std::any_cast<const std::vector<Item<B>>&>(items))
        pair_with(x, [&](const Pair& old) { return Pair{old.first, x.value}; });
    }
    return Batch(std::move(made));
  }

 protected:
  void evaluate() override {
    const auto& a = a_->out();
    const auto& b = b_->out();
    const size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      this->out_.push_back(
          Item<Pair>{Pair{a[i].value, b[i].value}, uint32_t(i), uint32_t(i), this->arena_.slot(i)});
      slots_[uint32_t(i)] = Slot{a[i].id, b[i].id};
    }
    next_id_ = uint32_t(n);
  }
  void reset() override {
    Node<Pair>::reset();
    slots_.clear();
    waiting_.clear();
  }

 private:
  struct Slot {
    uint32_t a_id, b_id;
  };
  std::shared_ptr<Node<A>> a_;
  std::shared_ptr<Node<B>> b_;
  std::unordered_map<uint32_t, Slot> slots_;
  std::vector<Item<Pair>> waiting_;
  uint32_t next_id_ = 0;
};

}  // namespace rejuv::sim::lineage
