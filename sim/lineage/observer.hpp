#pragma once
// What a pipeline reports while it runs: each step and its list, each failure and how it was
// handled. The trace (figures 4, 6 and 8 of seed 000) and the scenario's counts are observers.
// Lists come as display strings, shortened to their first and last few elements when long.
#include <string>
#include <vector>

namespace rejuv::sim::lineage {

class NodeBase;

// A list as shown: the first and last elements of a long list with "..." between.
struct ListView {
  std::vector<std::string> shown;
  size_t size = 0;
  size_t elided_at = SIZE_MAX;  // "..." goes before shown[elided_at]
};
std::string render(const ListView& list);  // "List(ibm30, ibm32, ..., ibm41)"

class Observer {
 public:
  virtual ~Observer() = default;
  // Whether begin/end/unused/alternative want lists (rendering them costs time at scale).
  virtual bool wants_lists() const { return false; }
  // The source list of a pipeline, once evaluated.
  virtual void source(const NodeBase&, const ListView&) {}
  // A step starts ("| filter"), then ends with its list.
  virtual void begin(const NodeBase&) {}
  virtual void end(const NodeBase&, const ListView&) {}
  // An element's operation failed at step `at`.
  virtual void failure(const NodeBase& /*at*/, const std::string& /*element*/,
                       const std::string& /*message*/) {}
  // The walk-back reached extraction function `extraction`; these are its unused elements.
  virtual void unused(const NodeBase& /*extraction*/, const ListView&) {}
  // A step replayed on a substitute ("| take(alt)") and what came out of it.
  virtual void alternative(const NodeBase&, const ListView&) {}
  // The failed step runs again on the substitute ("| map(alt)").
  virtual void retry(const NodeBase& /*at*/) {}
  virtual void substituted(const NodeBase& /*extraction*/, const NodeBase& /*at*/,
                           const std::string& /*failed*/, const std::string& /*substitute*/) {}
  virtual void lack_of_elements(const NodeBase& /*extraction*/) {}
  // Failure-oblivious handling: the element was dropped, or a default result kept in its place.
  virtual void skipped(const NodeBase& /*at*/, const std::string& /*element*/) {}
  virtual void defaulted(const NodeBase& /*at*/, const std::string& /*element*/) {}
  // Policy restart: the chain runs again from its source without `excluded`.
  virtual void restarted(const std::string& /*excluded*/) {}
  // Policy restart: operations done on elements the final result does not hold.
  virtual void orphaned(const NodeBase& /*at*/, const std::string& /*element*/) {}
  // Work done again for a substitute (the walk-back's replay and the failed step on it), or the
  // chain run again after a restart, starts and ends (nested: a depth).
  virtual void replay_begin() {}
  virtual void replay_end() {}
  // A nested pipeline starts or ends inside an element's operation (for indentation).
  virtual void enter() {}
  virtual void leave() {}
};

}  // namespace rejuv::sim::lineage
