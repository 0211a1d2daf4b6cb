#pragma once
// Reads a lineage scenario's pipelines: each step a one-key object ({"filter": "…"}, {"take": 10},
// {"map": "deploy_vm"}, nested pipelines {"foreach": {"over": "vms", "steps": […]}}), its
// expressions compiled against the world's attributes, the kind of element (host or VM) followed
// from step to step.
#include <nlohmann/json.hpp>

#include "sim/lineage/scenario_spec.hpp"

namespace rejuv::sim::lineage {

// One entry of "pipelines" at JSON pointer `at`. Throws InputError.
PipelineSpec read_pipeline(const nlohmann::json& o, const std::string& at, World& world);

}  // namespace rejuv::sim::lineage
