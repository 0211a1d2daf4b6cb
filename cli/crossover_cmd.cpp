// `rejuv crossover`: the smallest host count at which one strategy's index exceeds another's.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "models/throughput.hpp"

namespace rejuv::cli {

namespace {

struct CrossoverOptions {
  std::string params, strategy, versus, format = "table", out;
};

Strategy strategy_option(const std::string& flag, const std::string& text) {
  auto s = parse_strategy(text);
  if (!s) throw CliError(fmt::format("{}: expected warm, cold, migration, live or live_rate_control, got \"{}\"", flag, text));
  return *s;
}

std::string run_crossover(const CrossoverOptions& o) {
  const Strategy a = strategy_option("--strategy", o.strategy), b = strategy_option("--versus", o.versus);
  const Params p = load_params_file(o.params);
  for (Strategy s : {a, b})
    if (!has_block(p, s)) throw CliError(fmt::format("{}: no \"{}\" block, so no crossover with it", o.params, name(s)));
  const auto m = crossover(p, a, b);
  if (o.format == "json") {
    nlohmann::json j = {{"strategy", name(a)}, {"versus", name(b)}, {"hosts", nullptr}};
    if (m) {
      j["hosts"] = *m;
      j["index"] = index(p, a, double(*m));
      j["versus_index"] = index(p, b, double(*m));
    }
    return j.dump(2) + "\n";
  }
  if (!m) return fmt::format("{} never exceeds {} at any host count m ≥ 2\n", name(a), name(b));
  return fmt::format("{} exceeds {} from m = {} hosts (index {:.8f} vs {:.8f})\n", name(a), name(b), *m,
                     index(p, a, double(*m)), index(p, b, double(*m)));
}

}  // namespace

void add_crossover_command(CLI::App& app) {
  auto o = std::make_shared<CrossoverOptions>();
  CLI::App* cmd = app.add_subcommand("crossover", "Smallest host count m ≥ 2 at which one strategy's index exceeds another's");
  cmd->footer(
      "Example (the paper's figure 7: migration overtakes Cold-VM reboot at about 11,000 hosts):\n"
      "  rejuv crossover data/kourai2007.json --strategy migration --versus cold\n"
      "With --format json, \"hosts\" is null when the strategy never exceeds the other.");
  cmd->add_option("params", o->params, "Parameter file (JSON)")->required();
  cmd->add_option("--strategy", o->strategy, "warm, cold, migration, live or live_rate_control")->required();
  cmd->add_option("--versus", o->versus, "The strategy to compare against")->required();
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--out", o->out, "Write to this file (atomically) instead of stdout");
  cmd->callback([o] { emit(run_crossover(*o), o->out); });
}

}  // namespace rejuv::cli
