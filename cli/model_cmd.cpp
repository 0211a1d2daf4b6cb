// `rejuv model`: the closed-form index of every strategy at chosen host counts.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <set>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "models/throughput.hpp"

namespace rejuv::cli {

namespace {

struct ModelOptions {
  std::string params;
  std::vector<long long> hosts;
  std::string range;
  int points = 10;
  bool log = false;
  std::string format = "table";
  std::string out;
  std::vector<std::string> strategies;
};

// "A:B" with K points, evenly or log-spaced, rounded to whole hosts, without repeats.
std::vector<long long> host_range(const std::string& text, int points, bool log) {
  long long a = 0, b = 0;
  char colon = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%lld%c%lld%n", &a, &colon, &b, &used) != 3 || colon != ':' ||
      used != static_cast<int>(text.size()) || a < 1 || b < a)
    throw CliError(fmt::format("--hosts-range: expected A:B with integers 1 ≤ A ≤ B, got \"{}\"", text));
  if (points < 1) throw CliError(fmt::format("--points: expected an integer ≥ 1, got {}", points));
  std::set<long long> hs;
  for (int k = 0; k < points; ++k) {
    double f = points == 1 ? 0.0 : static_cast<double>(k) / (points - 1);
    double v = log ? std::exp(std::log(double(a)) + f * (std::log(double(b)) - std::log(double(a))))
                   : a + f * (b - a);
    hs.insert(std::clamp(std::llround(v), a, b));
  }
  return {hs.begin(), hs.end()};
}

std::string run_model(const ModelOptions& o) {
  const Params p = load_params_file(o.params);
  std::vector<long long> hosts = o.hosts;
  if (!o.range.empty()) {
    auto r = host_range(o.range, o.points, o.log);
    hosts.insert(hosts.end(), r.begin(), r.end());
  }
  if (hosts.empty()) hosts.push_back(p.hosts);
  std::vector<Strategy> strategies;
  for (const auto& s : o.strategies) {
    auto parsed = parse_strategy(s);
    if (!parsed) throw CliError(fmt::format("--strategy: expected warm, cold, migration, live or live_rate_control, got \"{}\"", s));
    if (!has_block(p, *parsed)) throw CliError(fmt::format("--strategy {}: {} has no \"{}\" block", s, o.params, s));
    strategies.push_back(*parsed);
  }
  if (strategies.empty()) strategies = strategies_present(p);
  if (const auto left = strategies_left_out(p); !left.empty() && o.strategies.empty()) {
    std::string names;  // said on stderr, so that the table, JSON or CSV stays as it was
    for (Strategy s : left) names += (names.empty() ? "" : ", ") + std::string(name(s));
    std::fprintf(stderr, "rejuv model: left out %s (no block in %s)\n", names.c_str(), o.params.c_str());
  }

  const std::vector<std::string> header{"strategy", "hosts", "availability", "vmm_degradation", "os_degradation",
                                        "index", "throughput", "gamma"};
  // Only the chosen format is built: a sweep of 10^6 host counts stays a few hundred MiB.
  nlohmann::json rows_json = nlohmann::json::array();
  std::vector<std::vector<std::string>> rows;
  std::string csv = o.format == "csv" ? render_csv(header, {}) : std::string();
  for (Strategy s : strategies) {
    const Terms t = terms(p, s);
    for (long long m : hosts) {
      const double idx = index(p, t, double(m)), P_total = idx * double(m) * p.host_throughput;
      if (o.format == "json") {
        nlohmann::json row = {{"strategy", name(s)},
                              {"hosts", m},
                              {"availability", t.availability},
                              {"vmm_degradation", t.vmm_degradation},
                              {"os_degradation", t.os_degradation},
                              {"os_rejuvenations", t.N_os},
                              {"index", idx},
                              {"throughput", P_total}};
        if (t.gamma) row["gamma"] = *t.gamma;
        rows_json.push_back(std::move(row));
        continue;
      }
      std::vector<std::string> row{std::string(name(s)), fmt::format("{}", m), fmt::format("{:.8f}", t.availability),
                                   fmt::format("{:.3e}", t.vmm_degradation), fmt::format("{:.3e}", t.os_degradation),
                                   fmt::format("{:.8f}", idx), fmt::format("{:.2f}", P_total),
                                   t.gamma ? fmt::format("{:.4f}", *t.gamma) : std::string(o.format == "csv" ? "" : "-")};
      if (o.format == "csv") {
        std::string line = render_csv(header, {row});
        csv.append(line, line.find('\n') + 1);  // the row without the header
      } else {
        rows.push_back(std::move(row));
      }
    }
  }
  if (o.format == "json") return rows_json.dump(2) + "\n";
  if (o.format == "csv") return csv;
  return render_table(header, rows);
}

}  // namespace

void add_model_command(CLI::App& app) {
  auto o = std::make_shared<ModelOptions>();
  CLI::App* cmd = app.add_subcommand("model", "Closed-form throughput of the five strategies (seed 003 §3)");
  cmd->footer(
      "Columns: strategy, hosts (m), availability (A), vmm_degradation and os_degradation (fractions of\n"
      "T_vmm), index (P / (m p), the paper's performance index), throughput (P, requests/s), gamma (γ or γ').\n\n"
      "Examples:\n"
      "  rejuv model data/kourai2007.json --hosts 10 --hosts 100000\n"
      "  rejuv model data/kourai2007.json --hosts-range 1:1000000 --points 25 --log --format csv");
  cmd->add_option("params", o->params, "Parameter file (JSON)")->required();
  cmd->add_option("--hosts", o->hosts, "Host count m (repeatable); default: the file's \"hosts\"")
      ->check(CLI::Range(1LL, 1'000'000'000'000LL));
  cmd->add_option("--hosts-range", o->range, "A:B, a range of host counts");
  cmd->add_option("--points", o->points, "Points in --hosts-range (default 10)");
  cmd->add_flag("--log", o->log, "Space --hosts-range logarithmically");
  cmd->add_option("--strategy", o->strategies, "Only these strategies (repeatable)");
  cmd->add_option("--format", o->format, "table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--out", o->out, "Write to this file (atomically) instead of stdout");
  cmd->callback([o] { emit(run_model(*o), o->out); });
}

}  // namespace rejuv::cli
