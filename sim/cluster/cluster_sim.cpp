// The cluster simulator of seed 003's strategies, at two levels of detail, on one code path.
//
// A group is the n VMs that serve together (p in all); it lives on one host, or on two while it
// migrates. An OS unit is what has an OS rejuvenation timer: at host level one per group, standing
// for its n OSes (the paper's own accounting), at VM level one per VM with its share p/n.
//
// Every change of a group's state (a reboot starting, a degradation ending, the next VM starting to
// move) closes the interval since the last change: its lost throughput, split into down and
// degraded, goes to the Accounting. At VM level a VM that is down produces nothing, so overlapping
// losses count once. At host level losses add as in the closed forms (a host's throughput may even
// go below zero when two losses overlap, as the formulas count both), so a reboot's losses are
// booked in full when it starts, and only migrations and failures change a group's rate.
//
// What happens to hosts and VMs goes through the backend interface (sim/backends/backend.hpp): a
// reboot, a migration, a failure is an operation on the world the simulation was given, which takes
// the time the model drew for it when the world is simulated, and what it really took when the world
// is libvirt (`rejuv validate`). Each OS unit is one domain: at host level it stands for its group.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>

#include "sim/backends/simulated_backend.hpp"
#include "sim/cluster/accounting.hpp"
#include "sim/cluster/cluster_run.hpp"
#include "sim/cluster/pending_ends.hpp"
#include "sim/engine.hpp"

namespace rejuv::sim {

namespace {

constexpr int32_t kNone = -1;
// A rejuvenation that starts within a microsecond of its due time is on time: even staggering
// puts due times at (h + ½)·T_vmm/m, and their rounding must not count as lateness.
constexpr Seconds kOnTime = 1e-6;
constexpr Seconds kNever = std::numeric_limits<double>::quiet_NaN();  // equal to no time

enum class HostState : uint8_t { Serving, Free, Rebooting, Receiving, Sending, Failed };

// 24 bytes. The ids of its timers, needed only to cancel them, are kept beside it (EventIds) when
// failures or aging are modelled.
struct Host {
  int32_t group = kNone;
  int32_t peer = kNone;  // the other end of a migration in progress
  HostState state = HostState::Serving;
  bool waiting = false;         // due, waiting for a free spare
  bool due_on_arrival = false;  // came due while receiving a group
  bool failed_before = false;
  // Return-back migration: on a host rebooting, the host holding its group meanwhile; on that host,
  // the group's home (it fits in the padding before `due`).
  int32_t lent = kNone;
  Seconds due = 0;  // due time of the rejuvenation not yet started
};

// What ends when a group's down period ends: which degradation follows.
enum GroupKind : uint32_t { kWarm = 0, kCold = 1 };

// 72 bytes.
struct Group {
  int32_t host = kNone;
  uint32_t epoch = 0;  // bumped when the group is lost: effects scheduled before are void
  int32_t step = 0;    // migration: 0 none, else the VM i being moved (1 at host level)
  int16_t down = 0;    // group-wide down causes (VMM reboot, boot after loss)
  bool lost = false;
  bool listed = false;  // VM level: on the list of groups with OS rejuvenation ends pending
  double deg = 0;      // group-wide degradation (ω, ω')
  double step_scale = 1;
  Seconds since = 0;   // when rate last changed
  double rate = 0;     // throughput now, requests/s
  double down_rate = 0;  // the part of (p − rate) lost to downtime
  Seconds os_at = kNever;  // when its units' OS timer fires: the earliest of their due times
  // VM level: its units by what their own OS rejuvenations do (UnitLoad): the sum of their
  // contention counts, how many are down, and how many of the others are in one rejuvenation
  // (contention 1) or more; the rest are in none.
  uint16_t contention = 0, vms_down = 0, up_in_one = 0, up_in_more = 0;
};

// What an OS unit's own OS rejuvenations do to the group at VM level, as counts (a VM may be in
// two at once when an aging crash follows a rejuvenation): down, and degrading the others by δ.
struct UnitLoad {
  uint8_t down = 0;
  uint8_t contention = 0;
};

// Ids of scheduled events, kept only where something may cancel them: with failures and aging off
// nothing does, and a million hosts need not carry 16 bytes each for it.
class EventIds {
 public:
  void keep(size_t n) { ids_.assign(n, EventId{}); }
  void set(size_t i, EventId id) {
    if (!ids_.empty()) ids_[i] = id;
  }
  void cancel(Engine& engine, size_t i) const {
    if (!ids_.empty()) engine.cancel(ids_[i]);
  }
  size_t bytes() const { return ids_.capacity() * sizeof(EventId); }

 private:
  std::vector<EventId> ids_;
};

using backends::Backend;
using backends::DomainId;
using backends::HostId;
using backends::HostReboot;
using backends::Outcome;

class ClusterSim {
 public:
  ClusterSim(const RejuvenationScenario& sc, Strategy s, uint64_t replication, Backend* world)
      : own_world_(world ? nullptr : std::make_unique<backends::SimulatedBackend>()),
        world_(world ? *world : *own_world_),
        sc_(sc), p_(sc.params), d_(sc.durations), strategy_(s), streams_(sc.seed, replication),
        acc_(sc.horizon, size_t(sc.timeline_rows)), spares_(uses_spares(s)), vm_(sc.detail == Detail::Vm),
        k_(vm_ ? p_.vms_per_host : 1), n_(p_.vms_per_host), pp_(p_.host_throughput), share_(pp_ / k_) {
    const int m = p_.hosts, groups = spares_ ? p_.hosts - p_.spares : p_.hosts;
    hosts_.resize(size_t(m));
    groups_.resize(size_t(groups));
    due_.resize(size_t(groups) * size_t(k_));
    if (vm_) {
      load_.resize(due_.size());
      ends_ = PendingEnds(size_t(groups));
    }
    if (sc.failures.enabled) op_event_.keep(size_t(m));
    // A failure's repair and a VMM aging crash restart the host's rejuvenation clock.
    if (sc.failures.enabled || sc.aging.vmm) vmm_event_.keep(size_t(m));
    if (sc.aging.vmm) host_aging_event_.keep(size_t(m));
    if (sc.aging.os) unit_aging_event_.keep(due_.size());
    if (!vm_) os_event_.keep(size_t(groups));
    gamma_ = terms(p_, s).gamma.value_or(0);
    curves_ = migration_curves(p_, s);
    // With the pre-copy model each moving VM is stopped for its stop-and-copy round: a fraction
    // downtime / M(i) of its move, spread over the move (0.2 s of ~86 s at the paper's setting).
    if (s == Strategy::LiveRateControl && sc.precopy && sc.precopy_result.total_time_s > 0)
      stop_fraction_ = sc.precopy_result.downtime_s / sc.precopy_result.total_time_s;
    migrate_options_.live = s != Strategy::Migration;
    if (s == Strategy::LiveRateControl) {
      backends::RateControl rc;
      if (sc.precopy) {
        rc.min_Bps = sc.precopy->min_rate_bps / 8;
        rc.max_Bps = sc.precopy->max_rate_bps / 8;
        rc.step_Bps = sc.precopy->rate_step_bps / 8;
      }
      migrate_options_.rate_control = rc;
    }
    h_vmm_ = engine_.add_handler([this](Engine&, uint32_t h, uint32_t) { vmm_due(h); });
    h_os_ = engine_.add_handler([this](Engine&, uint32_t g, uint32_t) { os_due(g); });
    h_group_up_ = engine_.add_handler([this](Engine&, uint32_t g, uint32_t tag) { group_up(g, tag); });
    h_group_deg_end_ = engine_.add_handler([this](Engine&, uint32_t g, uint32_t tag) { group_deg_end(g, tag); });
    h_step_ = engine_.add_handler([this](Engine&, uint32_t h, uint32_t) { migration_step(h); });
    h_rebooted_ = engine_.add_handler([this](Engine&, uint32_t h, uint32_t) { reboot_done(h); });
    h_fail_ = engine_.add_handler([this](Engine&, uint32_t h, uint32_t) { host_failure(h); });
    h_repaired_ = engine_.add_handler([this](Engine&, uint32_t h, uint32_t) { repair_done(h); });
    h_vmm_crash_ = engine_.add_handler([this](Engine&, uint32_t h, uint32_t) { vmm_crash(h); });
    h_os_crash_ = engine_.add_handler([this](Engine&, uint32_t u, uint32_t) { os_crash(u); });
    h_sweep_ = engine_.add_handler([this](Engine&, uint32_t, uint32_t) { sweep_ends(); });
    engine_.reserve(size_t(m) * 4 + size_t(groups) * 2);
    set_up_world(m, groups);

    Rng phase = streams_.get("stagger/vmm"), os_phase = streams_.get("stagger/os");
    for (int h = 0; h < m; ++h) {
      Host& host = hosts_[size_t(h)];
      if (h < groups) {
        host.group = h;
        groups_[size_t(h)].host = h;
      } else {
        host.state = HostState::Free;
        free_.push_back(h);
      }
      schedule_vmm(h, first_phase(h, m, p_.T_vmm, phase));
      arm_failure(h);
      arm_vmm_aging(h, 0);
    }
    for (int g = 0; g < groups; ++g) recompute(g);
    const int units = int(due_.size());
    for (int u = 0; u < units; ++u) due_[size_t(u)] = first_phase(u, units, p_.T_os, os_phase);
    for (int g = 0; g < groups; ++g) {
      rearm_os(g);
      for (int u = first_unit(g); u < first_unit(g) + k_; ++u) arm_os_aging(u, 0);
    }
  }

  ~ClusterSim() { world_.attach(nullptr); }

  RunResult run(const Progress& progress) {
    constexpr int kChunks = 100;
    for (int c = 1; c <= kChunks; ++c) {
      engine_.run_until(sc_.horizon * c / kChunks);
      if (progress) progress(double(c) / kChunks);
    }
    for (int g = 0; g < int(groups_.size()); ++g) {
      advance(g, engine_.now());
      flush(g);
    }
    const double capacity = double(groups_.size()) * pp_, H = sc_.horizon;
    r_.strategy = strategy_;
    r_.events = engine_.events_processed();
    r_.mean_throughput = capacity - (acc_.down() + acc_.degraded()) / H;
    r_.index = r_.mean_throughput / (double(p_.hosts) * pp_);
    r_.availability = 1.0 - acc_.down() / (capacity * H);
    r_.timeline.reserve(acc_.bucket_loss().size());
    for (double lost : acc_.bucket_loss()) r_.timeline.push_back(capacity - lost / acc_.bucket_width());
    r_.memory = memory_use();
    if (!own_world_) tear_down_world();
    return std::move(r_);
  }

 private:
  // --- the world ------------------------------------------------------------------------------
  // Hosts 0..m−1 of the world (added where it has fewer); each group's k units as one batch of
  // running domains on its host, so that unit u is domain dom_base_ + u.
  void set_up_world(int m, int groups) {
    world_.attach(&engine_);
    while (world_.host_count() < size_t(m)) world_.add_host({});
    backends::DomainSpec spec;
    spec.name = vm_ ? "vm" : "group";
    spec.vcpus = 1;
    if (sc_.precopy) spec.memory_bytes = sc_.precopy->memory_bytes;
    for (int g = 0; g < groups; ++g) {
      const auto [first, o] = world_.define_running(HostId(g), spec, uint32_t(k_));
      if (!o.ok()) throw backends::BackendFailure(backends::Op::define, world_.host_name(HostId(g)), o);
      if (g == 0) dom_base_ = first;
      if (first != dom_base_ + DomainId(g * k_))
        throw std::logic_error(fmt::format("{} backend issued domain ids out of order", world_.kind()));
    }
  }

  // A world that outlives the run (a real one) is left as it was found: no domain of the run's, every
  // host up.
  void tear_down_world() {
    world_.attach(nullptr);
    for (DomainId d = dom_base_; d < dom_base_ + DomainId(due_.size()); ++d) {
      const auto st = world_.info(d).state;
      if (st == backends::DomainState::running || st == backends::DomainState::paused) world_.destroy(d, 0);
      world_.undefine(d, 0);
    }
    for (HostId h = 0; h < HostId(hosts_.size()); ++h)
      if (world_.host_state(h) == backends::HostState::failed) world_.repair_host(h, 0);
  }

  DomainId dom(int u) const { return dom_base_ + DomainId(u); }

  MemoryUse memory_use() const {
    MemoryUse m;
    m.hosts = hosts_.size();
    m.vms = groups_.size() * size_t(n_);
    m.units = due_.capacity() * sizeof(Seconds) + load_.capacity() * sizeof(UnitLoad) + unit_aging_event_.bytes();
    m.groups = hosts_.capacity() * sizeof(Host) + groups_.capacity() * sizeof(Group) + ends_.bytes() +
               listed_.capacity() * sizeof(uint32_t) +
               vmm_event_.bytes() + op_event_.bytes() + host_aging_event_.bytes() + os_event_.bytes();
    m.queue = engine_.queue_bytes();
    m.world = own_world_ ? own_world_->bytes() : 0;
    return m;
  }

  // What the model expects of one migration step of `len` seconds: a plain migration stops the VM
  // throughout; a live one for its stop-and-copy round (known with the pre-copy model).
  backends::MigrationPlan plan(Seconds len) const {
    backends::MigrationPlan pl;
    pl.total = len;
    if (strategy_ == Strategy::Migration) {
      pl.downtime = len;
    } else if (stop_fraction_ > 0) {
      pl.downtime = stop_fraction_ * len;
      pl.bytes = sc_.precopy_result.bytes_sent;
      pl.iterations = sc_.precopy_result.rounds;
    }
    return pl;
  }

  // The time an operation took; an operation the world refused or that failed is counted and its
  // time taken all the same (a real failed attempt costs its time too).
  Seconds took(const Outcome& o) {
    if (!o.ok()) ++r_.backend_failures;
    return o.duration;
  }

  // --- throughput of a group --------------------------------------------------------------------
  // Closes the interval since the group's last change at its current rate.
  void flush(int g) { flush_at(g, engine_.now()); }
  void flush_at(int g, Seconds t) {
    Group& gr = groups_[size_t(g)];
    if (t > gr.since) acc_.add(gr.since, t - gr.since, gr.down_rate, pp_ - gr.rate - gr.down_rate);
    gr.since = t;
  }

  // Throughput of VM j (or the host-level unit) while VM i moves: the curves of Table 1 at VM
  // level (V_d on the destination, V_m or nothing for the moving VM, V_s on the source); at host
  // level the group's mean over the migration, (n−1)/n·p·(1−γ) or p·(1−γ'). `stopped` is the
  // fraction of p/n (one VM's share) that is down meanwhile.
  double moving_base(int j, int i, double& stopped) const {
    const bool live = strategy_ != Strategy::Migration;
    stopped = 0;
    if (!vm_) {
      if (live) {
        stopped = stop_fraction_;
        return pp_ * (1 - gamma_) - stop_fraction_ * pp_ / n_;
      }
      stopped = 1;  // one VM of n is always down
      return (n_ - 1.0) / n_ * pp_ * (1 - gamma_);
    }
    if (j < i - 1) return (*curves_->V_d)(i);
    if (j > i - 1) return (*curves_->V_s)(i);
    if (live) {
      stopped = stop_fraction_;
      return (*curves_->V_m)(i) * (1 - stop_fraction_);
    }
    stopped = 1;
    return 0;
  }

  void recompute(int g) {
    Group& gr = groups_[size_t(g)];
    if (gr.lost) {
      gr.rate = 0;
      gr.down_rate = pp_;
      return;
    }
    double rate = 0, down_rate = 0;
    // Each unit in its own OS rejuvenation degrades the others by δ (VM level).
    const UnitLoad* load = vm_ ? &load_[size_t(first_unit(g))] : nullptr;
    const int contention = gr.contention;
    auto degradation = [&](const UnitLoad& u) {
      return u.contention == contention ? gr.deg : gr.deg + p_.os.degradation * (contention - u.contention);
    };
    if (vm_ && gr.step == 0) {
      // The common case at VM level, from the group's counts: each VM serves its share unless it is
      // down, degraded by the group and by the others' OS rejuvenations.
      if (gr.down > 0) {
        gr.rate = 0;
        gr.down_rate = share_ * k_;
        return;
      }
      const int up_in_none = k_ - gr.vms_down - gr.up_in_one - gr.up_in_more;
      rate = up_in_none * (share_ * std::max(0.0, 1.0 - degradation(UnitLoad{0, 0})));
      if (gr.up_in_one > 0) rate += gr.up_in_one * (share_ * std::max(0.0, 1.0 - degradation(UnitLoad{0, 1})));
      if (gr.up_in_more > 0)
        for (int j = 0; j < k_; ++j)
          if (load[j].down == 0 && load[j].contention > 1) rate += share_ * std::max(0.0, 1.0 - degradation(load[j]));
      gr.rate = rate;
      gr.down_rate = share_ * gr.vms_down;
      return;
    }
    for (int j = 0; j < k_; ++j) {
      const UnitLoad u = vm_ ? load[j] : UnitLoad{};
      double stopped = 0;
      const double base = gr.step > 0 ? moving_base(j, gr.step, stopped) : share_;
      down_rate += stopped * pp_ / n_;
      const int down = gr.down + u.down;
      const double deg = degradation(u);
      if (!vm_) {  // the paper's accounting: every loss counts, against the unit's share
        rate += base - share_ * (down + deg);
        down_rate += share_ * down;
      } else if (down > 0) {
        down_rate += share_ * (1 - stopped);
      } else if (stopped < 1) {
        rate += base * std::max(0.0, 1.0 - deg);
      }
    }
    gr.rate = rate;
    gr.down_rate = down_rate;
  }

  template <class F>
  void change(int g, F&& f) {
    advance(g, engine_.now());
    flush(g);
    f(groups_[size_t(g)]);
    recompute(g);
  }

  // VM level: an OS rejuvenation's ends wait with its group until the group is next touched. A group
  // whose VMs all rejuvenated within a second (as with even stagger at a million hosts) is next
  // touched a week later, so every hour the groups that have ends pending apply those that are
  // past: the ends pending are then an hour's worth, and the events one per OS rejuvenation
  // plus one per hour while any are pending.
  static constexpr Seconds kSweep = 3600;
  void list_for_sweep(int g) {
    Group& gr = groups_[size_t(g)];
    if (gr.listed) return;
    gr.listed = true;
    if (listed_.empty() && !sweeping_) {
      sweeping_ = true;
      engine_.schedule_in(kSweep, h_sweep_);
    }
    listed_.push_back(uint32_t(g));
  }
  void sweep_ends() {
    const Seconds t = engine_.now();
    size_t kept = 0;
    for (const uint32_t g : listed_) {
      advance(int(g), t);
      if (ends_.due(g, std::numeric_limits<double>::infinity()))
        listed_[kept++] = g;
      else
        groups_[g].listed = false;
    }
    listed_.resize(kept);
    sweeping_ = !listed_.empty();
    if (sweeping_) engine_.schedule_in(kSweep, h_sweep_);
  }

  // Changes a unit's load and keeps its group's counts.
  void load_unit(int u, int down, int contention) {
    Group& gr = groups_[size_t(u / k_)];
    UnitLoad& l = load_[size_t(u)];
    tally(gr, l, -1);
    l.down = uint8_t(l.down + down);
    l.contention = uint8_t(l.contention + contention);
    gr.contention = uint16_t(gr.contention + contention);
    tally(gr, l, +1);
  }
  static void tally(Group& gr, const UnitLoad& l, int sign) {
    if (l.down > 0)
      gr.vms_down = uint16_t(gr.vms_down + sign);
    else if (l.contention == 1)
      gr.up_in_one = uint16_t(gr.up_in_one + sign);
    else if (l.contention > 1)
      gr.up_in_more = uint16_t(gr.up_in_more + sign);
  }

  // Applies the group's OS rejuvenation ends up to t (VM level), each at its own time.
  void advance(int g, Seconds t) {
    if (!vm_) return;
    auto apply = [this](const PendingEnds::End& e) {
      if (e.kind == PendingEnds::kVmUp)
        load_unit(int(e.unit), -1, 0);
      else
        load_unit(int(e.unit), 0, -1);
    };
    while (ends_.due(uint32_t(g), t)) {
      const PendingEnds::End e = ends_.pop(uint32_t(g));
      flush_at(g, e.time);
      apply(e);
      while (ends_.due(uint32_t(g), e.time)) apply(ends_.pop(uint32_t(g)));  // at the same time
      recompute(g);
    }
  }

  uint32_t tag(int g, uint32_t kind) const { return groups_[size_t(g)].epoch << 2 | kind; }
  bool stale(int g, uint32_t tag) const { return (tag >> 2) != groups_[size_t(g)].epoch; }

  // --- timers ---------------------------------------------------------------------------------
  Seconds first_phase(int i, int count, Seconds period, Rng& rng) const {
    switch (sc_.stagger) {
      case Stagger::Even: return (i + 0.5) / count * period;
      case Stagger::Random: return rng.uniform01() * period;
      case Stagger::Aligned: return 0.5 * period;
    }
    return 0;
  }

  void schedule_vmm(int h, Seconds t) { vmm_event_.set(size_t(h), engine_.schedule_at(t, h_vmm_, uint32_t(h))); }

  Seconds draw(const Distribution& d, Rng& rng) const { return d.is_fixed() ? d.mean() : d.sample(rng); }

  void arm_failure(int h) {
    if (!sc_.failures.enabled) return;
    const Host& host = hosts_[size_t(h)];
    engine_.schedule_in(time_to_failure(sc_.failures, host.failed_before, fail_rng_), h_fail_, uint32_t(h));
  }

  void arm_vmm_aging(int h, Seconds from_now) {
    if (!sc_.aging.vmm) return;
    host_aging_event_.cancel(engine_, size_t(h));
    host_aging_event_.set(size_t(h), engine_.schedule_in(from_now + sc_.aging.vmm->sample(aging_vmm_rng_), h_vmm_crash_, uint32_t(h)));
  }

  void arm_os_aging(int u, Seconds from_now) {
    if (!sc_.aging.os) return;
    unit_aging_event_.cancel(engine_, size_t(u));
    unit_aging_event_.set(size_t(u), engine_.schedule_in(from_now + sc_.aging.os->sample(aging_os_rng_), h_os_crash_, uint32_t(u)));
  }

  // A group's OS timers are one event, at the earliest due time of its units: an event per VM would
  // hold the queue at 24 bytes per VM. At host level (one unit per group) any change of its due
  // time cancels and reschedules it, exactly as the unit's own timer was. At VM level it moves
  // only when the earliest due time changes, and is never cancelled: an event at a time other
  // than os_at is a superseded one and does nothing, which spares the engine's set of cancelled
  // events and the group its 16-byte EventId.
  void rearm_os(int g) {
    Group& gr = groups_[size_t(g)];
    Seconds next = due_[size_t(first_unit(g))];
    for (int u = first_unit(g) + 1; u < first_unit(g) + k_; ++u) next = std::min(next, due_[size_t(u)]);
    if (k_ > 1) {
      if (gr.os_at == next && next > engine_.now()) return;  // already set for then
      gr.os_at = next;
      engine_.schedule_at(next, h_os_, uint32_t(g));
      return;
    }
    gr.os_at = next;
    os_event_.cancel(engine_, size_t(g));
    os_event_.set(size_t(g), engine_.schedule_at(next, h_os_, uint32_t(g)));
  }

  // The OS timers of the group's units restart: each fires T_os after `start` (≥ now).
  void restart_os(int g, Seconds start) {
    for (int u = first_unit(g); u < first_unit(g) + k_; ++u) due_[size_t(u)] = start + p_.T_os;
    rearm_os(g);
    for (int u = first_unit(g); u < first_unit(g) + k_; ++u) arm_os_aging(u, start - engine_.now());
  }

  // The OS timer of units first .. first + count − 1 of group g stops for `pause` (their VMs are
  // suspended or moving): their OS is due later.
  void pause_os(int g, int first, int count, Seconds pause) {
    if (std::isnan(groups_[size_t(g)].os_at)) return;  // lost
    for (int u = first; u < first + count; ++u) due_[size_t(u)] += pause;
    rearm_os(g);
  }

  int first_unit(int g) const { return g * k_; }

  // --- VMM rejuvenation -----------------------------------------------------------------------
  void vmm_due(uint32_t h) {
    Host& host = hosts_[h];
    const Seconds t = engine_.now();
    schedule_vmm(int(h), t + p_.T_vmm);  // time-based rejuvenation: the schedule does not slip
    if (host.state == HostState::Failed) return;
    if (!spares_) {
      ++r_.vmm_rejuvenations;
      in_place_reboot(int(h), strategy_ == Strategy::Warm);
      return;
    }
    if (host.waiting) {  // still waiting for a spare since it was last due
      ++r_.skipped_rejuvenations;
      return;
    }
    switch (host.state) {
      case HostState::Free:  // an idle spare reboots itself; nothing is lost
        take_free(int(h));
        ++r_.vmm_rejuvenations;
        start_reboot(int(h));
        return;
      case HostState::Receiving:
        host.due_on_arrival = true;
        host.due = t;
        return;
      case HostState::Serving:
        host.due = t;
        if (host.lent != kNone) {  // holding a group for its home host: rejuvenated once it has left
          host.due_on_arrival = true;
          return;
        }
        request_spare(int(h));
        return;
      default:
        return;  // rebooting or sending: being rejuvenated right now
    }
  }

  // Warm (eq. 1–2): down D_w(n) with the VMs suspended, then degraded by ω for R_vmm; the OS timers
  // do not run while suspended. Cold (eq. 3–4): down D_c(n), degraded by ω' for R'_vmm; every OS
  // reboots with it, so the OS timers restart when the host is back.
  // `undetected`: a crash's time before anyone notices and the reboot starts (down all the same).
  void in_place_reboot(int h, bool warm, Seconds undetected = 0) {
    const int g = hosts_[size_t(h)].group;
    const Seconds t = engine_.now();
    const Seconds D = undetected + took(world_.host_reboot(HostId(h), warm ? HostReboot::warm : HostReboot::cold,
                                                           draw(warm ? d_.warm_down : d_.cold_down, warm ? warm_down_rng_ : cold_down_rng_)));
    arm_vmm_aging(h, D);
    if (g == kNone) return;
    if (!vm_) {  // host level: losses add, so they are booked now, without events for their ends
      const Seconds R = draw(warm ? d_.warm_degraded : d_.cold_degraded, warm ? warm_deg_rng_ : cold_deg_rng_);
      acc_.add(t, D, pp_, LossKind::Down);
      acc_.add(t + D, R, (warm ? p_.warm.degradation : p_.cold.degradation) * pp_, LossKind::Degraded);
    } else {
      change(g, [](Group& gr) { ++gr.down; });
      engine_.schedule_in(D, h_group_up_, uint32_t(g), tag(g, warm ? kWarm : kCold));
    }
    if (warm)
      pause_os(g, first_unit(g), k_, D);
    else
      restart_os(g, t + D);
  }

  void group_up(uint32_t g, uint32_t tg) {
    if (stale(int(g), tg)) return;
    const bool warm = (tg & 3) == kWarm;
    const double w = warm ? p_.warm.degradation : p_.cold.degradation;
    const Seconds R = draw(warm ? d_.warm_degraded : d_.cold_degraded, warm ? warm_deg_rng_ : cold_deg_rng_);
    change(int(g), [w](Group& gr) {
      --gr.down;
      gr.deg += w;
    });
    engine_.schedule_in(R, h_group_deg_end_, g, tg);
  }

  void group_deg_end(uint32_t g, uint32_t tg) {
    if (stale(int(g), tg)) return;
    const double w = (tg & 3) == kWarm ? p_.warm.degradation : p_.cold.degradation;
    change(int(g), [w](Group& gr) { gr.deg -= w; });
  }

  // --- OS rejuvenation ------------------------------------------------------------------------
  // Host level: one unit per group stands for the n OSes (§3.1): p down for D_os, then δ·p over
  // R_os, which is what n per-VM rejuvenations cost together. VM level: the VM is down for D_os and
  // the other n−1 VMs of its group are degraded by δ meanwhile, R_os/(n−1) each (§4.1: "the total
  // of this period is (n−1)·D_os").
  void os_due(uint32_t g) {
    const Seconds t = engine_.now();
    if (t != groups_[g].os_at) return;  // superseded (VM level)
    fired_.clear();
    for (int u = first_unit(int(g)); u < first_unit(int(g)) + k_; ++u) {
      if (due_[size_t(u)] > t) continue;
      due_[size_t(u)] = t + p_.T_os;
      fired_.push_back(u);
    }
    rearm_os(int(g));
    if (groups_[g].lost) return;
    for (int u : fired_) {
      ++r_.os_rejuvenations;
      os_reboot(u);
      arm_os_aging(u, 0);
    }
  }

  void os_reboot(int u, Seconds undetected = 0) {
    const int g = u / k_;
    const Seconds D = undetected + took(world_.reboot(dom(u), draw(d_.os_down, os_down_rng_)));
    const Seconds t = engine_.now();
    if (!vm_) {  // host level: booked now (losses add), no events for the ends
      const Seconds R = draw(d_.os_degraded, os_deg_rng_);
      acc_.add(t, D, pp_, LossKind::Down);
      acc_.add(t + D, R, p_.os.degradation * pp_, LossKind::Degraded);
      return;
    }
    // VM level: the VM is down for D_os, the others degraded by δ for R_os/(n−1); both ends are
    // kept with the group (PendingEnds), not as events.
    UnitLoad& l = load_[size_t(u)];
    if (l.down == UINT8_MAX || l.contention == UINT8_MAX)
      throw std::runtime_error(fmt::format("VM {} is in more than 255 OS reboots at once at t = {} s: its OS "
                                           "aging is far shorter than its reboot", u, t));
    change(g, [&](Group&) { load_unit(u, 1, 1); });
    list_for_sweep(g);
    ends_.add(uint32_t(g), t + D, uint32_t(u), PendingEnds::kVmUp);
    const Seconds R = draw(d_.os_degraded, os_deg_rng_) / (k_ - 1);
    ends_.add(uint32_t(g), t + R, uint32_t(u), PendingEnds::kContentionEnd);
  }

  // --- migration (§3.3) -----------------------------------------------------------------------
  void take_free(int h) {
    auto it = std::find(free_.begin(), free_.end(), h);
    if (it != free_.end()) free_.erase(it);
  }

  void request_spare(int h) {
    if (!free_.empty()) {
      const int f = free_.front();
      free_.pop_front();
      start_migration(h, f);
    } else {
      hosts_[size_t(h)].waiting = true;
      waiters_.push_back(h);
    }
  }

  // The length of step i: at host level the whole migration (n·D_m, or M_l); at VM level M(i)
  // from the curves, scaled by a draw of D_m or M_l over its mean when that is a distribution.
  Seconds step_length(const Group& gr, int i) const {
    if (!vm_) return gr.step_scale;
    return (*curves_->M)(i) * gr.step_scale;
  }

  void start_migration(int h, int f) {
    const Seconds late = engine_.now() - hosts_[size_t(h)].due;
    ++r_.vmm_rejuvenations;
    if (late > kOnTime) {
      ++r_.late_rejuvenations;
      r_.total_lateness_s += late;
      r_.max_lateness_s = std::max(r_.max_lateness_s, late);
    }
    move_group(h, f);
  }

  // Moves h's group to f (a spare, or back home after return-back's reboot), one VM at a time.
  void move_group(int h, int f) {
    Host& src = hosts_[size_t(h)];
    Host& dst = hosts_[size_t(f)];
    src.state = HostState::Sending;
    src.peer = f;
    dst.state = HostState::Receiving;
    dst.peer = h;
    const int g = src.group;
    const Distribution& dist = strategy_ == Strategy::Migration ? d_.migration_down
                               : strategy_ == Strategy::Live    ? d_.live_total
                                                                : d_.live_rc_total;
    Rng& rng = strategy_ == Strategy::Migration ? migration_rng_ : strategy_ == Strategy::Live ? live_rng_ : live_rc_rng_;
    const Seconds drawn = draw(dist, rng);
    Group& gr = groups_[size_t(g)];
    if (vm_)
      gr.step_scale = dist.mean() > 0 ? drawn / dist.mean() : 0;
    else
      gr.step_scale = strategy_ == Strategy::Migration ? n_ * drawn : drawn;
    if (!vm_ && strategy_ == Strategy::Migration) pause_os(g, first_unit(g), 1, drawn);  // D_m, as N_m assumes
    begin_step(h, 1);
  }

  void begin_step(int h, int i) {
    const int g = hosts_[size_t(h)].group;
    change(g, [i](Group& gr) { gr.step = i; });
    const Seconds len = took(world_.migrate(dom(first_unit(g) + i - 1), HostId(hosts_[size_t(h)].peer),
                                            migrate_options_, plan(step_length(groups_[size_t(g)], i))));
    if (vm_ && strategy_ == Strategy::Migration) pause_os(g, first_unit(g) + i - 1, 1, len);  // VM i is stopped while it moves
    op_event_.set(size_t(h), engine_.schedule_in(len, h_step_, uint32_t(h)));
  }

  void migration_step(uint32_t h) {
    Host& src = hosts_[h];
    const int g = src.group;
    const int i = groups_[size_t(g)].step;
    if (vm_ && i < n_) {
      begin_step(int(h), i + 1);
      return;
    }
    change(g, [](Group& gr) { gr.step = 0; });
    const int f = src.peer;
    Host& dst = hosts_[size_t(f)];
    dst.group = g;
    dst.state = HostState::Serving;
    dst.peer = kNone;
    groups_[size_t(g)].host = f;
    src.group = kNone;
    src.peer = kNone;
    if (src.lent == f) {  // return-back, the way home: the host that held the group is free again
      src.lent = dst.lent = kNone;
      if (src.due_on_arrival) {  // it came due meanwhile
        src.due_on_arrival = false;
        ++r_.vmm_rejuvenations;
        start_reboot(int(h));
      } else {
        become_free(int(h));
      }
    } else {
      if (p_.migration_mode == MigrationMode::ReturnBack) {  // the group comes home after the reboot
        src.lent = f;
        dst.lent = int(h);
      }
      start_reboot(int(h));
    }
    if (dst.due_on_arrival && dst.lent == kNone) {
      dst.due_on_arrival = false;
      request_spare(f);
    }
  }

  // The VMM reboot of a host with no VMs on it (emptied by a migration, or an idle spare).
  void start_reboot(int h, Seconds undetected = 0) {
    Host& host = hosts_[size_t(h)];
    host.state = HostState::Rebooting;
    const Seconds D = undetected + took(world_.host_reboot(HostId(h), HostReboot::cold, draw(d_.spare_reboot, reboot_rng_)));
    op_event_.set(size_t(h), engine_.schedule_in(D, h_rebooted_, uint32_t(h)));
  }

  void reboot_done(uint32_t h) {
    arm_vmm_aging(int(h), 0);
    Host& host = hosts_[h];
    if (host.lent != kNone) {  // return-back: the group moves home from the host that held it
      const int f = host.lent;
      if (hosts_[size_t(f)].lent == int(h) && hosts_[size_t(f)].state == HostState::Serving) {
        move_group(f, int(h));
        return;
      }
      host.lent = kNone;
    }
    become_free(int(h));
  }

  // A host with nothing on it first brings back a group lost to a failure, then serves the hosts
  // waiting for a spare, else waits as a spare.
  void become_free(int h) {
    Host& host = hosts_[size_t(h)];
    host.state = HostState::Free;
    if (!lost_.empty()) {
      const int g = lost_.front();
      lost_.pop_front();
      cold_boot(g, h);
      return;
    }
    if (!spares_) return;
    while (!waiters_.empty()) {
      const int w = waiters_.front();
      waiters_.pop_front();
      Host& waiter = hosts_[size_t(w)];
      if (!waiter.waiting) continue;  // failed while waiting
      waiter.waiting = false;
      start_migration(w, h);
      return;
    }
    free_.push_back(h);
  }

  // --- hardware failures (beyond the paper) ---------------------------------------------------
  void host_failure(uint32_t h) {
    Host& host = hosts_[h];
    ++r_.host_failures;
    took(world_.fail_host(HostId(h)));
    host.failed_before = true;
    if (host.lent != kNone) {  // return-back: the group stays where it is, or is lost with this host
      if (hosts_[size_t(host.lent)].lent == int(h)) hosts_[size_t(host.lent)].lent = kNone;
      host.lent = kNone;
    }
    op_event_.cancel(engine_, h);
    host_aging_event_.cancel(engine_, h);
    host.waiting = false;
    host.due_on_arrival = false;
    switch (host.state) {
      case HostState::Free:
        take_free(int(h));
        break;
      case HostState::Sending: {  // the migration stops half-way; the spare is free again
        const int f = host.peer;
        hosts_[size_t(f)].peer = kNone;
        host.peer = kNone;
        become_free(f);
        break;
      }
      case HostState::Receiving: {  // the half-moved group is lost; the sender goes on to reboot
        const int s = host.peer;
        Host& src = hosts_[size_t(s)];
        op_event_.cancel(engine_, size_t(s));
        host.group = src.group;
        src.group = kNone;
        src.peer = kNone;
        host.peer = kNone;
        start_reboot(s);
        break;
      }
      default:
        break;
    }
    host.state = HostState::Failed;
    if (host.group != kNone) {
      const int g = host.group;
      host.group = kNone;
      lose_group(g);
    }
    engine_.schedule_in(draw(sc_.failures.repair, repair_rng_), h_repaired_, h);
  }

  // The group's VMs are gone: cold-booted on a free spare if there is one, else on the first host
  // that comes back. Whatever was scheduled for the group is void (a new epoch).
  void lose_group(int g) {
    change(g, [](Group& gr) {
      gr.lost = true;
      ++gr.epoch;
      gr.down = 0;
      gr.deg = 0;
      gr.step = 0;
      gr.host = kNone;
    });
    Group& gr = groups_[size_t(g)];
    os_event_.cancel(engine_, size_t(g));
    gr.os_at = kNever;
    if (vm_) ends_.clear(uint32_t(g));
    gr.contention = gr.vms_down = gr.up_in_one = gr.up_in_more = 0;
    for (int u = first_unit(g); u < first_unit(g) + k_; ++u) {
      if (vm_) load_[size_t(u)] = UnitLoad{};
      unit_aging_event_.cancel(engine_, size_t(u));
      // The VMs of a half-moved group that had not crashed with the host are lost with the group.
      if (world_.info(dom(u)).state == backends::DomainState::running) took(world_.destroy(dom(u), 0));
    }
    if (!free_.empty()) {
      const int f = free_.front();
      free_.pop_front();
      cold_boot(g, f);
    } else {
      lost_.push_back(g);
    }
  }

  void cold_boot(int g, int h) {
    Host& host = hosts_[size_t(h)];
    const Seconds t = engine_.now(), planned = draw(d_.cold_down, cold_down_rng_);
    // The group's VMs boot together on h: the group is back when the last of them is.
    Seconds D = 0;
    for (int u = first_unit(g); u < first_unit(g) + k_; ++u)
      D = std::max(D, took(world_.restart_on(dom(u), HostId(h), planned)));
    change(g, [h, this](Group& gr) {
      gr.lost = false;
      gr.down = vm_ ? 1 : 0;
      gr.host = h;
    });
    host.group = g;
    host.state = HostState::Serving;
    if (!vm_) {
      acc_.add(t, D, pp_, LossKind::Down);
      acc_.add(t + D, draw(d_.cold_degraded, cold_deg_rng_), p_.cold.degradation * pp_, LossKind::Degraded);
    } else {
      engine_.schedule_in(D, h_group_up_, uint32_t(g), tag(g, kCold));
    }
    restart_os(g, t + D);
  }

  void repair_done(uint32_t h) {
    took(world_.repair_host(HostId(h), 0));
    // A repaired host starts with a fresh VMM: its rejuvenation clock starts again.
    vmm_event_.cancel(engine_, h);
    schedule_vmm(int(h), engine_.now() + p_.T_vmm);
    arm_failure(int(h));
    arm_vmm_aging(int(h), 0);
    become_free(int(h));
  }

  // --- aging (beyond the paper) ---------------------------------------------------------------
  // A VMM that runs too long without rejuvenation crashes; the host comes back by a cold reboot.
  void vmm_crash(uint32_t h) {
    Host& host = hosts_[h];
    if (host.state != HostState::Serving && host.state != HostState::Free) {
      arm_vmm_aging(int(h), 0);  // a rejuvenation or a failure in progress renews the VMM anyway
      return;
    }
    ++r_.vmm_aging_crashes;
    // The rebooted VMM is new: its rejuvenation clock starts again, as the renewal cycles of
    // models/aging.hpp assume (a rejuvenation it was waiting for is done by the reboot).
    vmm_event_.cancel(engine_, h);
    schedule_vmm(int(h), engine_.now() + p_.T_vmm);
    host.waiting = false;
    if (host.state == HostState::Free) {
      take_free(int(h));
      start_reboot(int(h), sc_.aging.vmm_detection);
      return;
    }
    in_place_reboot(int(h), false, sc_.aging.vmm_detection);
  }

  // An aged OS crashes and reboots, which costs what a rejuvenation costs and renews the OS.
  void os_crash(uint32_t u) {
    if (groups_[u / uint32_t(k_)].lost) return;
    ++r_.os_aging_crashes;
    os_reboot(int(u), sc_.aging.os_detection);
    const int g = int(u) / k_;
    due_[u] = engine_.now() + p_.T_os;
    rearm_os(g);
    arm_os_aging(int(u), 0);
  }

  std::unique_ptr<backends::SimulatedBackend> own_world_;  // when the caller gave no world
  Backend& world_;
  DomainId dom_base_ = 0;
  backends::MigrateOptions migrate_options_;
  const RejuvenationScenario& sc_;
  const Params& p_;
  const Durations& d_;
  Strategy strategy_;
  Streams streams_;
  Engine engine_;
  Accounting acc_;
  const bool spares_, vm_;
  const int k_, n_;  // units per group (1 or n), VMs per host
  const double pp_, share_;
  double gamma_ = 0;
  double stop_fraction_ = 0;
  const MigrationCurves* curves_ = nullptr;
  std::vector<Host> hosts_;
  std::vector<Group> groups_;
  std::vector<Seconds> due_;     // per OS unit: when its OS is next due
  std::vector<UnitLoad> load_;   // per OS unit, VM level only
  PendingEnds ends_{0};          // VM level only
  std::vector<uint32_t> listed_;  // groups with ends pending, for sweep_ends
  bool sweeping_ = false;         // a sweep_ends event is pending
  std::vector<int> fired_;       // units due in os_due (kept to reuse its memory)
  EventIds vmm_event_, op_event_, host_aging_event_, unit_aging_event_, os_event_;
  std::deque<int> free_, waiters_, lost_;
  RunResult r_;
  HandlerId h_vmm_, h_os_, h_group_up_, h_group_deg_end_, h_step_, h_rebooted_, h_fail_, h_repaired_, h_vmm_crash_,
      h_os_crash_, h_sweep_;
  // One named stream per kind of draw, so that a new draw never shifts another's.
  Rng warm_down_rng_ = streams_.get("duration/warm/downtime");
  Rng warm_deg_rng_ = streams_.get("duration/warm/degraded_period");
  Rng cold_down_rng_ = streams_.get("duration/cold/downtime");
  Rng cold_deg_rng_ = streams_.get("duration/cold/degraded_period");
  Rng os_down_rng_ = streams_.get("duration/os/downtime");
  Rng os_deg_rng_ = streams_.get("duration/os/degraded_period");
  Rng migration_rng_ = streams_.get("duration/migration/downtime");
  Rng live_rng_ = streams_.get("duration/live/total_time");
  Rng live_rc_rng_ = streams_.get("duration/live_rate_control/total_time");
  Rng reboot_rng_ = streams_.get("duration/spare_reboot");
  Rng fail_rng_ = streams_.get("failures/time_to_failure");
  Rng repair_rng_ = streams_.get("failures/repair");
  Rng aging_vmm_rng_ = streams_.get("aging/vmm");
  Rng aging_os_rng_ = streams_.get("aging/os");
};

}  // namespace

RunResult simulate(const RejuvenationScenario& sc, Strategy s, uint64_t replication, const Progress& progress,
                   backends::Backend* world) {
  auto sim = std::make_unique<ClusterSim>(sc, s, replication, world);
  return sim->run(progress);
}

double spare_saturation_hosts(const RejuvenationScenario& sc, Strategy s) {
  const Params& p = sc.params;
  const MigrationCurves* curves = migration_curves(p, s);
  Seconds move = 0;
  switch (s) {
    case Strategy::Migration: move = p.vms_per_host * sc.durations.migration_down.mean(); break;
    case Strategy::Live: move = sc.durations.live_total.mean(); break;
    case Strategy::LiveRateControl: move = sc.durations.live_rc_total.mean(); break;
    default: return 0;
  }
  if (sc.detail == Detail::Vm) {
    move = 0;
    for (int i = 1; i <= p.vms_per_host; ++i) move += (*curves->M)(i);
  }
  // Return-back moves each group twice per rejuvenation: out to the spare and home again.
  return p.spares * p.T_vmm / (moves_per_cycle(p) * move + sc.durations.spare_reboot.mean());
}

}  // namespace rejuv::sim
