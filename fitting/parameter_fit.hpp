#pragma once
// From curve sets to a parameter file in the format of README "Parameter files": one kind at a time
// (a fragment such as {"warm": {…}}), or a whole suite — a folder with one subfolder per kind
// (warm/, cold/, os/, migration/, live/, live_rate_control/) and the top-level keys (hosts, T_vmm,
// T_os, …) from base.json in the folder and/or a base parameter file — checked with parse_params.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fitting/migration_fit.hpp"
#include "fitting/reboot_fit.hpp"

namespace rejuv::fitting {

enum class FitKind { Warm, Cold, Os, Migration, Live, LiveRateControl };
inline constexpr FitKind kFitKinds[] = {FitKind::Warm, FitKind::Cold,
                                        FitKind::Os,   FitKind::Migration,
                                        FitKind::Live, FitKind::LiveRateControl};
std::string_view name(FitKind k);  // also the parameter file's key and the suite's subfolder
std::optional<FitKind> parse_fit_kind(std::string_view text);

struct FitOptions {
  RebootFitOptions reboot;
  MigrationFitOptions migration;
};

struct KindFit {
  FitKind kind = FitKind::Warm;
  nlohmann::json fragment;  // {"warm": {...}}: the parameter file's object for this kind
  nlohmann::json report;    // how it was fitted
  std::optional<MigrationFit> migration;  // the migration kinds, for the bootstrap
  std::optional<RebootFit> reboot;
};

KindFit fit_kind(const std::filesystem::path& dir, FitKind kind, const FitOptions& o = {});

struct SuiteFit {
  nlohmann::json params;  // complete, accepted by parse_params
  nlohmann::json report;  // {"kinds": {...}, "from_base": [...]}
  std::vector<KindFit> fits;
};

// `base` supplies what the curves do not (hosts, T_vmm, T_os, spares, …, and any kind without a
// subfolder); the suite's base.json, when present, is laid over it. vms_per_host defaults to the
// number of VMs migrated, host_throughput to the warm fit's baseline. Every problem is an
// InputError; a missing key names what to add where.
SuiteFit fit_suite(const std::filesystem::path& dir, const nlohmann::json& base,
                   const FitOptions& o = {});

// The readable table of a report (one kind's, or a suite's).
std::string render_report(const nlohmann::json& report);

}  // namespace rejuv::fitting
