// `rejuv run`: runs a scenario file and writes its output files atomically into a folder.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/output_folder.hpp"
#include "cli/run_tables.hpp"
#include "models/input_error.hpp"
#include "sim/scenario.hpp"

namespace rejuv::cli {

namespace {

struct RunCmdOptions {
  std::string scenario, out;
  std::optional<uint64_t> seed;
  bool quiet = false;
  bool stats = false;
};

void run(const RunCmdOptions& o) {
  sim::OutputFiles files;
  std::string stats;
  try {
    sim::RunOptions ro;
    ro.seed = o.seed;
    ro.progress = !o.quiet;
    if (o.stats) ro.stats = &stats;
    files = sim::run_scenario(sim::read_scenario(o.scenario), ro);
  } catch (const InputError& e) {
    throw CliError(format_input_error(o.scenario, e));
  }
  OutputFolder out(o.out);
  for (const auto& [name, content] : files) out.stage(name, content);
  out.commit();
  // A short table of the results on stdout; the files hold everything.
  for (const auto& [name, content] : files)
    if (name == "summary.json") std::fputs(run_table(nlohmann::json::parse(content)).c_str(), stdout);
  if (o.stats) std::fputs(("\n" + stats).c_str(), stdout);
  std::fprintf(stderr, "rejuv run: wrote");
  for (const auto& [name, _] : files) std::fprintf(stderr, " %s", (std::filesystem::path(o.out) / name).c_str());
  std::fprintf(stderr, "\n");
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunCmdOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a scenario file (the simulator); write summary.json and timeline.csv");
  cmd->footer(
      "Example (the paper's cluster, all five strategies, one simulated year):\n"
      "  rejuv run scenarios/kourai2007-cluster.json --out out/kourai2007\n"
      "summary.json has one result per strategy (index, availability, mean_throughput, events,\n"
      "late_rejuvenations, max_lateness_s, the closed form beside it, ci95 with replications > 1);\n"
      "timeline.csv has time_s,strategy,throughput. Both are simulated data.\n"
      "Autoscale scenarios (seed 004 §5: Ciel against VM-level scale-out, pools, FlexCapsule):\n"
      "  rejuv run scenarios/ciel-apache.json --out out/ciel\n"
      "write scale_out_s and its parts, cpu_s, peak_memory_mib, cost, unserved_request_s, … per\n"
      "strategy, and timeline.csv as time_s,strategy,metric,subject,value (README, Autoscale scenarios).");
  cmd->add_option("scenario", o->scenario, "Scenario file (JSON) with a \"kind\"")->required();
  cmd->add_option("--out", o->out, "Output folder (created if missing)")->required();
  cmd->add_option("--seed", o->seed, "Override the scenario's seed");
  cmd->add_flag("--quiet", o->quiet, "No progress line on stderr");
  cmd->add_flag("--stats", o->stats, "Also print the events and the memory each run held (bytes per VM and per host)");
  cmd->callback([o] { run(*o); });
}

}  // namespace rejuv::cli
