// `rejuv plan`: the best rejuvenation schedule of each strategy under aging, the winner, the host
// counts where the winner changes, from a parameter file or a rejuvenation scenario and an aging
// model or observed crash times (models/aging.hpp, models/optimal.hpp, models/ttt.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/plan_compute.hpp"
#include "models/input_error.hpp"
#include "plots/plan_figures.hpp"

namespace rejuv::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct PlanOptions {
  std::string file, aging, crash_times, out, objective = "index", horizon;
  std::vector<long long> hosts;
  std::optional<double> min_availability, request_price, spare_price;
  int spares_max = 0, confirm = 0, bootstrap = 200;
  uint64_t seed = 1;
  bool quiet = false;
};

json seconds_or_never(Seconds s) { return std::isinf(s) ? json(nullptr) : json(s); }

std::string index_text(double x) { return fmt::format("{:.8f}", x); }

json interval_json(const fitting::Interval& iv) {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"estimate_s", opt(iv.estimate)}, {"lo_s", opt(iv.lo)}, {"hi_s", opt(iv.hi)},
          {"never_fraction", iv.never_fraction}};
}

std::string interval_text(const fitting::Interval& iv) {
  auto d = [](const std::optional<double>& v) { return v ? duration_text(*v) : std::string("never"); };
  return fmt::format("95 % bootstrap interval {} to {}", d(iv.lo), d(iv.hi));
}

std::string law_text(const std::optional<AgingLaw>& law, const std::optional<LawSource>& src, Seconds detection) {
  if (!law) return "none";
  std::string s = fmt::format("{} ({}, hazard {})", law->describe(), src ? src->where : "?", name(law->hazard()));
  if (detection > 0) s += fmt::format(", crashes found after {}", duration_text(detection));
  return s;
}

std::string render_table_text(const PlanInputs& in, const Plan& plan, const PlanOptions& o, const PlanRequest& r) {
  std::string out = fmt::format("rejuv plan: {}, objective {}{}\n", o.file, o.objective,
                                o.min_availability ? fmt::format(", availability ≥ {}", *o.min_availability) : "");
  out += fmt::format("aging: VMM {}\n       OS  {}\n", law_text(in.aging.vmm, in.vmm, in.aging.vmm_detection),
                     law_text(in.aging.os, in.os, in.aging.os_detection));
  const auto left = strategies_left_out(in.params);
  if (!left.empty()) {
    std::string names;
    for (Strategy s : left) names += (names.empty() ? "" : ", ") + std::string(name(s));
    out += fmt::format("left out: {} (no block in {})\n", names, o.file);
  }
  for (size_t h = 0; h < r.hosts.size(); ++h) {
    const long long m = r.hosts[h];
    out += fmt::format("\n{} hosts\n", m);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::pair<std::string, std::vector<std::string>>> notes;  // a note and the strategies it is about
    for (const auto& row : plan.rows) {
      if (row.hosts != m) continue;
      const Candidate& c = plan.candidates[row.candidate];
      const StrategyPlan& p = row.plan;
      rows.push_back({c.label, duration_text(p.T_vmm), duration_text(p.T_os), fmt::format("{}", p.spares),
                      index_text(p.index), index_text(p.terms.availability),
                      r.has_prices ? fmt::format("{:.2f}", p.cost_per_hour) : "-", index_text(row.index_at_file),
                      index_text(row.paper_index)});
      for (const auto& n : row.notes) {
        auto it = std::find_if(notes.begin(), notes.end(), [&](const auto& x) { return x.first == n; });
        if (it == notes.end()) it = notes.insert(notes.end(), {n, {}});
        it->second.push_back(c.label);
      }
    }
    const std::string at_file = fmt::format("at {} / {}", duration_text(in.params.T_vmm), duration_text(in.params.T_os));
    out += render_table({"strategy", "T_vmm", "T_os", "spares", "index", "availability", "cost/h", at_file, "paper_index"},
                        rows);
    if (const auto w = plan.winners[h]) {
      const PlanRow& row = plan.rows[*w];
      out += fmt::format("winner: {} (T_vmm {}, T_os {}, {} spare{}, index {})\n", plan.candidates[row.candidate].label,
                         duration_text(row.plan.T_vmm), duration_text(row.plan.T_os), row.plan.spares,
                         row.plan.spares == 1 ? "" : "s", index_text(row.plan.index));
    } else {
      out += "winner: none — no strategy meets the availability target\n";
    }
    if (!notes.empty()) out += "notes:\n";
    for (const auto& [n, who] : notes)
      out += fmt::format("  {}: {}\n", who.size() == rows.size() ? "all" : fmt::format("{}", fmt::join(who, ", ")), n);
  }
  out += fmt::format("\nwinner at its own optimum, 2 to {} hosts:\n", plan.range_hi);
  for (const auto& w : plan.ranges)
    out += fmt::format("  {:>9} – {:<9} {}\n", w.from, w.to, w.candidate ? plan.candidates[*w.candidate].label : "none");
  for (const auto& t : plan.ttt) {
    out += fmt::format("\nscaled TTT ({}: {} crash times, {} censored; Dohi et al. 2000):\n", t.component, t.crashes,
                       t.censored);
    for (const auto& l : t.lines)
      out += fmt::format("  {}: β = {:.4f}, T* = {} ({})\n", l.label, l.beta,
                         l.optimum.never ? "never" : duration_text(l.optimum.point.t),
                         r.bootstrap > 0 ? interval_text(l.interval) : "no bootstrap");
    for (const auto& n : t.notes) out += "  " + n + "\n";
  }
  if (const auto& c = plan.confirmation) {
    out += fmt::format("\nconfirmed by simulation ({} hosts, {} replications of {} after a warm-up of {}, seed {}; "
                       "simulated data):\n",
                       c->hosts, c->replications, duration_text(c->horizon), duration_text(c->warmup), c->seed);
    std::vector<std::vector<std::string>> rows;
    for (const auto& x : c->rows)
      rows.push_back({plan.candidates[x.candidate].label, index_text(x.analytic), index_text(x.mean),
                      fmt::format("{:.2e}", x.half_width), x.analytic_inside ? "yes" : "no"});
    out += render_table({"strategy", "analytic", "simulated", "± 95 %", "analytic inside"}, rows);
    out += fmt::format("ranking: {}\n", c->agrees ? "the simulation agrees with the analytic order within the 95 % intervals"
                                                  : "the simulation DISAGREES with the analytic order");
    for (const auto& f : c->findings) out += "  " + f + "\n";
  }
  return out;
}

json row_json(const Plan& plan, const PlanRow& row, bool has_prices) {
  const Candidate& c = plan.candidates[row.candidate];
  const StrategyPlan& p = row.plan;
  return {{"strategy", name(c.strategy)},
          {"migration_mode", uses_spares(c.strategy) ? json(name(c.mode)) : json(nullptr)},
          {"hosts", row.hosts},
          {"T_vmm", seconds_or_never(p.T_vmm)},
          {"T_os", seconds_or_never(p.T_os)},
          {"spares", p.spares},
          {"index", p.index},
          {"availability", p.terms.availability},
          {"cost", has_prices ? json(p.cost_per_hour) : json(nullptr)},
          {"paper_index", row.paper_index},
          {"index_at_file_schedule", row.index_at_file},
          {"vmm_crashes_per_year", p.terms.vmm_crashes_per_year},
          {"os_crashes_per_year", p.terms.os_crashes_per_year},
          {"os_rejuvenations_per_vmm_cycle", std::isinf(p.terms.N_os) ? json(nullptr) : json(p.terms.N_os)},
          {"T_vmm_searched", p.T_vmm_searched},
          {"T_os_searched", p.T_os_searched},
          {"spare_limited", p.spare_limited},
          {"feasible", p.feasible},
          {"notes", row.notes}};
}

json plan_json(const PlanInputs& in, const Plan& plan, const PlanOptions& o, const PlanRequest& r) {
  auto law = [](const std::optional<AgingLaw>& l, const std::optional<LawSource>& s, Seconds detection) {
    if (!l) return json(nullptr);
    return json{{"law", l->describe()}, {"from", s ? s->where : ""}, {"hazard", name(l->hazard())},
                {"detection_s", detection}};
  };
  json rows = json::array(), winners = json::array();
  for (const auto& row : plan.rows) rows.push_back(row_json(plan, row, r.has_prices));
  for (size_t h = 0; h < r.hosts.size(); ++h) {
    json w = {{"hosts", r.hosts[h]}, {"strategy", nullptr}};
    if (const auto k = plan.winners[h]) {
      w = row_json(plan, plan.rows[*k], r.has_prices);
    }
    winners.push_back(w);
  }
  json ranges = json::array();
  for (const auto& w : plan.ranges) {
    json x = {{"from", w.from}, {"to", w.to}, {"strategy", nullptr}, {"migration_mode", nullptr}};
    if (w.candidate) {
      const Candidate& c = plan.candidates[*w.candidate];
      x["strategy"] = name(c.strategy);
      if (uses_spares(c.strategy)) x["migration_mode"] = name(c.mode);
    }
    ranges.push_back(x);
  }
  json left = json::array();
  for (Strategy s : strategies_left_out(in.params)) left.push_back(name(s));
  json j = {
      {"data", "analytic: seed 003's closed forms extended with aging by renewal-reward (README, \"Planning\")"},
      {"file", o.file},
      {"objective", o.objective},
      {"min_availability", o.min_availability ? json(*o.min_availability) : json(nullptr)},
      {"units", {{"T_vmm", "s, null = never rejuvenate"}, {"T_os", "s, null = never rejuvenate"},
                 {"cost", "per hour: request_price x lost requests + spare_price x spares"}}},
      {"file_schedule", {{"T_vmm", in.params.T_vmm}, {"T_os", in.params.T_os}, {"spares", in.params.spares}}},
      {"aging", {{"vmm", law(in.aging.vmm, in.vmm, in.aging.vmm_detection)},
                 {"os", law(in.aging.os, in.os, in.aging.os_detection)}}},
      {"left_out", left},
      {"rows", rows},
      {"winner", winners[0]},
      {"winners", winners},
      {"winner_by_hosts", ranges},
  };
  if (!plan.ttt.empty()) {
    json t = json::array();
    for (const auto& c : plan.ttt) {
      json lines = json::array();
      for (const auto& l : c.lines)
        lines.push_back({{"strategy", l.label}, {"beta", l.beta}, {"p", l.optimum.point.p}, {"phi", l.optimum.point.phi},
                         {"T", l.optimum.never ? json(nullptr) : json(l.optimum.point.t)},
                         {"bootstrap", interval_json(l.interval)}});
      t.push_back({{"component", c.component}, {"crashes", c.crashes}, {"censored", c.censored},
                   {"points", c.points.size()}, {"lines", lines}, {"notes", c.notes},
                   {"bootstrap_replicates", r.bootstrap}, {"seed", r.seed}});
    }
    j["ttt"] = t;
  }
  if (const auto& c = plan.confirmation) {
    json rows_c = json::array();
    for (const auto& x : c->rows) {
      const Candidate& cand = plan.candidates[x.candidate];
      rows_c.push_back({{"strategy", name(cand.strategy)}, {"analytic_index", x.analytic}, {"simulated_index", x.mean},
                        {"ci95_half_width", x.half_width}, {"analytic_inside_ci95", x.analytic_inside}});
    }
    j["confirm"] = {{"data", "simulated"}, {"hosts", c->hosts}, {"replications", c->replications},
                    {"horizon_s", c->horizon}, {"warmup_s", c->warmup}, {"seed", c->seed}, {"rows", rows_c},
                    {"agrees", c->agrees}, {"findings", c->findings}};
  }
  return j;
}

void write_plots(const PlanInputs& in, const Plan& plan, const PlanOptions& o, const PlanRequest& r,
                 std::vector<std::string>& written) {
  std::vector<plots::IndexCurve> curves;
  for (const auto& c : index_curves(in, plan, r)) {
    const Candidate& cand = plan.candidates[c.candidate];
    const PlanRow* row = nullptr;
    for (const auto& x : plan.rows)
      if (x.hosts == r.hosts.front() && x.candidate == c.candidate) row = &x;
    plots::IndexCurve ic;
    ic.label = cand.label;
    ic.color = cand.color;
    ic.dashed = cand.mode == MigrationMode::ReturnBack && uses_spares(cand.strategy);
    for (size_t k = 0; k < c.T_vmm.size(); ++k) {
      ic.T_vmm_days.push_back(c.T_vmm[k] / 86400);
      ic.index.push_back(c.index[k]);
      ic.per_host.push_back(c.per_host[k]);
    }
    if (std::isfinite(row->plan.T_vmm)) ic.best_T_vmm_days = row->plan.T_vmm / 86400;
    ic.best_index = row->plan.index;
    ic.best_per_host = row->plan.terms.per_host();
    curves.push_back(std::move(ic));
  }
  const std::string title = fmt::format("Index against T_vmm at {} hosts, T_os and spares at each optimum ({})",
                                        r.hosts.front(), fs::path(o.file).filename().string());
  const std::string about = fmt::format(
      "rejuv plan {}: the performance index P/(m p) with aging (models/aging.hpp) against T_vmm, each strategy\n"
      "at its own optimal T_os and spares; filled points mark each optimum, an arrow at the right edge a\n"
      "strategy best never rejuvenated. The dotted vertical line is the file's own T_vmm.\n"
      "Aging: VMM {}; OS {}.",
      o.file, law_text(in.aging.vmm, in.vmm, in.aging.vmm_detection), law_text(in.aging.os, in.os, in.aging.os_detection));
  try {
    const auto w = plots::write_plot(plots::plan_index(curves, in.params.T_vmm / 86400, title, about),
                                     fs::path(o.out) / "plan-index.svg");
    written.push_back(w.rendered ? w.svg.string() + ", " + w.png.string() : w.gp.string() + " (no gnuplot on PATH)");
    if (!plan.ttt.empty()) {
      std::vector<plots::TttPanel> panels;
      for (const auto& t : plan.ttt) {
        plots::TttPanel p;
        p.component = t.component == "vmm" ? "VMM" : "OS";
        p.points = t.points;
        p.crashes = t.crashes;
        p.censored = t.censored;
        for (const auto& l : t.lines)
          p.lines.push_back({l.label, plan.candidates[l.candidate].color,
                             plan.candidates[l.candidate].mode == MigrationMode::ReturnBack &&
                                 uses_spares(plan.candidates[l.candidate].strategy) && t.component == "vmm",
                             l.beta, l.optimum.point, l.optimum.never});
        panels.push_back(std::move(p));
      }
      const auto t = plots::write_plot(
          plots::ttt(panels, fs::path(o.crash_times).filename().string(),
                     fmt::format("Scaled TTT plot of {} (Dohi, Goseva-Popstojanova and Trivedi, PRDC 2000). Each\n"
                                 "strategy's optimum is where the line from (-beta, 0), beta = a/(b - a) (a: what a\n"
                                 "rejuvenation costs, b: what a crash costs), touches the plot most steeply.",
                                 o.crash_times)),
          fs::path(o.out) / "ttt.svg");
      written.push_back(t.rendered ? t.svg.string() + ", " + t.png.string() : t.gp.string() + " (no gnuplot on PATH)");
    }
  } catch (const std::exception& e) {
    throw CliError(e.what());
  }
}

void run_plan(const PlanOptions& o) {
  // Everything is checked and computed before the output folder is made.
  if (o.min_availability && !(*o.min_availability > 0 && *o.min_availability < 1))
    throw CliError(fmt::format("--min-availability: expected a fraction in (0, 1), got {}", *o.min_availability));
  if (o.objective == "cost" && !o.request_price)
    throw CliError("--objective cost: --request-price is needed (the price of one lost request)");
  for (long long m : o.hosts)
    if (m < 2) throw CliError(fmt::format("--hosts: expected an integer ≥ 2, got {}", m));
  PlanInputs in = read_plan_inputs(o.file, o.aging, o.crash_times);
  PlanRequest r;
  r.hosts = o.hosts.empty() ? std::vector<long long>{std::max(2, in.params.hosts)} : o.hosts;
  r.settings.objective = o.objective == "cost" ? Objective::Cost : Objective::Index;
  r.settings.request_price = o.request_price.value_or(0);
  r.settings.spare_host_price = o.spare_price.value_or(0);
  r.has_prices = o.request_price.has_value() || o.spare_price.has_value();
  r.settings.min_availability = o.min_availability;
  r.settings.spares_max = o.spares_max;
  r.bootstrap = o.bootstrap;
  r.seed = o.seed;
  r.confirm = o.confirm;
  r.progress = !o.quiet;
  if (!o.horizon.empty()) {
    try {
      r.horizon = parse_duration_text(o.horizon, "--horizon", true);
    } catch (const InputError& e) {
      throw CliError(e.what());
    }
  }
  if (in.is_scenario && in.doc.contains("spare_reboot")) {
    const json& v = in.doc["spare_reboot"];
    r.settings.spare_reboot = v.is_object() ? std::optional<Seconds>() : parse_duration(v, "/spare_reboot");
  }
  const Plan plan = compute_plan(in, r);
  const std::string table = render_table_text(in, plan, o, r);
  const json j = plan_json(in, plan, o, r);

  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) throw CliError(fmt::format("{}: cannot create the output folder: {}", o.out, ec.message()));
  write_atomic(fs::path(o.out) / "plan.json", j.dump(2) + "\n");
  std::vector<std::string> written{(fs::path(o.out) / "plan.json").string()};
  write_plots(in, plan, o, r, written);
  std::fwrite(table.data(), 1, table.size(), stdout);
  std::fflush(stdout);
  if (!o.quiet) std::fprintf(stderr, "rejuv plan: wrote %s\n", fmt::format("{}", fmt::join(written, ", ")).c_str());
}

}  // namespace

void add_plan_command(CLI::App& app) {
  auto o = std::make_shared<PlanOptions>();
  CLI::App* cmd = app.add_subcommand("plan", "The best rejuvenation schedule of each strategy under aging, and the winner");
  cmd->footer(
      "FILE is a parameter file or a rejuvenation scenario, whose \"aging\" block is the default aging model.\n"
      "AGING.json: {\"vmm\": {\"dist\": \"weibull\", \"shape\": 3, \"scale\": \"60d\", \"detection\": \"10min\"},\n"
      "             \"os\": {\"dist\": \"gamma\", \"shape\": 2, \"mean\": \"20d\"}}  (any distribution of a scenario;\n"
      "             \"detection\": how long a crash goes unnoticed before its recovery reboot).\n"
      "crash-times CSV: component (vmm or os; default vmm), time (since the last rejuvenation, e.g. 41.5d),\n"
      "             event (crash, or censored: rejuvenated before crashing); at least 3 crashes.\n"
      "An interval is optimised where its aging law is given, else held at the file's value.\n"
      "Writes DIR/plan.json, DIR/plan-index.{svg,png,dat,gp} and, with crash times, DIR/ttt.{svg,png,dat,gp}.\n\n"
      "Examples:\n"
      "  rejuv plan scenarios/plan-aging.json --out out/plan\n"
      "  rejuv plan data/kourai2007.json --crash-times data/crash-times-example.csv --out out/plan-ttt\n"
      "  rejuv plan scenarios/plan-aging.json --hosts 100 --hosts 100000 --confirm 8 --out out/plan");
  cmd->add_option("file", o->file, "Parameter file or rejuvenation scenario (JSON)")->required();
  cmd->add_option("--aging", o->aging, "Aging model (JSON); replaces a scenario's \"aging\" block");
  cmd->add_option("--crash-times", o->crash_times, "Observed times to crash (CSV): a Kaplan–Meier law, TTT plot");
  cmd->add_option("--hosts", o->hosts, "Host count m (repeatable); default: the file's \"hosts\"");
  cmd->add_option("--objective", o->objective, "index (default) or cost")->check(CLI::IsMember({"index", "cost"}));
  cmd->add_option("--request-price", o->request_price, "cost: price of one lost request");
  cmd->add_option("--spare-price", o->spare_price, "cost: price of one spare host per hour");
  cmd->add_option("--min-availability", o->min_availability, "Availability target A in (0, 1)");
  cmd->add_option("--spares-max", o->spares_max, "At most this many spare hosts (default: no limit)")
      ->check(CLI::Range(1, 1'000'000'000));
  cmd->add_option("--confirm", o->confirm, "Re-run the top 3 candidates in the simulator with N replications")
      ->check(CLI::Range(2, 100000));
  cmd->add_option("--horizon", o->horizon, "--confirm: simulated time (default: the scenario's, else 730d)");
  cmd->add_option("--bootstrap", o->bootstrap, "Bootstrap replicates for the TTT intervals (default 200; 0: none)")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--seed", o->seed, "Seed of the bootstrap and of --confirm's simulations (default 1)");
  cmd->add_option("--out", o->out, "Output folder")->required();
  cmd->add_flag("--quiet", o->quiet, "No progress or file list on stderr");
  cmd->callback([o] { run_plan(*o); });
}

}  // namespace rejuv::cli
