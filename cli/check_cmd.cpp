// `rejuv check`: the closed forms on a parameter file against an expectation file, for CI: a change
// to the formulas or to the parameters that moves any result beyond its tolerance exits 1. The
// expectation file's format, and how --update rewrites it, are described in cli/expectation.hpp.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/expectation.hpp"
#include "cli/output.hpp"
#include "models/input_error.hpp"
#include "models/throughput.hpp"

namespace rejuv::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CheckOptions {
  std::string params, expect;
  bool update = false;
};

// --- Comparing ---------------------------------------------------------------------------------

struct Report {
  std::vector<std::vector<std::string>> rows;
  int total = 0, drift = 0, recorded_new = 0;

  void add(std::string key, std::string expected, std::string got, std::string difference,
           std::string tolerance, const char* status) {
    ++total;
    if (std::string(status) == "DRIFT") ++drift;
    if (std::string(status) == "NEW") ++recorded_new;
    rows.push_back({std::move(key), std::move(expected), std::move(got), std::move(difference),
                    std::move(tolerance), status});
  }

  // |got − expected| ≤ tolerance, or relative to |expected| for a throughput.
  void number(const std::string& key, const Entry& e, double got, double file_tolerance,
              bool relative) {
    const double tol = e.tolerance.value_or(file_tolerance);
    const std::string tol_text = fmt::format("{:g}{}", tol, relative ? " rel" : "");
    if (!e.value) return add(key, "(none)", fmt::format("{:.12g}", got), "", tol_text, "NEW");
    double diff = got - *e.value;
    if (relative && *e.value != 0) diff /= std::abs(*e.value);
    const bool ok = std::abs(diff) <= tol;  // false for NaN
    add(key, fmt::format("{:.12g}", *e.value), fmt::format("{:.12g}", got),
        fmt::format("{:+.3e}{}", diff, relative ? " rel" : ""), tol_text, ok ? "OK" : "DRIFT");
  }
};

std::string hosts_text(std::optional<long long> m) { return m ? fmt::format("{}", *m) : "never"; }

Report compare(const Expectation& x, const std::array<Computed, kStrategies.size()>& got,
               const std::vector<std::optional<long long>>& crossovers, const Params& p) {
  Report r;
  for (Strategy s : strategies_present(p)) {
    const StrategyExpectation& e = x.strategies[slot(s)];
    const Computed& c = got[slot(s)];
    const std::string at = fmt::format("/strategies/{}", name(s));
    r.number(at + "/availability", e.availability, c.availability, x.tol.availability, false);
    if (c.gamma) r.number(at + "/gamma", e.gamma, *c.gamma, x.tol.gamma, false);
    for (long long m : x.hosts) {
      r.number(fmt::format("{}/index/{}", at, m), entry_for(e.index, m), c.index.at(m), x.tol.index,
               false);
      r.number(fmt::format("{}/throughput/{}", at, m), entry_for(e.throughput, m),
               c.throughput.at(m), x.tol.throughput, true);
    }
  }
  for (size_t k = 0; k < x.crossovers.size(); ++k) {
    const CrossoverExpectation& e = x.crossovers[k];
    if (!has_block(p, e.strategy) || !has_block(p, e.versus)) continue;
    const std::optional<long long> m = crossovers[k];
    const double tol = e.tolerance.value_or(x.tol.crossover_hosts);
    const std::string key =
        fmt::format("/crossovers/{}/hosts ({} over {})", k, name(e.strategy), name(e.versus));
    if (!e.recorded) {
      r.add(key, "(none)", hosts_text(m), "", fmt::format("{:g}", tol), "NEW");
    } else if (!e.hosts || !m) {
      r.add(key, hosts_text(e.hosts), hosts_text(m), "", fmt::format("{:g}", tol),
            e.hosts == m ? "OK" : "DRIFT");
    } else {
      const long long diff = *m - *e.hosts;
      r.add(key, hosts_text(e.hosts), hosts_text(m), fmt::format("{:+}", diff),
            fmt::format("{:g}", tol), std::abs(double(diff)) <= tol ? "OK" : "DRIFT");
    }
  }
  return r;
}

// --- The command -------------------------------------------------------------------------------

void run_check(const CheckOptions& o) {
  const Params p = load_params_file(o.params);
  StrategiesPresent present{};
  for (Strategy s : kStrategies) present[slot(s)] = has_block(p, s);
  Expectation x;
  const bool create = o.update && !fs::exists(o.expect);
  try {
    x = read_expectation(create ? json::object() : load_json(o.expect), o.update, present);
  } catch (const InputError& e) {
    throw CliError(format_input_error(o.expect, e));
  }

  const std::array<Computed, kStrategies.size()> got = compute_now(p, x.hosts, present);
  std::vector<std::optional<long long>> crossovers;
  for (const auto& c : x.crossovers)  // a pair with a strategy left out keeps what was recorded
    crossovers.push_back(has_block(p, c.strategy) && has_block(p, c.versus) ? crossover(p, c.strategy, c.versus) : c.hosts);

  const Report r = compare(x, got, crossovers, p);
  std::string out = fmt::format("rejuv check: {} against {}\n", o.params, o.expect);
  if (const auto left = strategies_left_out(p); !left.empty()) {
    std::string names;
    for (Strategy s : left) names += (names.empty() ? "" : ", ") + std::string(name(s));
    out += fmt::format("left out: {} (no block in {}; not checked)\n", names, o.params);
  }
  out += render_table({"key", "expected", "got", "difference", "tolerance", "status"}, r.rows);
  if (o.update) {
    write_atomic(o.expect, updated_expectation(x, got, crossovers, params_reference(o.params, o.expect), present));
    out += fmt::format("{} {}: {} values recorded ({} drifted, {} new)\n",
                       create ? "created" : "updated", o.expect, r.total, r.drift, r.recorded_new);
    emit(out, "");
    return;
  }
  if (r.drift == 0) {
    out += fmt::format("all {} values within tolerance\n", r.total);
    emit(out, "");
    return;
  }
  out += fmt::format("{} of {} values DRIFT beyond their tolerance\n", r.drift, r.total);
  emit(out, "");
  throw CliError(
      fmt::format("{}: {} of {} values drift beyond their tolerance (if the change is intended, "
                  "rerun with --update)",
                  o.expect, r.drift, r.total),
      1);
}

}  // namespace

void add_check_command(CLI::App& app) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check",
                                     "Compare every strategy's index, availability, γ, throughput "
                                     "and the crossovers with an expectation file");
  cmd->footer(
      "Exit status: 0 every value within its tolerance (or --update done), 1 drift, 2 bad input.\n"
      "One line per value: its key (a JSON pointer into the expectation file), expected, got,\n"
      "difference, tolerance, and OK or DRIFT. The expectation format is described at the top of\n"
      "cli/expectation.hpp.\n\n"
      "Example (what this project's CI runs):\n"
      "  rejuv check data/kourai2007.json --expect data/kourai2007.expect.json\n"
      "After an intended change, record the new values (tolerances, host counts, comments kept):\n"
      "  rejuv check data/kourai2007.json --expect data/kourai2007.expect.json --update");
  cmd->add_option("params", o->params, "Parameter file (JSON)")->required();
  cmd->add_option("--expect", o->expect, "Expectation file (JSON)")->required();
  cmd->add_flag("--update", o->update,
                "Rewrite the expectation file with the values computed now (atomically)");
  cmd->callback([o] { run_check(*o); });
}

}  // namespace rejuv::cli
