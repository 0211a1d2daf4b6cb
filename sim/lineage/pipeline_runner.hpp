#pragma once
// Runs one request of a scenario's pipeline: builds the LineageList its steps describe over the
// world (`pms`, a host's `vms`), with the controller's actions as operations, and evaluates it
// under the context's policy. Nested pipelines are built inside their element's operation, with
// the enclosing elements in scope for `host.` and `vm.` in expressions.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/lineage/controller.hpp"
#include "sim/lineage/lineage_list.hpp"
#include "sim/lineage/request_observer.hpp"

namespace rejuv::sim::lineage {

struct RequestResult {
  enum class Outcome : uint8_t { ok, lack_of_elements, failed };
  Outcome outcome = Outcome::ok;
  std::vector<std::string> elements;    // the names the pipeline ended with, in order
  std::vector<uint32_t> hosts;          // the hosts of those elements (a VM's host)
  std::optional<nlohmann::json> value;  // count and exists
  std::vector<FailureRecord> chain;     // why it did not end ok
};
std::string_view name(RequestResult::Outcome o);

class PipelineRunner {
 public:
  PipelineRunner(Lineage& lineage, Controller& controller, World& world, const Streams& streams)
      : lineage_(lineage), controller_(controller), world_(world), streams_(streams) {}

  RequestResult run(const PipelineSpec& p, RequestObserver& observer);

 private:
  using List = LineageList<Element>;
  // The list after the pipeline's steps, evaluated when `evaluate` (or ended by a terminal step).
  List steps(const PipelineSpec& p, const std::vector<Element>& scope, bool evaluate,
             nlohmann::json* value);
  List step(List l, const StepSpec& s, const std::vector<Element>& scope, nlohmann::json* value);
  Element act(const ActionSpec& a, const Element& x, const std::vector<Element>& scope);
  static std::string label(const ActionSpec& a);

  Lineage& lineage_;
  Controller& controller_;
  World& world_;
  const Streams& streams_;
  RequestObserver* observer_ = nullptr;
  std::map<const StepSpec*, uint64_t> random_draws_;  // takeByRandom: one stream index per use
};

}  // namespace rejuv::sim::lineage
