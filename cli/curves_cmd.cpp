// `rejuv curves`: SIMULATED curve sets from a parameter file (fitting/synthetic_curves), the
// throughput a host would show if seed 003's model held exactly, with seeded noise; `rejuv fit`
// reads them back. --table writes Table 1's curves evaluated at i = 1..n instead.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "fitting/parameter_fit.hpp"
#include "fitting/synthetic_curves.hpp"
#include "models/input_error.hpp"

namespace rejuv::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CurvesOptions {
  std::string params, kind, out;
  unsigned long long seed = 1;
  double noise = 0.01;
  std::string dt;
  bool table = false;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One kind's set into `dir`. Reboot kinds sample every second, migration kinds every 0.5 s (a
// move of VM i lasts M(i) ≈ 12 s), unless --dt says otherwise.
void write_kind(const fs::path& dir, fitting::FitKind kind, const Params& p, const CurvesOptions& o,
                uint64_t seed) {
  fitting::SyntheticOptions so;
  so.noise = o.noise;
  so.seed = seed;
  using fitting::FitKind;
  const bool migration = kind == FitKind::Migration || kind == FitKind::Live || kind == FitKind::LiveRateControl;
  so.dt = migration ? 0.5 : 1;
  if (!o.dt.empty()) {
    try {
      so.dt = parse_duration_text(o.dt, "--dt", true);
    } catch (const InputError& e) {
      throw CliError(e.what());
    }
  }
  const double hp = p.host_throughput;
  const int n = p.vms_per_host;
  switch (kind) {
    case FitKind::Warm: fitting::write_reboot_set(dir, fitting::RebootKind::Warm, p.warm, hp, n, so); break;
    case FitKind::Cold: fitting::write_reboot_set(dir, fitting::RebootKind::Cold, p.cold, hp, n, so); break;
    case FitKind::Os:
      // The other VMs lose δ while vm1 reboots; the fit reads R_os back as (n − 1)·D_os (§4.1).
      fitting::write_reboot_set(dir, fitting::RebootKind::Os, {p.os.downtime, 0, p.os.degradation}, hp, n, so);
      break;
    case FitKind::Migration:
      fitting::write_migration_set(dir, fitting::MigrationKind::Migration, n, hp, p.migration.curves, so);
      break;
    case FitKind::Live:
      fitting::write_migration_set(dir, fitting::MigrationKind::Live, n, hp, p.live.curves, so);
      break;
    case FitKind::LiveRateControl:
      fitting::write_migration_set(dir, fitting::MigrationKind::LiveRateControl, n, hp,
                                   p.live_rate_control.curves, so);
      break;
  }
}

std::string cell(const std::optional<Curve>& c, int i) {
  if (!c || !c->covers(i)) return "";
  return fmt::format("{:.6g}", (*c)(i));
}

void write_table(const fs::path& dir, const Params& p) {
  const std::pair<const char*, const MigrationCurves*> rows[] = {
      {"migration", &p.migration.curves}, {"live", &p.live.curves}, {"live_rate_control", &p.live_rate_control.curves}};
  for (const auto& [name, c] : rows) {
    std::string csv = "i,V_s,V_m,V_d,M\n";
    for (int i = 1; i <= p.vms_per_host; ++i)
      csv += fmt::format("{},{},{},{},{}\n", i, cell(c->V_s, i), cell(c->V_m, i), cell(c->V_d, i), cell(c->M, i));
    std::ofstream(dir / (std::string(name) + ".csv")) << csv;
  }
}

void run_curves(const CurvesOptions& o) {
  if (!(o.noise >= 0)) throw CliError(fmt::format("--noise: expected a fraction ≥ 0, got {}", o.noise));
  if (o.table == !o.kind.empty()) throw CliError("curves: give --kind K (a curve set) or --table (Table 1's points)");
  const Params p = load_params_file(o.params);
  std::vector<fitting::FitKind> kinds;
  if (o.kind == "all") {
    kinds.assign(std::begin(fitting::kFitKinds), std::end(fitting::kFitKinds));
  } else if (!o.table) {
    auto k = fitting::parse_fit_kind(o.kind);
    if (!k)
      throw CliError(fmt::format(
          "--kind: expected warm, cold, os, migration, live, live_rate_control or all, got \"{}\"", o.kind));
    kinds.push_back(*k);
  }
  // Everything goes to a temporary folder beside --out first, then file by file into place.
  const fs::path out = o.out;
  const fs::path tmp = (out.parent_path().empty() ? fs::path(".") : out.parent_path()) /
                       fmt::format(".{}.tmp-{}", out.filename().string(), ::getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) throw CliError(fmt::format("{}: cannot create a folder: {}", tmp.string(), ec.message()));
  try {
    if (o.table) {
      write_table(tmp, p);
    } else if (o.kind == "all") {
      // Kind k (in the order warm, cold, os, migration, live, live_rate_control) uses seed S + k.
      for (size_t k = 0; k < kinds.size(); ++k)
        write_kind(tmp / std::string(fitting::name(kinds[k])), kinds[k], p, o, o.seed + k);
      const json base = {{"_about", "Top-level keys for rejuv fit --suite (not in the curves)"},
                         {"hosts", p.hosts}, {"T_vmm", p.T_vmm}, {"T_os", p.T_os}, {"spares", p.spares}};
      std::ofstream(tmp / "base.json") << base.dump(2) << "\n";
    } else {
      write_kind(tmp, kinds.front(), p, o, o.seed);
    }
    for (const auto& e : fs::recursive_directory_iterator(tmp)) {
      if (!e.is_regular_file()) continue;
      const fs::path dest = out / fs::relative(e.path(), tmp);
      fs::create_directories(dest.parent_path());
      write_atomic(dest, slurp(e.path()));
    }
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  fs::remove_all(tmp, ec);
  const std::string what = o.table ? fmt::format("Table 1's curves of {} at i = 1..n", o.params)
                                   : fmt::format("SIMULATED from {}, seed {}, noise {}", o.params, o.seed, o.noise);
  std::fprintf(stderr, "rejuv curves: wrote %s (%s)\n", o.out.c_str(), what.c_str());
}

}  // namespace

void add_curves_command(CLI::App& app) {
  auto o = std::make_shared<CurvesOptions>();
  CLI::App* cmd = app.add_subcommand("curves", "Write SIMULATED curve sets (or Table 1's points) from a parameter file");
  cmd->footer(
      "A curve set is what rejuv fit reads: throughput.csv and events.csv, as the model says a host\n"
      "would behave, with additive Gaussian noise of sd NOISE × the series' baseline.\n"
      "--kind all writes warm/ cold/ os/ migration/ live/ live_rate_control/ (kind k with seed S + k)\n"
      "and base.json: a suite for `rejuv fit --suite DIR`. --table writes migration.csv, live.csv,\n"
      "live_rate_control.csv: i,V_s,V_m,V_d,M from the file's Table 1 curves.\n"
      "Examples:\n"
      "  rejuv curves data/kourai2007.json --kind all --out data/curves --seed 2007 --noise 0.01\n"
      "  rejuv curves data/kourai2007.json --table --out data/table1");
  cmd->add_option("params", o->params, "Parameter file")->required();
  cmd->add_option("--kind", o->kind, "warm, cold, os, migration, live, live_rate_control or all");
  cmd->add_flag("--table", o->table, "Write Table 1's curves at i = 1..n instead of curve sets");
  cmd->add_option("--out", o->out, "Folder to write")->required();
  cmd->add_option("--seed", o->seed, "Noise seed (default 1)");
  cmd->add_option("--noise", o->noise, "Noise sd as a fraction of each series' baseline (default 0.01)");
  cmd->add_option("--dt", o->dt, "Sampling interval (default 1s for reboots, 0.5s for migrations)");
  cmd->callback([o] { run_curves(*o); });
}

}  // namespace rejuv::cli
