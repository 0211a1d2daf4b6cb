#pragma once
// The inside of simulate_autoscale (autoscale_sim.hpp): the deployment on the engine, acting
// through the backend. Three files implement it, one concern each: simulation.cpp (setting up,
// running, tearing down, talking to the backend), scaling.cpp (a scale-out or scale-in, step by
// step, in the order seed 004 §4.3 describes), autoscaler.cpp (sampling and the policies).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/autoscale/autoscale_sim.hpp"
#include "sim/autoscale/deployment.hpp"
#include "sim/backends/backend.hpp"
#include "sim/engine.hpp"
#include "sim/random.hpp"

namespace rejuv::sim::autoscale {

class Simulation {
 public:
  Simulation(const AutoscaleScenario& sc, Strategy strategy, backends::Backend& backend);
  AutoscaleResult run(const AutoscaleProgress& progress);

 private:
  // What an operation waits for next (the engine event's tag).
  enum Step : uint32_t {
    begin,     // the decision was taken (after introspection)
    copied,    // the template's disk is copied
    booted,    // the OS is up
    started,   // the containers are up
    resumed,   // a suspended pool entry runs again
    cutover,   // a migrating nested VM stops on its source
    migrated,  // ... and runs on its destination
    stopped,   // a VM is shut down or suspended
  };
  struct Operation {
    enum class Kind : uint8_t { scale_out, scale_in, refill } kind;
    int service = -1;   // the scaled service (-1: the whole VM)
    int source = -1;    // scale out: the hot VM; scale in (flexcapsule): the VM moved back to
    int vm = -1;        // the VM made, taken, removed or refilled
    int record = -1;    // into result_.scale_outs / scale_ins
    int instance = -1;  // flexcapsule: the moving instance
    bool to_pool = false;
    bool over = false;
  };

  // simulation.cpp
  void setup();
  void teardown();
  // Records a failed outcome; returns whether it was ok.
  bool ok(backends::Op op, const std::string& subject, const backends::Outcome& o);
  void at(Seconds delay, int op, Step step);
  int template_of(int vm) const;  // the scenario VM a VM was cloned from (itself for one of them)
  VmState vm_for(int pool_key, const std::string& name) const;
  std::vector<int> containers_for(int pool_key) const;
  int pool_key(int service, int source_vm) const;
  std::string next_name(const std::string& stem);
  std::vector<Seconds> startup_work(const std::vector<int>& services) const;
  double peak_memory(const std::vector<int>& services) const;
  void retire_instances(int vm);

  // scaling.cpp
  void on_step(int op, Step step);
  void decide_scale_out(int service, int source_vm, ContainerChoice::Reason reason, Seconds delay);
  void begin_scale_out(int op);
  void create_vm(int op);
  void boot(int op);
  void start_containers(int op);
  void containers_up(int op);
  void migrate_in(int op);
  void finish_scale_out(int op);
  void fail(int op);
  void start_refill(int pool_key);
  void begin_scale_in(int vm, int service);
  void finish_scale_in(int op);
  backends::MigrationPlan migration_plan(int service) const;
  backends::MigrateOptions migration_options() const;

  // autoscaler.cpp
  void sample();
  void threshold_policy();
  void hpa_policy();
  bool scale_in_candidate(int vm) const;
  void introspect(int vm);

  const AutoscaleScenario& sc_;
  Strategy strategy_;
  backends::Backend& be_;
  Engine engine_;
  Streams streams_;
  Deployment dep_;
  AutoscaleResult result_;
  HandlerId step_handler_, sample_handler_;
  backends::HostId host_ = backends::kNoId;
  std::vector<Operation> ops_;
  std::map<int, std::vector<int>> pool_;    // ready entries (VMs) per pool key, oldest first
  std::vector<backends::DomainId> nested_;  // flexcapsule: each service's nested VM
  std::map<std::string, int> names_;
  const AutoscaleProgress* progress_ = nullptr;  // told the simulated time at each sample
  uint64_t vms_made_ = 0;                        // index of the boot-time draw
  int busy_ = 0;                                 // scale operations in progress
  Seconds cooldown_until_ = 0;
  std::vector<std::vector<std::pair<Seconds, int>>> hpa_history_;  // per service: (time, desired)
};

}  // namespace rejuv::sim::autoscale
