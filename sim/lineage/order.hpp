#pragma once
// Where an element stands in a list, so that a substitute can be put where it belongs (seed 000
// §3.2.5, Table 3). Steps that keep the order keep their input's key; the steps that change it add
// a link: sortBy keeps the key it evaluated (ties keep the previous order, as a stable sort does),
// reverse flips the previous order, flatMap orders an element's children after their parent's
// place, zip orders pairs by their slot. An element that has passed through none of them is ordered
// by its position in the source list.
#include <compare>
#include <cstdint>
#include <deque>
#include <string>
#include <variant>

namespace rejuv::sim::lineage {

// A sortBy key: a number or a string (numbers sort before strings).
using SortKey = std::variant<double, std::string>;

struct OrderRec {
  enum class Kind : uint8_t { sort, flip, sub, slot };
  Kind kind;
  const OrderRec* parent;  // the order before this step; null: the source position
  SortKey key;             // sort
  uint64_t index = 0;      // sub: the child's place among its parent's children; slot: the slot
};

// Three-way comparison of two elements of the same list, each given by its order link and its
// position in the source list. Both must have come through the same steps.
int compare_order(const OrderRec* a, uint32_t a_src, const OrderRec* b, uint32_t b_src);
int compare_keys(const SortKey& a, const SortKey& b);

// The order links a step creates; they live as long as the step (its outputs point at them).
class OrderArena {
 public:
  const OrderRec* sort(const OrderRec* parent, SortKey key) {
    return &recs_.emplace_back(OrderRec{OrderRec::Kind::sort, parent, std::move(key), 0});
  }
  const OrderRec* flip(const OrderRec* parent) {
    return &recs_.emplace_back(OrderRec{OrderRec::Kind::flip, parent, 0.0, 0});
  }
  const OrderRec* sub(const OrderRec* parent, uint64_t index) {
    return &recs_.emplace_back(OrderRec{OrderRec::Kind::sub, parent, 0.0, index});
  }
  const OrderRec* slot(uint64_t index) {
    return &recs_.emplace_back(OrderRec{OrderRec::Kind::slot, nullptr, 0.0, index});
  }
  void clear() { recs_.clear(); }

 private:
  std::deque<OrderRec> recs_;  // a deque: links keep their address as more are added
};

}  // namespace rejuv::sim::lineage
