#include "sim/migration/migration_run.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include "models/input_error.hpp"
#include "sim/backends/simulated_backend.hpp"
#include "sim/engine.hpp"
#include "sim/migration/migration_scenario.hpp"

namespace rejuv::sim {

using nlohmann::json;
using namespace backends;

namespace {

constexpr double kMiB = 1048576.0;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

std::string read_template(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("/guest/xml", fmt::format("cannot open \"{}\"", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string bandwidth_cell(const MigrationPoint& p) {
  return p.rate_control ? "rc" : fmt::format("{:g}", p.bandwidth_Bps / kMiB);
}

}  // namespace

void check_migration(const json& doc) {
  const MigrationScenario sc = parse_migration_scenario(doc);
  if (!sc.xml_template.empty()) read_template(sc.xml_template);
}

// The model's prediction per grid point: a sweep over the model's parameters or the grid needs no
// backend (it is deterministic, so "seed" only records the point's seed).
std::string migration_sweep_rows(const json& doc) {
  const MigrationScenario sc = parse_migration_scenario(doc);
  const uint64_t seed = doc.value("seed", uint64_t{0});
  std::string rows;
  for (const MigrationPoint& p : sc.points()) {
    const PrecopyResult r = simulate_precopy(precopy_config(p, sc.model));
    rows += fmt::format("{:g},{:g},{:g},{},{:g},{},{:.6f},{:.6f},{}\n", p.memory_bytes / kMiB, p.fill_bytes / kMiB,
                        p.dirty_rate_Bps / kMiB, bandwidth_cell(p), p.downtime_limit_s * 1000, seed, r.total_time_s,
                        r.downtime_s, r.iterations);
  }
  return rows;
}

OutputFiles run_migration(const json& doc, const RunOptions& options) {
  const MigrationScenario sc = parse_migration_scenario(doc);
  const std::string xml = sc.xml_template.empty() ? "" : read_template(sc.xml_template);

  std::unique_ptr<SimulatedBackend> own;
  Backend* backend = options.backend;
  if (!backend) {
    own = std::make_unique<SimulatedBackend>();
    backend = own.get();
  }
  Engine engine;
  backend->attach(&engine);
  const HostId hosts[2] = {backend->add_host({.name = "a"}), backend->add_host({.name = "b"})};

  std::string csv =
      "memory_mib,fill_mib,dirty_mibps,bandwidth,downtime_limit_ms,rep,from,to,status,wall_s,total_ms,"
      "downtime_ms,iterations,data_bytes,predicted_total_ms,predicted_downtime_ms,predicted_iterations,backend\n";
  const std::vector<MigrationPoint> points = sc.points();
  const size_t per_guest = sc.bandwidth_Bps.size() * sc.downtime_limit_s.size();
  size_t migrations = 0, failures = 0, crashes = 0;
  Seconds t = 0;
  auto wait_until = [&](Seconds when) {
    t = std::max(t, when);
    engine.run_until(t);
  };
  auto failed_note = [&](const char* what, const Outcome& o) {
    ++failures;
    if (options.progress) fmt::print(stderr, "migration: {} failed: {} (code {})\n", what, o.message, o.code);
  };

  for (size_t g = 0; g < points.size(); g += per_guest) {
    const MigrationPoint& first = points[g];
    const long mem_mib = std::lround(first.memory_bytes / kMiB), fill_mib = std::lround(first.fill_bytes / kMiB);
    const long rate_mib = std::lround(first.dirty_rate_Bps / kMiB);
    DomainSpec spec{.name = fmt::format("mig-{}-{}", mem_mib, rate_mib), .memory_bytes = first.memory_bytes, .vcpus = 1};
    if (!xml.empty()) {
      std::string x = replace_all(xml, "@NAME@", spec.name);
      x = replace_all(x, "@MEMORY_MIB@", std::to_string(mem_mib));
      x = replace_all(x, "@FILL_MIB@", std::to_string(fill_mib));
      x = replace_all(x, "@RATE_MIB@", std::to_string(rate_mib));
      spec.xml = replace_all(x, "@CONSOLE@", fmt::format("{}/{}.log", sc.console_dir.empty() ? "/tmp" : sc.console_dir, spec.name));
    }
    // Not a structured binding: the lambdas below capture the domain (clang 14 cannot).
    const auto made = backend->define(hosts[0], spec, 0.1);
    const DomainId d = made.first;
    const Outcome& defined = made.second;
    wait_until(t + defined.duration);
    if (!defined.ok()) {
      failed_note("define", defined);
      continue;
    }
    const Outcome started = backend->start(d, 1.0);
    wait_until(t + started.duration);
    if (!started.ok()) {
      failed_note("start", started);
      backend->undefine(d, 0.1);
      continue;
    }
    wait_until(t + sc.boot_s);  // the guest boots and fills before its first migration
    int on = 0;
    bool alive = true;
    // A guest that dies after a move (its kernel panics and reboots, and with on_reboot=destroy
    // the domain stops: the rig's guests do so under TCG, see the README) is started again before
    // the next migration, and the row of the move it died after says "ok-guest-crashed": that
    // migration's statistics stand, the guest did not survive it. Its death may show only when
    // the next migration is refused; that migration is then tried again on the new guest.
    size_t last_row = std::string::npos;  // where the status of this guest's last ok row starts
    auto died = [&](bool restart = true) {
      if (backend->info(d).state == DomainState::running) return false;
      ++crashes;
      if (last_row != std::string::npos) {
        csv.replace(last_row, 2, "ok-guest-crashed");
        last_row = std::string::npos;
      }
      if (!restart) return true;
      const Outcome again = backend->start(d, 1.0);
      wait_until(t + again.duration + sc.boot_s);
      if (!again.ok()) {
        failed_note("start after the guest died", again);
        alive = false;
      }
      return true;
    };
    for (size_t k = g; k < g + per_guest && alive; ++k) {
      const MigrationPoint& p = points[k];
      const PrecopyResult plan = simulate_precopy(precopy_config(p, sc.model));
      MigrateOptions mo;
      mo.max_downtime = p.downtime_limit_s;
      if (p.rate_control)
        mo.rate_control = RateControl{};
      else
        mo.max_bandwidth_Bps = p.bandwidth_Bps;
      for (int rep = 1; rep <= sc.repetitions && alive; ++rep) {
        if (died() && !alive) break;
        const MigrationPlan mp{.total = plan.total_time_s, .downtime = plan.downtime_s, .bytes = plan.bytes_sent,
                               .iterations = plan.iterations};
        Outcome o = backend->migrate(d, hosts[1 - on], mo, mp);
        if (!o.ok() && died()) {
          if (!alive) break;
          o = backend->migrate(d, hosts[1 - on], mo, mp);
        }
        ++migrations;
        const JobInfo job = o.ok() ? backend->job_info(d) : JobInfo{};
        if (!o.ok()) failed_note("migrate", o);
        const char* from = on ? "b" : "a";
        const char* to = on ? "a" : "b";
        if (o.ok()) on = 1 - on;
        const std::string head = fmt::format("{},{},{},{},{:g},{},{},{},", mem_mib, fill_mib, rate_mib, bandwidth_cell(p),
                                             p.downtime_limit_s * 1000, rep, from, to);
        last_row = o.ok() ? csv.size() + head.size() : std::string::npos;
        csv += head + fmt::format("{},{:.3f},{},{},{},{},{:.1f},{:.1f},{},{}\n", o.ok() ? "ok" : "failed", o.duration,
                                  job.available ? fmt::format("{:.0f}", job.total_s * 1000) : "",
                                  job.available ? fmt::format("{:.0f}", job.downtime_s * 1000) : "",
                                  job.available ? std::to_string(job.iterations) : "",
                                  job.available ? fmt::format("{:.0f}", job.data_bytes) : "", plan.total_time_s * 1000,
                                  plan.downtime_s * 1000, plan.iterations, backend->kind());
        wait_until(t + o.duration + sc.gap_s);
      }
    }
    died(false);  // a death after the guest's last move counts too
    const Outcome gone = backend->destroy(d, 0.1);
    wait_until(t + gone.duration);
    backend->undefine(d, 0.1);
  }

  const bool simulated = backend->kind() == "simulated";
  json results = json::array();  // the model's prediction per grid point
  for (const MigrationPoint& p : points) {
    const PrecopyResult r = simulate_precopy(precopy_config(p, sc.model));
    results.push_back({{"memory_mib", p.memory_bytes / kMiB},
                       {"fill_mib", p.fill_bytes / kMiB},
                       {"dirty_mibps", p.dirty_rate_Bps / kMiB},
                       {"bandwidth", bandwidth_cell(p)},
                       {"downtime_limit_ms", p.downtime_limit_s * 1000},
                       {"predicted_total_s", r.total_time_s},
                       {"predicted_downtime_s", r.downtime_s},
                       {"predicted_iterations", r.iterations}});
  }
  json summary = {
      {"kind", "migration"},
      {"data", simulated ? "simulated" : "measured"},
      {"_data", simulated ? "every migration took what the pre-copy model (QEMU's stop rule) predicts"
                          : "measured on the " + backend->kind() + " backend, beside the pre-copy model's prediction"},
      {"results", results},
      {"backend", backend->kind()},
      {"migrations", migrations},
      {"failures", failures},
      {"guest_crashes", crashes},
      {"model",
       {{"link_rate_bps", sc.model.link_rate_bps},
        {"resume_s", sc.model.resume_s},
        {"dirty_overlap", sc.model.dirty_overlap},
        {"base_bytes", sc.model.base_bytes}}},
      {"simulated_time_s", t}};
  return {{"summary.json", summary.dump(2) + "\n"}, {"measured.csv", csv}};
}

}  // namespace rejuv::sim
