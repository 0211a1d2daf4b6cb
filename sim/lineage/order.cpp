#include "sim/lineage/order.hpp"

namespace rejuv::sim::lineage {

int compare_keys(const SortKey& a, const SortKey& b) {
  if (a.index() != b.index()) return a.index() < b.index() ? -1 : 1;
  if (const double* x = std::get_if<double>(&a)) {
    const double y = std::get<double>(b);
    return *x < y ? -1 : y < *x ? 1 : 0;
  }
  const int c = std::get<std::string>(a).compare(std::get<std::string>(b));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int compare_order(const OrderRec* a, uint32_t a_src, const OrderRec* b, uint32_t b_src) {
  int sign = 1;
  // Iterative over the links: sort and flip decide or pass down; sub compares the parents first.
  for (;;) {
    if (a == b) {
      // The same link (or both at the source): the source positions decide.
      if (a != nullptr) return 0;
      return sign * (a_src < b_src ? -1 : a_src > b_src ? 1 : 0);
    }
    if (a == nullptr || b == nullptr || a->kind != b->kind) {
      // Different paths: only possible when misused; order by source position to stay total.
      return sign * (a_src < b_src ? -1 : a_src > b_src ? 1 : 0);
    }
    switch (a->kind) {
      case OrderRec::Kind::sort: {
        const int c = compare_keys(a->key, b->key);
        if (c != 0) return sign * c;
        break;
      }
      case OrderRec::Kind::flip:
        sign = -sign;
        break;
      case OrderRec::Kind::sub: {
        const int c = compare_order(a->parent, a_src, b->parent, b_src);
        if (c != 0) return sign * c;
        return sign * (a->index < b->index ? -1 : a->index > b->index ? 1 : 0);
      }
      case OrderRec::Kind::slot:
        return sign * (a->index < b->index ? -1 : a->index > b->index ? 1 : 0);
    }
    a = a->parent;
    b = b->parent;
  }
}

}  // namespace rejuv::sim::lineage
