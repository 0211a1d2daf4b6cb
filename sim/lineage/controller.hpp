#pragma once
// The cloud controller's main program (Kumoi's script): one clock, requests handled one at a time,
// every operation on a host or VM made through the backend. Before each operation at time t the
// engine runs up to t, so background hardware failures, repairs and the ends of VMs' lifetimes
// strike in between; the operation then takes the duration the backend reports (the planned one,
// drawn from the operation's stream, on the simulated backend; the measured one on a real one).
#include <functional>
#include <string>
#include <vector>

#include "sim/backends/backend.hpp"
#include "sim/engine.hpp"
#include "sim/lineage/scenario_spec.hpp"
#include "sim/random.hpp"

namespace rejuv::sim::lineage {

class Controller {
 public:
  Controller(const LineageScenario& sc, World& world, backends::Backend& backend, Engine& engine,
             const Streams& streams);

  // Defines the world's VMs on the backend (hosts must have their backend ids), starts the running
  // ones, and arms the background failures.
  void set_up();
  // Destroys and undefines every domain this run defined (a real backend is left as it was found).
  void tear_down();

  Seconds now() const { return t_; }
  // Waits (idle) until t, letting the background events up to t happen.
  void advance_to(Seconds t);

  // The actions. Each throws ElementFailure, blaming the object at fault, when the backend says the
  // operation failed.
  Element deploy_vm(const ActionSpec& a, const Element& host);
  void start_vm(const ActionSpec& a, const Element& vm);
  void migrate_vm(const ActionSpec& a, const Element& vm, const Element& target);
  void reboot(const ActionSpec& a, const Element& host);

  // Simulated time of operations since the last call: all, failed, and done for substitutes.
  struct Times {
    Seconds operations = 0, failed = 0, replayed = 0;
  };
  Times take_times() { return std::exchange(times_, {}); }
  // While positive, operations count as work done again for substitutes.
  void replaying(int delta) { replay_depth_ += delta; }

  // A line for the trace ("34-1 starting...").
  std::function<void(const std::string&)> note;

  // When each host failed (for "a chosen host fails within a window afterwards").
  const std::vector<std::vector<Seconds>>& failure_times() const { return failure_times_; }
  uint64_t host_failures() const { return host_failures_; }

 private:
  Seconds planned(const Distribution& d, Rng& rng) const {
    return d.is_fixed() ? d.mean() : d.sample(rng);
  }
  // Runs one backend operation at the controller's time and accounts its duration.
  backends::Outcome act(const std::function<backends::Outcome()>& op);
  [[noreturn]] void fail(const std::string& what, const backends::Outcome& o,
                         std::optional<ObjectId> blamed);
  void arm_failure(uint32_t h, bool failed_before);
  void end_of_life(uint32_t vm, bool undefine);

  const LineageScenario& sc_;
  World& world_;
  backends::Backend& backend_;
  Engine& engine_;
  Seconds t_ = 0;
  Times times_;
  int replay_depth_ = 0;
  Rng deploy_rng_, start_rng_, migrate_rng_, reboot_rng_, lifetime_rng_, fail_rng_, repair_rng_;
  HandlerId h_fail_, h_repair_, h_end_;
  std::vector<std::vector<Seconds>> failure_times_;
  std::vector<std::vector<uint32_t>> deployed_on_;  // VMs ever deployed per host, for {n}
  uint64_t host_failures_ = 0;
};

}  // namespace rejuv::sim::lineage
