#pragma once
// The parameter format every rejuvkit command reads (README, "Parameter files").
// Symbols follow seed 003 (Kourai, "Comparison of cluster performance considering VMM software
// rejuvenation"), sections 3–4.
#include <nlohmann/json.hpp>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "models/curve.hpp"
#include "models/units.hpp"

namespace rejuv {

// A reboot that takes a host (or a VM) down, then leaves it degraded for a while.
struct Reboot {
  Seconds downtime = 0;         // D_w(n), D_c(n), D_os
  Seconds degraded_period = 0;  // R_vmm, R'_vmm, R_os
  double degradation = 0;       // ω, ω', δ: the fraction of throughput lost while degraded
};

// Per-VM curves of Table 1, i = 1..n (the i-th VM to be migrated).
struct MigrationCurves {
  std::optional<Curve> V_s;  // throughput of each VM still on the source host
  std::optional<Curve> V_m;  // throughput of the VM being moved (live migration only)
  std::optional<Curve> V_d;  // throughput of each VM already on the destination (i ≥ 2)
  std::optional<Curve> M;    // time to migrate VM i, seconds
};

struct Migration {
  Seconds downtime = 0;                // D_m: mean downtime of one VM (= M_t / n)
  std::optional<Seconds> total_time;   // M_t as measured; informational, γ weighs by ΣM(i)
  MigrationCurves curves;
  std::optional<double> gamma;         // a measured γ overrides the one derived from curves
};

struct LiveMigration {
  Seconds total_time = 0;  // M_l
  MigrationCurves curves;
  std::optional<double> gamma;  // a measured γ' overrides the derived one
};

// Limits beyond which the formulas stop meaning anything in double precision or in memory.
inline constexpr int kMaxVmsPerHost = 100'000;
inline constexpr double kMaxHostCount = 1e12;  // the largest m `rejuv model --hosts` accepts

struct Params {
  int hosts = 1;             // m
  int vms_per_host = 2;      // n
  double host_throughput = 0;  // p: all VMs of one host together, requests/s
  int spares = 1;            // s: hosts held free as migration targets
  Seconds T_vmm = 0;
  Seconds T_os = 0;
  Reboot os, warm, cold;
  Migration migration;
  LiveMigration live, live_rate_control;
};

// Reads a parameter object. Keys starting with '_' are comments; any other unknown key is an
// error, unless it is in `ignore` (the scenario loader passes its own keys there).
// Throws InputError naming the JSON path of the first problem, including what the formulas need
// beyond each value (models/consistency.hpp: intervals, finite terms).
Params parse_params(const nlohmann::json& doc, const std::set<std::string>& ignore = {});

// Reads a JSON file; a syntax error throws InputError("file:line:column", ...), an unreadable
// file InputError(file, ...).
nlohmann::json load_json(const std::filesystem::path& path);

// "file: /warm/downtime: expected ..." or "file:3:7: ..." for an error from `file`.
std::string format_input_error(const std::string& file, const class InputError& e);

}  // namespace rejuv
