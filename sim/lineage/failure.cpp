#include "sim/lineage/failure.hpp"

#include <fmt/format.h>

namespace rejuv::sim::lineage {

LackOfElements::LackOfElements(std::string extraction, std::vector<FailureRecord> chain)
    : std::runtime_error(
          fmt::format("LackOfElements: {} has no unused element left after {} failure{}",
                      extraction, chain.size(), chain.size() == 1 ? "" : "s")),
      extraction_(std::move(extraction)),
      chain_(std::move(chain)) {}

PipelineFailed::PipelineFailed(FailureRecord first)
    : std::runtime_error(
          fmt::format("exception ({}) on {}: {}", first.operation, first.element, first.message)),
      failure_(std::move(first)) {}

std::string render(const FailureRecord& record, int indent) {
  std::string text = fmt::format("{:{}}exception ({}) on {}: {}\n", "", indent, record.operation,
                                 record.element, record.message);
  for (const auto& c : record.cause) text += render(c, indent + 2);
  return text;
}

}  // namespace rejuv::sim::lineage
