#include "fitting/parameter_fit.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/input_error.hpp"
#include "models/params.hpp"

namespace rejuv::fitting {

namespace fs = std::filesystem;
using nlohmann::json;

std::string_view name(FitKind k) {
  switch (k) {
    case FitKind::Warm:
      return "warm";
    case FitKind::Cold:
      return "cold";
    case FitKind::Os:
      return "os";
    case FitKind::Migration:
      return "migration";
    case FitKind::Live:
      return "live";
    case FitKind::LiveRateControl:
      return "live_rate_control";
  }
  return "?";
}

std::optional<FitKind> parse_fit_kind(std::string_view text) {
  for (FitKind k : kFitKinds)
    if (name(k) == text) return k;
  return std::nullopt;
}

namespace {

bool is_reboot(FitKind k) { return k == FitKind::Warm || k == FitKind::Cold || k == FitKind::Os; }
RebootKind reboot_kind(FitKind k) {
  return k == FitKind::Warm   ? RebootKind::Warm
         : k == FitKind::Cold ? RebootKind::Cold
                              : RebootKind::Os;
}
MigrationKind migration_kind(FitKind k) {
  return k == FitKind::Migration ? MigrationKind::Migration
         : k == FitKind::Live    ? MigrationKind::Live
                                 : MigrationKind::LiveRateControl;
}

}  // namespace

KindFit fit_kind(const fs::path& dir, FitKind kind, const FitOptions& o) {
  const CurveSet cs = read_curve_set(dir);
  KindFit k;
  k.kind = kind;
  const std::string key(name(kind));
  json body;
  if (is_reboot(kind)) {
    k.reboot = fit_reboot(cs, reboot_kind(kind), o.reboot);
    body = to_params_json(k.reboot->reboot);
    k.report = to_json(*k.reboot);
    k.report["options"] = {{"baseline_window_s", o.reboot.baseline_window},
                           {"recovery_fraction", o.reboot.recovery_fraction},
                           {"band", o.reboot.band},
                           {"hold_s", o.reboot.hold},
                           {"smooth_samples", o.reboot.smooth}};
  } else {
    const MigrationKind mk = migration_kind(kind);
    k.migration = fit_migration(measure_migration(cs, mk, o.migration), mk);
    body = to_params_json(*k.migration);
    k.report = to_json(*k.migration);
  }
  body["_fit"] = fmt::format("rejuv fit {} --kind {}", dir.string(), key);
  k.report["dir"] = dir.string();
  k.fragment = {{key, body}};
  return k;
}

SuiteFit fit_suite(const fs::path& dir, const json& base_in, const FitOptions& o) {
  if (!fs::is_directory(dir))
    throw InputError::in_file(
        dir.string(),
        "expected a folder with one subfolder per kind (warm/, cold/, os/, migration/, live/, "
        "live_rate_control/) and base.json");
  json params = base_in.is_object() ? base_in : json::object();
  if (fs::exists(dir / "base.json")) {
    const json b = load_json(dir / "base.json");
    if (!b.is_object())
      throw InputError::in_file((dir / "base.json").string(),
                       "expected a JSON object of top-level parameters");
    for (const auto& [key, v] : b.items()) params[key] = v;
  }
  // What no curve can give: fail before the (slow) fits.
  for (const char* key : {"hosts", "T_vmm", "T_os"})
    if (!params.contains(key))
      throw InputError::in_file(
          (dir / "base.json").string(),
          fmt::format("expected \"{}\" (give it in base.json or in the --base parameter file)",
                      key));
  SuiteFit s;
  json kinds = json::object(), from_base = json::array();
  for (FitKind k : kFitKinds) {
    const std::string key(name(k));
    if (!fs::is_directory(dir / key)) {
      if (!params.contains(key))
        throw InputError::in_file(
            (dir / key).string(),
            fmt::format(
                "expected a curve set for \"{}\" here, or a \"{}\" object in base.json or --base",
                key, key));
      from_base.push_back(key);
      continue;
    }
    KindFit f = fit_kind(dir / key, k, o);
    params[key] = f.fragment[key];
    kinds[key] = f.report;
    s.fits.push_back(std::move(f));
  }
  // What the curves say about the host, where base.json is silent.
  for (const auto& f : s.fits) {
    if (f.migration && !params.contains("vms_per_host"))
      params["vms_per_host"] = f.migration->points.n;
    if (f.kind == FitKind::Warm && !params.contains("host_throughput"))
      params["host_throughput"] = f.reboot->baseline;
  }
  for (const char* key : {"vms_per_host", "host_throughput"})
    if (!params.contains(key))
      throw InputError::in_file(
          (dir / "base.json").string(),
          fmt::format("expected \"{}\" (give it in base.json or in the --base parameter file)",
                      key));
  for (const auto& f : s.fits)
    if (f.migration && f.migration->points.n != params["vms_per_host"])
      throw InputError::in_file((dir / std::string(name(f.kind))).string(),
                       fmt::format("{} VMs migrated, but vms_per_host is {}", f.migration->points.n,
                                   params["vms_per_host"].dump()));
  try {
    parse_params(params);
  } catch (const InputError& e) {
    // parse_params names a JSON pointer: say which file the assembled object came from.
    throw InputError::in_file((dir / "base.json").string() + (e.where().empty() ? "" : ": " + e.where()),
                     e.message() + " (in the parameter file assembled from the suite)");
  }
  s.params = params;
  s.report = {{"dir", dir.string()}, {"kinds", kinds}, {"from_base", from_base}};
  return s;
}

namespace {

std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> w;
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) {
      if (w.size() <= c) w.push_back(0);
      w[c] = std::max(w[c], r[c].size());
    }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c)
      line += c + 1 < r.size() ? r[c] + std::string(w[c] - r[c].size() + 2, ' ') : r[c];
    out += line + "\n";
  }
  return out;
}

std::string num(const json& v, const char* f = "{:.6g}") {
  return v.is_number() ? fmt::format(fmt::runtime(f), v.get<double>()) : "-";
}

std::string render_kind(const json& r) {
  std::string out;
  const std::string kind = r.value("kind", "?");
  if (r.contains("edges")) {
    const json& e = r["edges"];
    out +=
        fmt::format("{}: {} from series \"{}\" around {} at t = {} s\n", kind, r.value("dir", ""),
                    r.value("series", ""), e.value("event", ""), num(e["event_time_s"]));
    std::vector<std::vector<std::string>> rows = {{"quantity", "value", "how"}};
    rows.push_back(
        {"baseline p", num(r["baseline"]),
         fmt::format("median of {} samples before the event", num(e["baseline_samples"]))});
    rows.push_back({"downtime (s)", num(r["downtime_s"]),
                    fmt::format("until above {} (recovery at t = {} s)",
                                num(e["recovery_threshold"]), num(e["recovery_time_s"]))});
    rows.push_back({"degraded period (s)", num(r["degraded_period_s"]),
                    fmt::format("until ≥ {} for the hold time (settled at t = {} s)",
                                num(e["band_threshold"]), num(e["settle_time_s"]))});
    rows.push_back({"degradation", num(r["degradation"]),
                    kind == "os"
                        ? fmt::format("others {} over (n−1)·D_os = {} s; own {} over {} s",
                                      num(r["others_degradation"]), num(r["others_period_s"]),
                                      num(r["cache_degradation"]), num(r["cache_period_s"]))
                        : "1 − mean(degraded)/p"});
    return out + table(rows);
  }
  out += fmt::format("{}: {} ({} VMs, p = {} from {}, {})\n", kind, r.value("dir", ""),
                     num(r["vms"]), num(r["p"]), r.value("p_source", ""), r.value("mode", ""));
  std::vector<std::vector<std::string>> rows = {
      {"curve", "form (AICc)", "coefficients ± se", "R²", "resid. sd", "points"}};
  for (const char* c : {"V_s", "V_m", "V_d", "M"}) {
    if (!r["curves"].contains(c)) continue;
    const json& f = r["curves"][c];
    std::string coefs;
    for (const auto& p : f["pieces"]) {
      if (!coefs.empty()) coefs += "; ";
      if (f["pieces"].size() > 1)
        coefs += fmt::format("i {}..{}: ", p["from"].get<int>(), p["to"].get<int>());
      for (size_t k = 0; k < p["coef"].size(); ++k)
        coefs += fmt::format("{}{} ± {}", k ? ", " : "", num(p["coef"][k], "{:.4g}"),
                             num(p["se"][k], "{:.2g}"));
    }
    rows.push_back({c, f["form"].get<std::string>(), coefs, num(f["r2"], "{:.4f}"),
                    num(f["residual_sd"], "{:.3g}"), num(f["points"])});
  }
  out += table(rows);
  out += fmt::format("total time {} s", num(r["total_time_s"]));
  if (r.contains("downtime_s")) out += fmt::format(", D_m = {} s", num(r["downtime_s"]));
  out += r.contains("gamma") ? fmt::format(", γ = {}\n", num(r["gamma"], "{:.4f}"))
                             : fmt::format(", γ′ = {}\n", num(r["gamma_prime"], "{:.4f}"));
  return out;
}

}  // namespace

std::string render_report(const json& report) {
  if (!report.contains("kinds")) return render_kind(report);
  std::string out;
  for (const auto& [k, r] : report["kinds"].items()) {
    out.append(render_kind(r));
    out.push_back('\n');
  }
  if (!report["from_base"].empty()) {
    out += "from the base parameters:";
    for (const auto& k : report["from_base"]) {
      out.push_back(' ');  // appended piecewise: GCC 12's -Wrestrict misfires on " " + std::string
      out.append(k.get<std::string>());
    }
    out += "\n";
  }
  if (report.contains("bootstrap")) {
    const json& b = report["bootstrap"];
    out += fmt::format(
        "\nbootstrap: {} resamples of the residuals, seed {}, 95 % percentile intervals\n",
        b["replicates"].get<int>(), b["seed"].get<unsigned long long>());
    std::vector<std::vector<std::string>> rows = {{"quantity", "estimate", "2.5 %", "97.5 %"}};
    for (const auto& q : b["intervals"])
      rows.push_back({q["quantity"].get<std::string>(), num(q["estimate"], "{:.8g}"),
                      num(q["lo"], "{:.8g}"), num(q["hi"], "{:.8g}")});
    out += table(rows);
  }
  return out;
}

}  // namespace rejuv::fitting
