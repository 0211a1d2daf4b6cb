#pragma once
// An element of a scenario's lists: a host or a VM of the world (world.hpp), by index.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/lineage/failure.hpp"

namespace rejuv::sim::lineage {

class World;

enum class Kind : uint8_t { host, vm };
std::string_view name(Kind k);  // "host", "vm"

struct Element {
  const World* world = nullptr;  // null: the default element of policy oblivious-default
  uint32_t index = 0;
  Kind kind = Kind::host;
  friend bool operator==(const Element& a, const Element& b) {
    return a.index == b.index && a.kind == b.kind;
  }
};

inline ObjectId object_id(Kind kind, uint32_t index) { return (ObjectId(kind) << 32) | index; }
std::optional<ObjectId> lineage_identity(const Element& e);
std::string lineage_display(const Element& e);

}  // namespace rejuv::sim::lineage
