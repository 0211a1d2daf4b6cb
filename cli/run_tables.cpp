#include "cli/run_tables.hpp"

#include <fmt/format.h>

#include <vector>

#include "cli/output.hpp"

namespace rejuv::cli {

namespace {

using nlohmann::json;
using Rows = std::vector<std::vector<std::string>>;

std::string cell(const json& v, const char* f) {
  return v.is_number() ? fmt::format(fmt::runtime(f), v.get<double>()) : std::string("-");
}

// Rejuvenation: the simulated index beside the closed form.
std::string rejuvenation(const json& results) {
  Rows rows;
  for (const auto& r : results) {
    if (!r.contains("closed_form")) continue;
    rows.push_back({r["strategy"].get<std::string>(), cell(r["index"], "{:.8f}"), cell(r["closed_form"]["index"], "{:.8f}"),
                    cell(r["index_minus_closed_form"], "{:+.2e}"), cell(r["availability"], "{:.8f}"),
                    cell(r["late_rejuvenations"], "{:.0f}"), cell(r["max_lateness_s"], "{:.0f}")});
  }
  if (rows.empty()) return "";
  return render_table({"strategy", "index", "closed_form", "difference", "availability", "late", "max_lateness_s"}, rows);
}

// Autoscale: the first scale-out and what the run cost.
std::string autoscale(const json& results) {
  Rows rows;
  for (const auto& r : results)
    if (r.contains("scale_out_s"))
      rows.push_back({r["strategy"].get<std::string>(), cell(r["scale_out_s"], "{:.1f}"), cell(r["copy_s"], "{:.1f}"),
                      cell(r["boot_s"], "{:.1f}"), cell(r["start_s"], "{:.1f}"), cell(r["cpu_s"], "{:.1f}"),
                      cell(r["peak_memory_mib"], "{:.0f}"), cell(r["unserved_request_s"], "{:.1f}"), cell(r["cost"], "{:.4f}"),
                      fmt::format("{}/{}", r.value("scale_outs", 0), r.value("scale_ins", 0))});
  if (rows.empty()) return "";
  return render_table({"strategy", "scale_out_s", "copy_s", "boot_s", "start_s", "cpu_s", "peak_memory_mib",
                       "unserved_request_s", "cost", "outs/ins"},
                      rows);
}

// Lineage: per pipeline and policy, how the requests ended and what failures cost.
std::string lineage(const json& results) {
  Rows rows;
  for (const auto& r : results) {
    if (!r.contains("pipeline")) continue;
    const json& extra = r.value("extra_time_per_request_s", json::object());
    rows.push_back({r["pipeline"].get<std::string>(), r.value("policy", ""), r.value("outcome", ""),
                    cell(r.value("requests", json()), "{:.0f}"), cell(r.value("completed", json()), "{:.0f}"),
                    cell(r.value("substitution_count", json()), "{:.0f}"), cell(r.value("lack_of_elements", json()), "{:.0f}"),
                    cell(extra.value("mean", json()), "{:.2f}"), cell(extra.value("p99", json()), "{:.2f}")});
  }
  if (rows.empty()) return "";
  return render_table({"pipeline", "policy", "outcome", "requests", "completed", "substitutions", "LackOfElements",
                       "extra_s_mean", "extra_s_p99"},
                      rows);
}

// Migration: the model's prediction per grid point (measured.csv has every migration).
std::string migration(const json& results) {
  Rows rows;
  for (const auto& r : results)
    rows.push_back({cell(r.value("memory_mib", json()), "{:.0f}"), cell(r.value("dirty_mibps", json()), "{:g}"),
                    r.value("bandwidth", ""), cell(r.value("downtime_limit_ms", json()), "{:g}"),
                    cell(r.value("predicted_total_s", json()), "{:.2f}"),
                    cell(r.value("predicted_downtime_s", json()).is_number()
                             ? json(r["predicted_downtime_s"].get<double>() * 1000)
                             : json(),
                         "{:.0f}"),
                    cell(r.value("predicted_iterations", json()), "{:.0f}")});
  if (rows.empty()) return "";
  return render_table({"memory_mib", "dirty_mibps", "bandwidth_mibps", "downtime_limit_ms", "predicted_s",
                       "predicted_downtime_ms", "iterations"},
                      rows);
}

}  // namespace

std::string run_table(const json& summary) {
  if (!summary.is_object() || !summary.contains("results") || !summary["results"].is_array()) return "";
  const json& results = summary["results"];
  const std::string kind = summary.value("kind", "");
  if (kind == "lineage") return lineage(results);
  if (kind == "migration") return migration(results);
  if (kind == "autoscale") return autoscale(results);
  return rejuvenation(results) + autoscale(results);
}

}  // namespace rejuv::cli
