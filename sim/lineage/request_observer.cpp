#include "sim/lineage/request_observer.hpp"

#include <fmt/format.h>

#include "sim/lineage/node.hpp"

namespace rejuv::sim::lineage {

void RequestObserver::line(const std::string& text) {
  trace_.append(size_t(2 * depth_), ' ');
  trace_ += text;
  trace_ += '\n';
}

void RequestObserver::source(const NodeBase&, const ListView& list) { line(render(list)); }
void RequestObserver::begin(const NodeBase& node) { line("| " + node.label()); }
void RequestObserver::end(const NodeBase&, const ListView& list) { line(render(list)); }

void RequestObserver::failure(const NodeBase& at, const std::string& element,
                              const std::string& message) {
  ++failures;
  line(fmt::format("exception ({}) on {}: {}", at.op(), element, message));
}

void RequestObserver::unused(const NodeBase& extraction, const ListView& list) {
  line(fmt::format("{} // unused elements ({})", render(list), extraction.label()));
}

void RequestObserver::alternative(const NodeBase& node, const ListView& list) {
  line(fmt::format("| {}(alt)", node.op()));
  line(render(list));
}

void RequestObserver::retry(const NodeBase& at) { line(fmt::format("| {}(alt)", at.op())); }

void RequestObserver::substituted(const NodeBase& extraction, const NodeBase& at,
                                  const std::string& failed, const std::string& substitute) {
  substitutions.push_back({{"time_s", controller_.now()},
                           {"step", extraction.label()},
                           {"operation", at.label()},
                           {"failed", failed},
                           {"substitute", substitute}});
}

void RequestObserver::lack_of_elements(const NodeBase& extraction) {
  ++lack_of_elements_count;
  line(fmt::format("LackOfElements: no unused element left in {}", extraction.label()));
}

void RequestObserver::skipped(const NodeBase&, const std::string& element) {
  ++skipped_count;
  line(fmt::format("{} skipped (failure-oblivious)", element));
}

void RequestObserver::defaulted(const NodeBase&, const std::string& element) {
  ++defaulted_count;
  line(fmt::format("a default result in place of {} (failure-oblivious)", element));
}

void RequestObserver::restarted(const std::string& excluded) {
  ++restarts;
  line(fmt::format("restart: the chain runs again from its source, without {}", excluded));
}

void RequestObserver::orphaned(const NodeBase& at, const std::string& element) {
  ++orphaned_count;
  line(fmt::format("orphan: {} was done on {}, which the final list no longer holds", at.label(),
                   element));
}

}  // namespace rejuv::sim::lineage
