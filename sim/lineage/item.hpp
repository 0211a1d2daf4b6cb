#pragma once
// One element of an evaluated lineage list, and how elements say who they are.
#include <fmt/format.h>

#include <any>
#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "sim/lineage/failure.hpp"
#include "sim/lineage/order.hpp"

namespace rejuv::sim::lineage {

template <class T>
struct Item {
  T value;
  // The element's thread through the chain: kept by the steps that map one element to one, new
  // for the children of flatMap and the pairs of zip. Unique within one step's output.
  uint32_t id;
  uint32_t src;           // position in the source list: the order when `order` is null
  const OrderRec* order;  // see order.hpp
};

template <class T>
int compare(const Item<T>& a, const Item<T>& b) {
  return compare_order(a.order, a.src, b.order, b.src);
}

using IdSet = std::unordered_set<uint32_t>;
// A std::vector<Item<T>> of some step's element type, where the walk-back handles elements without
// knowing their type.
using Batch = std::any;

// Customisation points, found by argument-dependent lookup in the element type's namespace:
//   std::optional<ObjectId> lineage_identity(const T&);   // what a failure's blame is compared
//   with std::string lineage_display(const T&);                // how the trace shows the element
// Integers and strings are their own identity; other types without lineage_identity have none (the
// blame-aware walk-back then falls back to the nearest extraction function).
template <class T>
std::optional<ObjectId> identity_of(const T& v) {
  if constexpr (requires {
                  { lineage_identity(v) } -> std::convertible_to<std::optional<ObjectId>>;
                }) {
    return lineage_identity(v);
  } else if constexpr (std::is_integral_v<T>) {
    return ObjectId(v);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return ObjectId(std::hash<std::string>{}(v));
  } else {
    return std::nullopt;
  }
}

template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};

template <class T>
std::string display_of(const T& v) {
  if constexpr (requires {
                  { lineage_display(v) } -> std::convertible_to<std::string>;
                }) {
    return lineage_display(v);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return v;
  } else if constexpr (std::is_arithmetic_v<T>) {
    return fmt::format("{}", v);
  } else if constexpr (IsPair<T>::value) {
    return "(" + display_of(v.first) + ", " + display_of(v.second) + ")";
  } else {
    return "?";
  }
}

}  // namespace rejuv::sim::lineage
