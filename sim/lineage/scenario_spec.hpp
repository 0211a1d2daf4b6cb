#pragma once
// A "kind": "lineage" scenario, as read (scenario_reader.cpp): the world, the operations'
// durations, injected faults, background hardware failures, the policies, and the pipelines with
// their steps compiled against the world.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/backends/backend.hpp"
#include "sim/backends/fault_injection.hpp"
#include "sim/distribution.hpp"
#include "sim/failures.hpp"
#include "sim/lineage/expression.hpp"
#include "sim/lineage/policy.hpp"
#include "sim/lineage/world.hpp"

namespace rejuv::sim::lineage {

struct PipelineSpec;

// What a map or foreach does to each element, through the backend.
struct ActionSpec {
  enum class Type : uint8_t { deploy_vm, start_vm, migrate_vm, reboot, nested };
  Type type = Type::deploy_vm;
  std::string where;  // JSON path, for messages
  // deploy_vm: the new VM. `name` may use {host}, {n} (the host's VMs so far) and host attributes.
  std::string name = "{host}-{n}";
  double memory = 512.0 * 1024 * 1024;
  double cpu = 0;
  // deploy_vm: undefined after; start_vm: shut down after. None: the VM stays.
  std::optional<Distribution> lifetime;
  backends::HostReboot mode = backends::HostReboot::warm;  // reboot
  bool live = true;                                        // migrate_vm
  std::shared_ptr<PipelineSpec> pipeline;                  // nested, or migrate_vm's targets
};
std::string_view name(ActionSpec::Type t);

struct StepSpec {
  enum class Type : uint8_t {
    filter,
    map,
    foreach,
    sort_by,
    reverse,
    take,
    drop,
    take_right,
    drop_right,
    take_while,
    drop_while,
    accumulate_while,
    take_by_random,
    take_by_score,
    flat_map,
    count,
    exists
  };
  Type type = Type::filter;
  std::string op;     // the step's name as written ("sortBy")
  std::string where;  // JSON path
  std::optional<Expression> expr;
  size_t n = 0;
  ActionSpec action;
  Kind in = Kind::host, out = Kind::host;
  bool terminal() const {
    return type == Type::foreach || type == Type::count || type == Type::exists;
  }
};

struct PipelineSpec {
  std::string name;  // top-level pipelines only
  std::string where;
  enum class Over : uint8_t { hosts, vms_of_host, all_vms } over = Over::hosts;
  Kind kind = Kind::host;       // of the source list
  std::vector<Kind> enclosing;  // kinds of the enclosing elements, outermost first
  std::vector<StepSpec> steps;
  BlameMode blame = BlameMode::nearest;
  // Requests: one at `at`, or every `every` from `at` until `until` (default: the horizon).
  Seconds at = 0;
  std::optional<Seconds> every;
  std::optional<Seconds> until;
  Kind result_kind() const { return steps.empty() ? kind : steps.back().out; }
};

struct InjectSpec {
  std::string where;
  Kind target = Kind::host;
  uint32_t index = 0;              // host or VM of the world
  std::optional<backends::Op> op;  // empty: every operation
  backends::Fault::Mode mode = backends::Fault::Mode::always;
  double probability = 1;
  Seconds from = 0, until = std::numeric_limits<double>::infinity();
  backends::Fault::Effect effect = backends::Fault::Effect::fail_call;
};

struct Operations {
  Distribution deploy_vm = Distribution::fixed(30), start_vm = Distribution::fixed(20),
               migrate_vm = Distribution::fixed(10), reboot = Distribution::fixed(60);
};

struct LineageScenario {
  World world;  // the initial world: VMs defined, some running
  Operations operations;
  std::vector<InjectSpec> inject;
  HardwareFailures failures;
  std::vector<Policy> policies{Policy::lineage};
  std::vector<PipelineSpec> pipelines;
  uint64_t seed = 0;
  std::optional<Seconds> horizon;
  Seconds chosen_window = 30 * 86400.0;  // "a chosen host fails within a window afterwards"
  size_t trace_requests = 20;  // scheduled pipelines: requests with failures traced per policy
};

// `doc` is the scenario after "extends" was merged in. Throws InputError with the JSON path.
LineageScenario parse_lineage_scenario(const nlohmann::json& doc);

}  // namespace rejuv::sim::lineage
