// `rejuv validate`: runs a scenario's operations on a real backend (libvirt) at a stated time scale
// and the same scenario on the simulated backend, both recorded, and writes the comparison, the
// real run as a curve set, and both operation logs.
//
// Order: the simulated run first (so a bad scenario is reported before any host is touched), then
// the real one. Ctrl-C (SIGINT) or SIGTERM stops the real run at its next operation or wait; every
// domain the adapter defined is removed and nothing is written (exit 128 + the signal).
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/output.hpp"
#include "models/input_error.hpp"
#include "sim/backends/pacing.hpp"
#include "sim/backends/recording.hpp"
#include "sim/backends/safety.hpp"
#include "sim/backends/simulated_backend.hpp"
#include "sim/backends/validation.hpp"
#include "sim/scenario.hpp"

#if REJUV_HAVE_LIBVIRT
#include "sim/backends/libvirt_backend.hpp"
#endif

namespace rejuv::cli {

namespace fs = std::filesystem;
namespace bk = sim::backends;
using nlohmann::json;

namespace {

struct ValidateOptions {
  std::string scenario, out, connect, migration_uris, prefix = "rejuv-", domain_xml;
  double time_scale = 1e-5;
  double shutdown_timeout = 120;
  std::optional<uint64_t> seed;
  bool allow_real = false, dry_run = false;
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The throughput one domain carries: p/n of the parameter format, when the scenario has them.
double per_domain_throughput(const json& doc) {
  const auto p = doc.find("host_throughput"), n = doc.find("vms_per_host");
  if (p != doc.end() && n != doc.end() && p->is_number() && n->is_number() && n->get<double>() > 0)
    return p->get<double>() / n->get<double>();
  return 1;
}

// One label per run, in the order a scenario's runs go: for each strategy, each replication.
std::vector<std::string> run_labels(const json& doc) {
  std::vector<std::string> labels;
  const auto st = doc.find("strategies");
  if (st == doc.end() || !st->is_array()) return labels;
  const int reps = doc.value("replications", 1);
  for (const auto& s : *st)
    for (int r = 0; r < reps; ++r)
      if (s.is_string())
        labels.push_back(reps == 1 ? s.get<std::string>()
                                   : fmt::format("{}-r{}", s.get<std::string>(), r + 1));
  return labels;
}

std::string fmt_s(double s) { return fmt::format("{:.6f}", s); }

std::string render_comparison(const json& ops) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : ops) {
    const json& s = r["simulated"];
    const json& m = r["measured"];
    rows.push_back({r["op"].get<std::string>(), fmt::format("{}", s["count"].get<size_t>()),
                    fmt_s(s["mean_s"]), fmt_s(s["p95_s"]),
                    fmt::format("{}", m["count"].get<size_t>()), fmt_s(m["mean_s"]),
                    fmt_s(m["p50_s"]), fmt_s(m["p95_s"]),
                    fmt::format("{}", m["failures"].get<size_t>()),
                    fmt::format("{}", m["unsupported"].get<size_t>()),
                    fmt::format("{}", m["emulated"].get<size_t>())});
  }
  return render_table({"op", "sim_n", "sim_mean_s", "sim_p95_s", "real_n", "real_mean_s",
                       "real_p50_s", "real_p95_s", "failed", "unsupported", "emulated"},
                      rows);
}

#if REJUV_HAVE_LIBVIRT

void validate(const ValidateOptions& o) {
  if (!std::isfinite(o.time_scale) || o.time_scale < 0)
    throw CliError(fmt::format(
        "--time-scale: expected a number >= 0 (1e-5: a simulated day waits 0.864 s), got {}",
        o.time_scale));
  if (!(o.shutdown_timeout > 0))
    throw CliError("--shutdown-timeout: expected a number of seconds > 0");
  if (o.out.empty() && !o.dry_run)
    throw CliError("--out: required (only --dry-run writes nothing)");

  json doc;
  try {
    doc = sim::read_scenario(o.scenario);
  } catch (const InputError& e) {
    throw CliError(format_input_error(o.scenario, e));
  }

  bk::LibvirtOptions lo;
  const auto uris = split_commas(o.connect);
  const auto mig =
      o.migration_uris.empty() ? std::vector<std::string>{} : split_commas(o.migration_uris);
  if (!mig.empty() && mig.size() != uris.size())
    throw CliError(fmt::format("--migration-uri: expected one URI per --connect URI ({}), got {}",
                               uris.size(), mig.size()));
  for (size_t i = 0; i < uris.size(); ++i) lo.hosts.push_back({uris[i], mig.empty() ? "" : mig[i]});
  lo.prefix = o.prefix;
  lo.allow_real = o.allow_real;
  lo.dry_run = o.dry_run;
  lo.shutdown_timeout = o.shutdown_timeout;
  if (!o.domain_xml.empty()) {
    if (!fs::is_regular_file(o.domain_xml))
      throw CliError(fmt::format("--domain-xml: cannot open {}", o.domain_xml));
    lo.domain_xml = slurp(o.domain_xml);
    if (lo.domain_xml.find("<domain") == std::string::npos)
      throw CliError(fmt::format("--domain-xml: {} has no <domain> element", o.domain_xml));
  }
  std::unique_ptr<bk::LibvirtBackend> real;
  try {
    real = std::make_unique<bk::LibvirtBackend>(lo);
  } catch (const InputError& e) {
    throw CliError(fmt::format("{}: {}", e.where(), e.message()));
  }

  // The simulated run: the scenario as the model plans it.
  bk::SimulatedBackend world;
  bk::Recording sim_rec{world};
  std::vector<bk::StateChange> sim_states;
  bk::RunMarks sim_runs{sim_rec, sim_states};
  sim_runs.subscribe(bk::record_states(sim_runs, sim_states));
  sim::RunOptions ro;
  ro.seed = o.seed;
  ro.progress = false;
  ro.workers = 1;
  ro.backend = &sim_runs;
  sim::OutputFiles sim_files;
  try {
    sim_files = sim::run_scenario(doc, ro);
  } catch (const InputError& e) {
    throw CliError(format_input_error(o.scenario, e));
  }

  // The simulated world has as many hosts as the scenario needs: check --connect before acting.
  if (!(uris.size() == 1 && bk::is_test_driver_uri(uris[0])) && world.host_count() > uris.size())
    throw CliError(fmt::format(
        "--connect: the scenario needs {} hosts but --connect names {} URI{}: give one URI "
        "per host (a single test:/// URI serves any number)",
        world.host_count(), uris.size(), uris.size() == 1 ? "" : "s"));

  // The real run, paced; stopped cleanly by Ctrl-C.
  bk::Pacing paced{*real, o.dry_run ? 0.0 : o.time_scale};  // a dry run has nothing to wait for
  bk::Recording real_rec{paced};
  std::vector<bk::StateChange> real_states;
  bk::RunMarks real_runs{real_rec, real_states};
  real_runs.subscribe(bk::record_states(real_runs, real_states));
  ro.backend = &real_runs;
  // Progress: long waits are announced (a real run at a slow time scale may take hours).
  paced.on_wait([&](Seconds wait, Seconds until) {
    if (wait >= 1)
      std::fprintf(
          stderr,
          "rejuv validate: %zu operations done; waiting %.1f s until simulated t = %.0f s\n",
          real_rec.log().size(), wait, until);
  });
  if (o.dry_run)
    std::fprintf(stderr, "rejuv validate: dry run of %s on %s: the calls follow on stdout\n",
                 o.scenario.c_str(), o.connect.c_str());
  else
    std::fprintf(stderr,
                 "rejuv validate: running %s on %s at time scale %g (Ctrl-C stops and cleans up)\n",
                 o.scenario.c_str(), o.connect.c_str(), o.time_scale);
  sim::OutputFiles real_files;
  const auto t0 = std::chrono::steady_clock::now();
  auto stop = [&](const std::string& why, int status) {
    for (const auto& line : real->cleanup())
      std::fprintf(stderr, "rejuv validate: cleanup: %s\n", line.c_str());
    throw CliError(why, status);
  };
  {
    bk::clear_interrupt();
    bk::InterruptGuard guard;  // signals reach this thread's handlers only where main() did not take them
    set_interrupt_delegate([](int sig) { bk::request_interrupt(sig); });
    struct Undelegate {
      ~Undelegate() { set_interrupt_delegate(nullptr); }
    } undelegate;
    try {
      real_files = sim::run_scenario(doc, ro);
    } catch (const bk::Interrupted&) {
      const int sig = bk::InterruptGuard::signal_received();
      stop(fmt::format("interrupted{}: the domains defined under {} were removed; nothing written",
                       sig ? fmt::format(" by signal {}", sig) : "", o.prefix),
           128 + (sig ? sig : 2));
    } catch (const InputError& e) {
      stop(format_input_error(o.scenario, e), 2);
    } catch (const bk::BackendFailure& e) {
      stop(fmt::format(
               "the scenario stopped on the real backend after {} operations: {}; nothing written",
               real_rec.log().size(), e.what()),
           1);
    } catch (const std::exception& e) {
      stop(fmt::format("the real run failed after {} operations: {}; nothing written",
                       real_rec.log().size(), e.what()),
           1);
    }
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  size_t removed = 0;
  for (const auto& line : real->cleanup()) {
    if (line.rfind("removed ", 0) == 0)
      ++removed;
    else
      std::fprintf(stderr, "rejuv validate: cleanup: %s\n", line.c_str());
  }
  if (o.dry_run) {
    std::fprintf(stderr,
                 "rejuv validate: dry run: %zu operations shown, nothing opened or written\n",
                 real_rec.log().size());
    return;
  }

  const json ops = bk::compare_logs(sim_rec.log(), real_rec.log());
  json compare = {
      {"scenario", o.scenario},
      {"kind", doc.value("kind", "")},
      {"connect", uris},
      {"prefix", o.prefix},
      {"measured_backend", real->kind()},
      {"simulated_backend", world.kind()},
      {"time_scale", o.time_scale},
      {"waited_s", paced.waited_s()},
      {"wall_s", wall_s},
      {"domains_removed", removed},
      {"_durations",
       "seconds; measured: each operation's wall-clock time on the real backend (emulated ones "
       "counted in "
       "'emulated'); simulated: the duration the scenario's model planned; statistics over the "
       "operations that "
       "worked"},
      {"operations", ops},
  };
  json runs = json::array();
  const auto sim_segments = sim_runs.runs(run_labels(doc)),
             real_segments = real_runs.runs(run_labels(doc));
  for (size_t k = 0; k < std::max(sim_segments.size(), real_segments.size()); ++k) {
    const auto& seg = k < real_segments.size() ? real_segments[k] : sim_segments[k];
    auto count = [&](const std::vector<bk::RunSegment>& v) {
      return k < v.size() ? v[k].log_end - v[k].log_begin : 0;
    };
    runs.push_back({{"label", seg.label},
                    {"simulated_operations", count(sim_segments)},
                    {"measured_operations", count(real_segments)},
                    {"curve_set", fmt::format("measured/curves/{}", seg.label)}});
  }
  compare["runs"] = runs;
  const std::string table = render_comparison(ops);

  const fs::path out = o.out;
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec)
    throw CliError(fmt::format("{}: cannot create the output folder: {}", o.out, ec.message()));
  // Each side: the scenario's own files, the operation log, and one curve set per run.
  const auto labels = run_labels(doc);
  const double share = per_domain_throughput(doc);
  auto write_side = [&](const char* side, const bk::Recording& rec,
                        const std::vector<bk::StateChange>& states, const bk::RunMarks& marks,
                        const sim::OutputFiles& files) {
    const fs::path dir = out / side;
    const auto runs = marks.runs(labels);
    for (const auto& run : runs) {
      const auto [log, changes] = bk::slice(rec.log(), states, run);
      const auto cs = bk::curve_set(log, changes, share);
      fs::create_directories(dir / "curves" / run.label, ec);
      if (ec)
        throw CliError(fmt::format("{}: cannot create {}: {}", o.out,
                                   (dir / "curves" / run.label).string(), ec.message()));
      write_atomic(dir / "curves" / run.label / "throughput.csv", cs.throughput_csv);
      write_atomic(dir / "curves" / run.label / "events.csv", cs.events_csv);
    }
    write_atomic(dir / "operations.csv", bk::operations_csv(rec.log(), runs));
    for (const auto& [name, content] : files) write_atomic(dir / name, content);
  };
  write_side("simulated", sim_rec, sim_states, sim_runs, sim_files);
  write_side("measured", real_rec, real_states, real_runs, real_files);
  write_atomic(out / "compare.txt", table);
  write_atomic(out / "compare.json",
               compare.dump(2) + "\n");  // last: its presence means the rest is there
  std::fputs(table.c_str(), stdout);
  std::fprintf(stderr,
               "rejuv validate: %zu operations on %s (%s), %zu simulated; waited %.3f s, %.3f s in "
               "all; removed %zu "
               "domains; wrote %s\n",
               real_rec.log().size(), o.connect.c_str(), real->kind().c_str(), sim_rec.log().size(),
               paced.waited_s(), wall_s, removed, (out / "compare.json").c_str());
}

#else

void validate(const ValidateOptions&) {
  throw CliError(
      "rejuv validate needs the libvirt backend, and this rejuv was built without it: install "
      "libvirt-dev and "
      "pkg-config (tools/install-deps does), then configure again");
}

#endif

}  // namespace

void add_validate_command(CLI::App& app) {
  auto o = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand("validate",
                                     "Run a scenario's operations on real virtualisation (libvirt) "
                                     "and compare them with the simulation");
  cmd->footer(
      "Example (libvirt's in-process test driver, no daemon, nothing real touched):\n"
      "  rejuv validate scenarios/validate-test-driver.json --connect test:///default \\\n"
      "      --out out/validate\n"
      "Writes compare.json and compare.txt (per operation: simulated and measured count, mean,\n"
      "p50, p95, failures, unsupported, emulated), and measured/ and simulated/, each with the\n"
      "scenario's own files, operations.csv and curves/<run>/ (a curve set per strategy:\n"
      "throughput.csv derived from domain states, events.csv).\n"
      "Only domains named PREFIX… are created and touched; all are removed at the end, on\n"
      "errors and on Ctrl-C. URIs other than test:///… need --allow-real; --dry-run first.");
  cmd->add_option("scenario", o->scenario, "Scenario file (JSON) with a \"kind\"")->required();
  cmd->add_option("--connect", o->connect,
                  "libvirt URI per host, comma-separated (one test:/// URI serves any number)")
      ->required();
  cmd->add_option("--out", o->out, "Output folder (created if missing)");
  cmd->add_option(
      "--time-scale", o->time_scale,
      "Wall-clock seconds per simulated second of waiting between operations (operations are not "
      "scaled); default 1e-5: a simulated day waits 0.864 s");
  cmd->add_flag("--allow-real", o->allow_real,
                "Allow URIs other than libvirt's test driver (real hosts)");
  cmd->add_flag("--dry-run", o->dry_run,
                "Print the libvirt calls the run would make; open nothing, write nothing");
  cmd->add_option("--prefix", o->prefix,
                  "Prefix of every domain name the run creates and touches (default rejuv-)");
  cmd->add_option("--seed", o->seed, "Override the scenario's seed");
  cmd->add_option("--domain-xml", o->domain_xml,
                  "Domain XML for real hosts ({name}, {memory_kib}, {vcpus} filled in); default: a "
                  "diskless domain");
  cmd->add_option(
      "--migration-uri", o->migration_uris,
      "Per host, comma-separated: where migrations to it go (e.g. tcp://127.0.0.1:49152)");
  cmd->add_option(
      "--shutdown-timeout", o->shutdown_timeout,
      "Seconds a guest gets to power off before a cold host reboot destroys it (default 120)");
  cmd->callback([o] { validate(*o); });
}

}  // namespace rejuv::cli
