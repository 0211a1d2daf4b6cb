#pragma once
// The ends of a group's running OS rejuvenations at VM level, kept without events.
//
// An OS rejuvenation of one VM changes its group's throughput three times: when it starts (the VM
// goes down, the others are degraded by δ), when the VM is back (D_os later) and when the others'
// contention ends (R_os/(n−1) later). Only the start needs an event; its two ends are kept here, in
// time order per group, and applied when the group is next touched (an event of its own, or the end
// of the run), each at its own time, so the group's throughput is integrated over exactly the
// same intervals as if the ends were events. Ends at the same time keep the order they were added,
// as the engine keeps events at the same time.
//
// A group seldom has more than two ends pending (those of its latest OS rejuvenation), so the
// lists are short; their nodes come from one pool and are reused.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace rejuv::sim {

class PendingEnds {
 public:
  enum Kind : uint8_t { kVmUp = 0, kContentionEnd = 1 };
  struct End {
    double time;
    uint32_t unit;
    Kind kind;
  };

  explicit PendingEnds(size_t groups) : head_(groups, kNil) {}

  // Adds an end of `group` at `time`, after every end of that group at or before `time`.
  void add(uint32_t group, double time, uint32_t unit, Kind kind) {
    const uint32_t n = take();
    nodes_[n] = Node{time, kNil, unit << 1 | kind};
    uint32_t* link = &head_[group];
    while (*link != kNil && nodes_[*link].time <= time) link = &nodes_[*link].next;
    nodes_[n].next = *link;
    *link = n;
  }
  // Whether `group`'s earliest end is at or before t.
  bool due(uint32_t group, double t) const { return head_[group] != kNil && nodes_[head_[group]].time <= t; }
  // Removes and returns `group`'s earliest end (there must be one).
  End pop(uint32_t group) {
    const uint32_t n = head_[group];
    const Node node = nodes_[n];
    head_[group] = node.next;
    nodes_[n].next = free_;
    free_ = n;
    return End{node.time, node.unit_kind >> 1, Kind(node.unit_kind & 1)};
  }
  // Drops every end of `group` (its VMs were lost: what they would have ended is void).
  void clear(uint32_t group) {
    while (head_[group] != kNil) pop(group);
  }
  size_t bytes() const { return head_.capacity() * sizeof(uint32_t) + nodes_.capacity() * sizeof(Node); }

 private:
  static constexpr uint32_t kNil = std::numeric_limits<uint32_t>::max();
  struct Node {
    double time;
    uint32_t next;
    uint32_t unit_kind;  // unit << 1 | kind
  };
  uint32_t take() {
    if (free_ == kNil) {
      nodes_.push_back({});
      return uint32_t(nodes_.size() - 1);
    }
    const uint32_t n = free_;
    free_ = nodes_[n].next;
    return n;
  }

  std::vector<uint32_t> head_;  // per group: its earliest end, or kNil
  std::vector<Node> nodes_;
  uint32_t free_ = kNil;
};

}  // namespace rejuv::sim
