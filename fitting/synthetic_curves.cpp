#include "fitting/synthetic_curves.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <random>

#include "fitting/random_draw.hpp"

namespace rejuv::fitting {

namespace fs = std::filesystem;

namespace {

struct Column {
  std::string name;
  std::function<double(double)> value;  // the true throughput at t
  double scale;                         // noise sd = o.noise · scale
};

void write_csv(const fs::path& dir, const std::vector<Column>& cols, Seconds end,
               const SyntheticOptions& o, const std::vector<std::string>& events) {
  fs::create_directories(dir);
  std::mt19937_64 g(o.seed);
  std::vector<std::string> rows;
  for (long k = 0; k * o.dt <= end; ++k) {
    double t = k * o.dt;
    if (o.jitter > 0) t = std::max(0.0, t + (2 * uniform_open(g) - 1) * o.jitter * o.dt);
    std::string row = fmt::format("{}", t);
    for (const auto& c : cols) {
      row += ",";
      if (o.gaps > 0 && uniform_open(g) < o.gaps) continue;
      row += fmt::format("{}", std::max(0.0, c.value(t) + o.noise * c.scale * standard_normal(g)));
    }
    rows.push_back(row);
  }
  if (o.shuffle)
    for (size_t k = rows.size(); k > 1; --k) std::swap(rows[k - 1], rows[uniform_index(g, k)]);
  std::ofstream out(dir / "throughput.csv");
  out << "time_s";
  for (const auto& c : cols) out << "," << c.name;
  out << "\n";
  for (const auto& r : rows) out << r << "\n";
  std::ofstream ev(dir / "events.csv");
  ev << "time_s,event,subject\n";
  for (const auto& e : events) ev << e << "\n";
}

}  // namespace

void write_reboot_set(const fs::path& dir, RebootKind kind, const Reboot& r, double p, int n,
                      const SyntheticOptions& o, Reboot cache) {
  const Seconds t0 = o.lead;
  std::vector<Column> cols;
  if (kind != RebootKind::Os) {
    auto host = [=](double t) {
      if (t < t0) return p;
      if (t < t0 + r.downtime) return 0.0;
      if (t < t0 + r.downtime + r.degraded_period) return p * (1 - r.degradation);
      return p;
    };
    cols.push_back({"host", host, p});
    write_csv(dir, cols, t0 + r.downtime + r.degraded_period + o.tail, o,
              {fmt::format("{},vmm_reboot_start,", t0)});
    return;
  }
  const double v = p / n;
  auto vm1 = [=](double t) {
    if (t < t0) return v;
    if (t < t0 + r.downtime) return 0.0;
    if (t < t0 + r.downtime + cache.degraded_period) return v * (1 - cache.degradation);
    return v;
  };
  auto other = [=](double t) {
    return (t >= t0 && t < t0 + r.downtime) ? v * (1 - r.degradation) : v;
  };
  cols.push_back({"host", [=](double t) { return vm1(t) + (n - 1) * other(t); }, p});
  cols.push_back({"vm1", vm1, v});
  for (int k = 2; k <= n; ++k) cols.push_back({fmt::format("vm{}", k), other, v});
  write_csv(dir, cols, t0 + r.downtime + cache.degraded_period + o.tail, o,
            {fmt::format("{},os_reboot_start,vm1", t0)});
}

void write_migration_set(const fs::path& dir, MigrationKind kind, int n, double p,
                         const MigrationCurves& c, const SyntheticOptions& o) {
  std::vector<double> start(n + 2), end(n + 2);
  double t = o.lead;
  for (int i = 1; i <= n; ++i) {
    start[i] = t;
    t += (*c.M)(i);
    end[i] = t;
  }
  const double v = p / n;
  // Which move is under way at t (0 before, n + 1 after).
  auto move_at = [=](double time) {
    for (int i = 1; i <= n; ++i)
      if (time < end[i]) return time < start[i] ? 0 : i;
    return n + 1;
  };
  auto vm = [=](int j) {
    return [=](double time) {
      const int i = move_at(time);
      if (i == 0 || i == n + 1) return v;
      if (j > i) return (*c.V_s)(i);
      if (j < i) return (*c.V_d)(i);
      return is_live(kind) ? (*c.V_m)(i) : 0.0;
    };
  };
  std::vector<Column> cols;
  for (int j = 1; j <= n; ++j) cols.push_back({fmt::format("vm{}", j), vm(j), v});
  cols.push_back({"src",
                  [=](double time) {
                    const int i = move_at(time);
                    if (i == 0) return p;
                    return i == n + 1 ? 0.0 : (n - i) * (*c.V_s)(i);
                  },
                  p});
  cols.push_back({"dst",
                  [=](double time) {
                    const int i = move_at(time);
                    if (i == 0) return 0.0;
                    return i == n + 1 ? p : (i - 1) * (i >= 2 ? (*c.V_d)(i) : 0.0);
                  },
                  p});
  std::vector<std::string> events;
  for (int i = n; i >= 1; --i) {  // written newest first: the reader sorts
    events.push_back(fmt::format("{},migration_end,vm{}", end[i], i));
    events.push_back(fmt::format("{},migration_start,vm{}", start[i], i));
  }
  write_csv(dir, cols, t + o.tail, o, events);
}

}  // namespace rejuv::fitting
