#pragma once
// What one request of a lineage scenario saw: its failures and how they were handled, in counts and
// as a trace in the style of seed 000's figures 4, 6 and 8.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/lineage/controller.hpp"
#include "sim/lineage/observer.hpp"

namespace rejuv::sim::lineage {

class RequestObserver final : public Observer {
 public:
  explicit RequestObserver(Controller& controller) : controller_(controller) {}

  bool wants_lists() const override { return true; }
  void source(const NodeBase&, const ListView& list) override;
  void begin(const NodeBase& node) override;
  void end(const NodeBase& node, const ListView& list) override;
  void failure(const NodeBase& at, const std::string& element, const std::string& message) override;
  void unused(const NodeBase& extraction, const ListView& list) override;
  void alternative(const NodeBase& node, const ListView& list) override;
  void retry(const NodeBase& at) override;
  void substituted(const NodeBase& extraction, const NodeBase& at, const std::string& failed,
                   const std::string& substitute) override;
  void lack_of_elements(const NodeBase& extraction) override;
  void skipped(const NodeBase& at, const std::string& element) override;
  void defaulted(const NodeBase& at, const std::string& element) override;
  void restarted(const std::string& excluded) override;
  void orphaned(const NodeBase& at, const std::string& element) override;
  void replay_begin() override { controller_.replaying(+1); }
  void replay_end() override { controller_.replaying(-1); }
  void enter() override { ++depth_; }
  void leave() override { --depth_; }

  void line(const std::string& text);
  const std::string& trace() const { return trace_; }

  size_t failures = 0, lack_of_elements_count = 0, skipped_count = 0, defaulted_count = 0,
         orphaned_count = 0, restarts = 0;
  nlohmann::json substitutions = nlohmann::json::array();

 private:
  Controller& controller_;
  std::string trace_;
  int depth_ = 0;
};

}  // namespace rejuv::sim::lineage
