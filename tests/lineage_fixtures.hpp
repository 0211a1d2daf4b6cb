#pragma once
// Helpers for the lineage library's tests: elements whose operation fails, and an observer that
// keeps what happened.
#include <set>
#include <string>
#include <vector>

#include "sim/lineage/lineage_list.hpp"

namespace rejuv::testing {

using sim::lineage::ElementFailure;

inline std::vector<int> range(int from, int to) {
  std::vector<int> v;
  for (int i = from; i < to; ++i) v.push_back(i);
  return v;
}

// Throws ElementFailure for the elements in `failing`, every time they are tried.
struct Broken {
  std::set<int> failing;
  std::vector<int>* tried = nullptr;
  void check(int x) const {
    if (tried) tried->push_back(x);
    if (failing.contains(x)) throw ElementFailure("element " + std::to_string(x) + " is broken");
  }
};

struct Recorder : sim::lineage::Observer {
  std::vector<std::string> events;
  void failure(const sim::lineage::NodeBase& at, const std::string& e,
               const std::string&) override {
    events.push_back("failure " + at.op() + " " + e);
  }
  void substituted(const sim::lineage::NodeBase& ex, const sim::lineage::NodeBase&,
                   const std::string& failed, const std::string& sub) override {
    events.push_back("substitute " + ex.op() + " " + failed + "->" + sub);
  }
  void lack_of_elements(const sim::lineage::NodeBase& ex) override {
    events.push_back("lack " + ex.op());
  }
  void skipped(const sim::lineage::NodeBase&, const std::string& e) override {
    events.push_back("skip " + e);
  }
  void defaulted(const sim::lineage::NodeBase&, const std::string& e) override {
    events.push_back("default " + e);
  }
  void restarted(const std::string& e) override { events.push_back("restart without " + e); }
  void orphaned(const sim::lineage::NodeBase& at, const std::string& e) override {
    events.push_back("orphan " + at.op() + " " + e);
  }
  size_t count(const std::string& prefix) const {
    size_t n = 0;
    for (const auto& e : events) n += e.rfind(prefix, 0) == 0;
    return n;
  }
};

}  // namespace rejuv::testing
