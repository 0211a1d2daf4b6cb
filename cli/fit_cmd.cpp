// `rejuv fit`: measured throughput curves → parameters (seed 003 §4: figures 3–6 → §4's values and
// Table 1). One curve set gives one kind's object; a suite gives a complete parameter file.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "fitting/parameter_fit.hpp"
#include "fitting/uncertainty.hpp"
#include "models/input_error.hpp"
#include "models/units.hpp"

namespace rejuv::cli {

namespace {

using nlohmann::json;

struct FitCmdOptions {
  std::string dir, suite, kind, out, report, base;
  int vms = 0;
  std::string baseline_window = "60s", hold = "30s";
  double recovery_fraction = 0.10, band = 0.95;
  int smooth = 5;
  int bootstrap = 0;
  unsigned long long seed = 1;
  std::vector<long long> hosts;
  bool quiet = false;
};

fitting::FitOptions fit_options(const FitCmdOptions& o) {
  fitting::FitOptions f;
  try {
    f.reboot.baseline_window = parse_duration_text(o.baseline_window, "--baseline-window", true);
    f.reboot.hold = parse_duration_text(o.hold, "--hold");
  } catch (const InputError& e) {
    throw CliError(e.what());
  }
  if (!(o.recovery_fraction > 0 && o.recovery_fraction < 1))
    throw CliError(fmt::format("--recovery-fraction: expected a fraction in (0, 1), got {}",
                               o.recovery_fraction));
  if (!(o.band > 0 && o.band <= 1))
    throw CliError(fmt::format("--band: expected a fraction in (0, 1], got {}", o.band));
  if (o.smooth < 1)
    throw CliError(fmt::format("--smooth: expected an integer ≥ 1, got {}", o.smooth));
  f.reboot.recovery_fraction = o.recovery_fraction;
  f.reboot.band = o.band;
  f.reboot.smooth = o.smooth;
  f.reboot.vms = o.vms;
  f.migration.baseline_window = f.reboot.baseline_window;
  return f;
}

json load_base(const std::string& file) {
  try {
    json b = load_json(file);
    if (!b.is_object()) throw InputError("/", "expected a JSON object of parameters");
    return b;
  } catch (const InputError& e) {
    throw CliError(format_input_error(file, e));
  }
}

void add_bootstrap(const FitCmdOptions& o, const json& params,
                   const std::vector<fitting::KindFit>& fits, json& report) {
  if (o.bootstrap <= 0) return;
  std::vector<fitting::MigrationFit> mfits;
  for (const auto& f : fits)
    if (f.migration) mfits.push_back(*f.migration);
  if (mfits.empty()) throw CliError("--bootstrap: there is no migration curve set to resample");
  fitting::BootstrapOptions b;
  b.replicates = o.bootstrap;
  b.seed = o.seed;
  b.hosts = o.hosts;
  report["bootstrap"] = to_json(fitting::bootstrap(parse_params(params), mfits, b));
}

void run_fit(const FitCmdOptions& o) {
  if (o.suite.empty() == o.dir.empty())
    throw CliError("fit: give one curve-set folder DIR (with --kind) or --suite DIR");
  if (o.bootstrap < 0)
    throw CliError(
        fmt::format("--bootstrap: expected a number of resamples ≥ 0, got {}", o.bootstrap));
  const fitting::FitOptions fo = fit_options(o);
  const json base = o.base.empty() ? json::object() : load_base(o.base);
  json params, report;
  try {
    if (!o.suite.empty()) {
      if (!o.kind.empty())
        throw CliError("--kind: not with --suite (each subfolder is named for its kind)");
      fitting::SuiteFit s = fitting::fit_suite(o.suite, base, fo);
      params = s.params;
      report = s.report;
      add_bootstrap(o, params, s.fits, report);
    } else {
      if (o.kind.empty())
        throw CliError(
            "fit: --kind is required with a single curve set (warm, cold, os, migration, live, "
            "live_rate_control)");
      auto kind = fitting::parse_fit_kind(o.kind);
      if (!kind)
        throw CliError(fmt::format(
            "--kind: expected warm, cold, os, migration, live or live_rate_control, got \"{}\"",
            o.kind));
      fitting::KindFit k = fitting::fit_kind(o.dir, *kind, fo);
      report = k.report;
      if (o.base.empty()) {
        params = k.fragment;
        if (o.bootstrap > 0)
          throw CliError("--bootstrap: needs a complete parameter file; give --base PARAMS.json");
      } else {
        params = base;
        params[std::string(fitting::name(*kind))] = k.fragment[std::string(fitting::name(*kind))];
        try {
          parse_params(params);
        } catch (const InputError& e) {
          throw CliError(format_input_error(o.base, e));
        }
        add_bootstrap(o, params, {k}, report);
      }
    }
  } catch (const InputError& e) {
    // Every place from the fitting layer names its file ("…/throughput.csv:5:3").
    throw CliError(format_input_error(o.suite.empty() ? o.dir : o.suite, e));
  }
  const std::string table = fitting::render_report(report);
  // Nothing is written until everything is fitted; each file appears whole or not at all.
  if (!o.report.empty()) write_atomic(o.report, report.dump(2) + "\n");
  write_atomic(o.out, params.dump(2) + "\n");
  if (!o.quiet) std::fputs(table.c_str(), stdout);
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto o = std::make_shared<FitCmdOptions>();
  CLI::App* cmd = app.add_subcommand("fit", "Fit model parameters to measured throughput curves");
  cmd->footer(
      "A curve set is a folder with throughput.csv (time_s, then host, vm1…vmN, src, dst) and "
      "events.csv\n"
      "(time_s,event,subject: vmm_reboot_start, os_reboot_start, migration_start/migration_end of "
      "vmK).\n"
      "Examples:\n"
      "  rejuv fit curves/warm --kind warm --out warm.json --report warm-fit.json\n"
      "  rejuv fit --suite curves --base data/kourai2007.json --out params.json --bootstrap 200 "
      "--hosts 1000\n"
      "A single kind writes its object ({\"warm\": {...}}), or with --base the base file with that "
      "object\n"
      "replaced. A suite holds warm/, cold/, os/, migration/, live/, live_rate_control/ and "
      "base.json.\n"
      "The readable report goes to stdout; --report writes it as JSON.");
  cmd->add_option("dir", o->dir, "One curve-set folder");
  cmd->add_option("--suite", o->suite,
                  "A folder of curve sets, one subfolder per kind, and base.json");
  cmd->add_option("--kind", o->kind, "warm, cold, os, migration, live or live_rate_control");
  cmd->add_option("--out", o->out, "Parameter file to write (atomically)")->required();
  cmd->add_option("--report", o->report, "Also write the fit report as JSON");
  cmd->add_option("--base", o->base,
                  "Parameter file supplying what the curves do not (hosts, T_vmm, T_os, …)");
  cmd->add_option("--vms", o->vms, "n for an os fit (default: the number of vmK columns)");
  cmd->add_option("--baseline-window", o->baseline_window,
                  "Baseline: median over this long before the event (default 60s)");
  cmd->add_option("--recovery-fraction", o->recovery_fraction,
                  "Down until above this fraction of baseline (default 0.1)");
  cmd->add_option("--band", o->band,
                  "Degraded until at or above this fraction of baseline … (default 0.95)");
  cmd->add_option("--hold", o->hold, "… for this long (default 30s)");
  cmd->add_option("--smooth", o->smooth,
                  "Running-median width in samples used to find edges (default 5)");
  cmd->add_option("--bootstrap", o->bootstrap,
                  "Residual-bootstrap resamples for 95 % intervals (default 0: none)");
  cmd->add_option("--seed", o->seed, "Bootstrap seed (default 1)");
  cmd->add_option("--hosts", o->hosts,
                  "Host counts for the index intervals (default: the file's hosts)");
  cmd->add_flag("--quiet", o->quiet, "Print nothing on success");
  cmd->callback([o] { run_fit(*o); });
}

}  // namespace rejuv::cli
