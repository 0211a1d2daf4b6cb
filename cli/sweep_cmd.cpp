// `rejuv sweep`: a scenario over the cross product of parameter values, on every local core.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "models/input_error.hpp"
#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

namespace rejuv::cli {

namespace {

struct SweepOptions {
  std::string scenario, out;
  std::vector<std::string> sets;
  unsigned jobs = 0;
};

void sweep(const SweepOptions& o) {
  std::string csv;
  const unsigned workers = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  const auto start = std::chrono::steady_clock::now();
  bool printed = false;
  try {
    std::vector<sim::SweepAxis> axes;
    for (const auto& s : o.sets) axes.push_back(sim::parse_sweep_axis(s));
    const nlohmann::json doc = sim::read_scenario(o.scenario);
    const auto& kind = require_key(doc, "kind", "");
    if (kind != "rejuvenation")
      throw InputError("/kind", fmt::format("rejuv sweep runs \"rejuvenation\" scenarios, got {}", describe(kind)));
    csv = sim::run_sweep(doc, axes, workers, [&](size_t done, size_t total) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (elapsed < 1.0 && done < total) return;
      printed = true;
      const double eta = elapsed / double(done) * double(total - done);
      std::fprintf(stderr, "\rrejuv sweep: %zu/%zu points, %.1f s elapsed, ETA %.1f s   ", done, total, elapsed, eta);
    });
  } catch (const InputError& e) {
    if (printed) std::fputc('\n', stderr);
    if (e.where() == "--set") throw CliError(fmt::format("--set: {}", e.message()));
    throw CliError(format_input_error(o.scenario, e));
  }
  if (printed) std::fputc('\n', stderr);
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) throw CliError(fmt::format("{}: cannot create the output folder: {}", o.out, ec.message()));
  const auto file = std::filesystem::path(o.out) / "sweep.csv";
  write_atomic(file, csv);
  std::fprintf(stderr, "rejuv sweep: wrote %s (%u workers)\n", file.c_str(), workers);
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto o = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand("sweep", "Run a scenario over the cross product of --set values, on every core");
  cmd->footer(
      "Example (where does one spare stop keeping up?):\n"
      "  rejuv sweep scenarios/spare-saturation.json --set hosts=2000,4000,6000,6300,6400,8000 --out out/sat\n"
      "KEY is a top-level key or a path (warm/downtime); values are JSON (1000, \"41s\") or bare text (41s).\n"
      "Writes OUT/sweep.csv: one row per point and strategy, with the point's derived seed.");
  cmd->add_option("scenario", o->scenario, "Scenario file (JSON), kind \"rejuvenation\"")->required();
  cmd->add_option("--set", o->sets, "KEY=V1,V2,… (repeatable; the cross product is swept)")->required();
  cmd->add_option("--out", o->out, "Output folder (created if missing)")->required();
  cmd->add_option("--jobs", o->jobs, "Worker threads (default: every core)");
  cmd->callback([o] { sweep(*o); });
}

}  // namespace rejuv::cli
