#pragma once
// What goes wrong in a lineage pipeline (seed 000 §3.2.4): an element's operation fails, a pipeline
// runs out of unused elements (LackOfElements), or, under the policy `none`, the first failure
// stops the pipeline (PipelineFailed).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rejuv::sim::lineage {

// The identity of an object a list element stands for (a host, a VM): what a failure can blame and
// what the blame-aware walk-back and the restart policy compare.
using ObjectId = uint64_t;

// One failure of one element, with the failures it came from when it is a LackOfElements raised by
// a nested pipeline inside the element's operation.
struct FailureRecord {
  std::string operation;  // the step whose operation failed ("map deploy_vm")
  std::string element;    // the element it failed on ("ibm34")
  std::string message;
  std::vector<FailureRecord> cause;
};

// The library's failure type: an element's operation throws it (or a backends::BackendFailure) to
// say the element failed. `blamed` names the object at fault when it is not the element itself (the
// target host of a migration, the VM being migrated); empty: the element is to blame.
class ElementFailure : public std::runtime_error {
 public:
  explicit ElementFailure(std::string message, std::optional<ObjectId> blamed = std::nullopt,
                          std::vector<FailureRecord> cause = {})
      : std::runtime_error(message), blamed_(blamed), cause_(std::move(cause)) {}
  const std::optional<ObjectId>& blamed() const { return blamed_; }
  const std::vector<FailureRecord>& cause() const { return cause_; }

 private:
  std::optional<ObjectId> blamed_;
  std::vector<FailureRecord> cause_;
};

// An extraction function's unused elements ran out (§3.2.4, experiment 3). Inside a nested
// pipeline it is a failure of the enclosing element; at the outermost pipeline it ends the
// pipeline. `chain` holds the failures that used the elements up, in order.
class LackOfElements : public std::runtime_error {
 public:
  LackOfElements(std::string extraction, std::vector<FailureRecord> chain);
  const std::string& extraction() const { return extraction_; }
  const std::vector<FailureRecord>& chain() const { return chain_; }

 private:
  std::string extraction_;
  std::vector<FailureRecord> chain_;
};

// The pipeline stopped at its first failure (policy `none`, or no extraction function to walk
// back to: "as before lineage, the exception stops the processing", §3.2.4).
class PipelineFailed : public std::runtime_error {
 public:
  explicit PipelineFailed(FailureRecord first);
  const FailureRecord& failure() const { return failure_; }

 private:
  FailureRecord failure_;
};

// "exception (map) on ibm34: <message>", with the nested chain indented below.
std::string render(const FailureRecord& record, int indent = 0);

}  // namespace rejuv::sim::lineage
