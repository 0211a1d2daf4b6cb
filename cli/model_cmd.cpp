// `rejuv model`: the closed-form index of every strategy at chosen host counts.
#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/fixed_decimal.hpp"
#include "cli/output.hpp"
#include "cli/stream_out.hpp"
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

// "A:B" with K points, evenly or log-spaced, rounded to whole hosts, without repeats, in order.
class HostRange {
 public:
  HostRange(const std::string& text, int points, bool log) : points_(points), log_(log) {
    char colon = 0;
    int used = 0;
    if (std::sscanf(text.c_str(), "%lld%c%lld%n", &a_, &colon, &b_, &used) != 3 || colon != ':' ||
        used != static_cast<int>(text.size()) || a_ < 1 || b_ < a_)
      throw CliError(fmt::format("--hosts-range: expected A:B with integers 1 ≤ A ≤ B, got \"{}\"", text));
    if (points < 1) throw CliError(fmt::format("--points: expected an integer ≥ 1, got {}", points));
  }
  // Calls f(m) for each host count, ascending. The points are monotone in k, so dropping a value
  // equal to the one before leaves each once: the set the range names, without holding it.
  template <class F>
  void for_each(F&& f) const {
    long long last = 0;  // host counts are >= 1
    for (int k = 0; k < points_; ++k) {
      const double t = points_ == 1 ? 0.0 : static_cast<double>(k) / (points_ - 1);
      const double v = log_ ? std::exp(std::log(double(a_)) + t * (std::log(double(b_)) - std::log(double(a_))))
                            : a_ + t * (b_ - a_);
      const long long m = std::clamp(std::llround(v), a_, b_);
      if (m <= last) continue;
      last = m;
      f(m);
    }
  }

 private:
  long long a_ = 0, b_ = 0;
  int points_;
  bool log_;
};

// The rows' host counts: every --hosts in the order given, then the range; the file's hosts if none.
class HostCounts {
 public:
  HostCounts(const ModelOptions& o, const Params& p) : listed_(o.hosts) {
    if (!o.range.empty()) range_.emplace(o.range, o.points, o.log);
    if (listed_.empty() && !range_) listed_.push_back(p.hosts);
  }
  template <class F>
  void for_each(F&& f) const {
    for (long long m : listed_) f(m);
    if (range_) range_->for_each(f);
  }

 private:
  std::vector<long long> listed_;
  std::optional<HostRange> range_;
};

// One strategy's numbers: the terms are the same at every m; only m, the index and P change.
struct StrategyRows {
  Strategy strategy;
  Terms t;
  double index(const Params& p, long long m) const { return rejuv::index(p, t, double(m)); }
};

const std::vector<std::string> kHeader{"strategy", "hosts", "availability", "vmm_degradation",
                                       "os_degradation", "index", "throughput", "gamma"};

// The cells that do not depend on m, as the table and CSV print them.
struct FixedCells {
  std::string strategy, availability, vmm, os, gamma;
  FixedCells(const StrategyRows& r, const char* no_gamma)
      : strategy(name(r.strategy)),
        availability(fmt::format("{:.8f}", r.t.availability)),
        vmm(fmt::format("{:.3e}", r.t.vmm_degradation)),
        os(fmt::format("{:.3e}", r.t.os_degradation)),
        gamma(r.t.gamma ? fmt::format("{:.4f}", *r.t.gamma) : no_gamma) {}
};

// A CSV line of `cells` without its newline, quoted as render_csv quotes.
std::string csv_cells(const std::vector<std::string>& cells) {
  std::string line = render_csv(cells, {});
  line.pop_back();
  return line;
}

void write_csv(StreamOut& out, const Params& p, const HostCounts& hosts, const std::vector<StrategyRows>& rows) {
  out.write(render_csv(kHeader, {}));
  for (const StrategyRows& r : rows) {
    const FixedCells c(r, "");
    const std::string head = csv_cells({c.strategy}) + ",";
    const std::string middle = "," + csv_cells({c.availability, c.vmm, c.os}) + ",";
    const std::string tail = "," + csv_cells({c.gamma}) + "\n";
    FixedDecimalBuffer number;
    hosts.for_each([&](long long m) {
      const double idx = r.index(p, m);
      out.write(head);
      fmt::format_to(out.append(), FMT_COMPILE("{}"), m);
      out.write(middle);
      out.write(fixed_decimal(idx, 8, number));
      out.write(",");
      out.write(fixed_decimal(idx * double(m) * p.host_throughput, 2, number));
      out.write(tail);
    });
  }
}

// Columns are padded to the widest cell, so the rows are computed twice: once for the widths, once
// to print them; nothing is held in between.
void write_table(StreamOut& out, const Params& p, const HostCounts& hosts, const std::vector<StrategyRows>& rows) {
  std::vector<size_t> width(kHeader.size());
  for (size_t i = 0; i < kHeader.size(); ++i) width[i] = kHeader[i].size();
  auto widen = [&](size_t column, size_t size) { width[column] = std::max(width[column], size); };
  for (const StrategyRows& r : rows) {
    const FixedCells c(r, "-");
    widen(0, c.strategy.size());
    widen(2, c.availability.size());
    widen(3, c.vmm.size());
    widen(4, c.os.size());
    widen(7, c.gamma.size());
    FixedDecimalBuffer number;
    hosts.for_each([&](long long m) {
      const double idx = r.index(p, m);
      widen(1, fmt::formatted_size(FMT_COMPILE("{}"), m));
      widen(5, fixed_decimal(idx, 8, number).size());
      widen(6, fixed_decimal(idx * double(m) * p.host_throughput, 2, number).size());
    });
  }
  auto padded = [&](size_t column, const std::string& cell) {
    return cell + std::string(width[column] - cell.size() + 2, ' ');
  };
  std::string header;
  for (size_t i = 0; i + 1 < kHeader.size(); ++i) header += padded(i, kHeader[i]);
  out.write(header + kHeader.back() + "\n");
  for (const StrategyRows& r : rows) {
    const FixedCells c(r, "-");
    const std::string head = padded(0, c.strategy);
    const std::string middle = padded(2, c.availability) + padded(3, c.vmm) + padded(4, c.os);
    const std::string spaces(std::max({width[1], width[5], width[6]}) + 2, ' ');
    auto cell = [&](size_t column, std::string_view text) {
      out.write(text);
      out.write(std::string_view(spaces).substr(0, width[column] - text.size() + 2));
    };
    FixedDecimalBuffer number;
    char host_text[24];
    hosts.for_each([&](long long m) {
      const double idx = r.index(p, m);
      out.write(head);
      cell(1, std::string_view(host_text, static_cast<size_t>(fmt::format_to(host_text, FMT_COMPILE("{}"), m) - host_text)));
      out.write(middle);
      cell(5, fixed_decimal(idx, 8, number));
      cell(6, fixed_decimal(idx * double(m) * p.host_throughput, 2, number));
      out.write(c.gamma);
      out.write("\n");
    });
  }
}

// A number as nlohmann::json's dump writes it (its own shortest round-trip form; null if not finite).
std::string_view json_number(double x, std::array<char, 64>& buffer) {
  if (!std::isfinite(x)) return "null";
  const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
  return {buffer.data(), static_cast<size_t>(end - buffer.data())};
}

// The array nlohmann::json's dump(2) writes for the rows, one element at a time: each strategy's
// element is dumped once with markers where m, the index and P go, and split there.
void write_json(StreamOut& out, const Params& p, const HostCounts& hosts, const std::vector<StrategyRows>& rows) {
  bool first = true;
  std::array<char, 64> number{};
  for (const StrategyRows& r : rows) {
    nlohmann::json row = {{"strategy", name(r.strategy)},
                          {"hosts", "@hosts@"},
                          {"availability", r.t.availability},
                          {"vmm_degradation", r.t.vmm_degradation},
                          {"os_degradation", r.t.os_degradation},
                          {"os_rejuvenations", r.t.N_os},
                          {"index", "@index@"},
                          {"throughput", "@throughput@"}};
    if (r.t.gamma) row["gamma"] = *r.t.gamma;
    std::string element = "  ";  // an element of the array, indented one level
    for (char ch : row.dump(2)) element += ch == '\n' ? std::string("\n  ") : std::string(1, ch);
    std::vector<std::string> piece;
    size_t from = 0;
    for (const char* marker : {"\"@hosts@\"", "\"@index@\"", "\"@throughput@\""}) {
      const size_t at = element.find(marker, from);
      piece.push_back(element.substr(from, at - from));
      from = at + std::strlen(marker);
    }
    piece.push_back(element.substr(from));
    hosts.for_each([&](long long m) {
      const double idx = r.index(p, m);
      out.write(first ? "[\n" : ",\n");
      out.write(piece[0]);
      fmt::format_to(out.append(), FMT_COMPILE("{}"), m);
      out.write(piece[1]);
      out.write(json_number(idx, number));
      out.write(piece[2]);
      out.write(json_number(idx * double(m) * p.host_throughput, number));
      out.write(piece[3]);
      first = false;
    });
  }
  out.write(first ? "[]\n" : "\n]\n");
}

// Every row is written as it is computed, so 5 million rows take no more memory than 5.
void run_model(const ModelOptions& o) {
  const Params p = load_params_file(o.params);
  const HostCounts hosts(o, p);
  std::vector<StrategyRows> rows;
  for (const auto& s : o.strategies) {
    auto parsed = parse_strategy(s);
    if (!parsed) throw CliError(fmt::format("--strategy: expected warm, cold, migration, live or live_rate_control, got \"{}\"", s));
    if (!has_block(p, *parsed)) throw CliError(fmt::format("--strategy {}: {} has no \"{}\" block", s, o.params, s));
    rows.push_back({*parsed, terms(p, *parsed)});
  }
  if (rows.empty())
    for (Strategy s : strategies_present(p)) rows.push_back({s, terms(p, s)});
  if (const auto left = strategies_left_out(p); !left.empty() && o.strategies.empty()) {
    std::string names;  // said on stderr, so that the table, JSON or CSV stays as it was
    for (Strategy s : left) names += (names.empty() ? "" : ", ") + std::string(name(s));
    std::fprintf(stderr, "rejuv model: left out %s (no block in %s)\n", names.c_str(), o.params.c_str());
  }

  StreamOut out(o.out);
  if (o.format == "json") {
    write_json(out, p, hosts, rows);
  } else if (o.format == "csv") {
    write_csv(out, p, hosts, rows);
  } else {
    write_table(out, p, hosts, rows);
  }
  out.commit();
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
  cmd->callback([o] { run_model(*o); });
}

}  // namespace rejuv::cli
