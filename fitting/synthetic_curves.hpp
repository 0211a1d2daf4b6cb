#pragma once
// Synthetic curve sets with known parameters: the throughput a host would show around a reboot or
// during the migration of its VMs if the model of seed 003 §3 held exactly, sampled and made noisy
// with a fixed seed. Tests fit them and check that the parameters come back; they are also a way to
// see what a curve set looks like (rejuv fit reads exactly these files).
#include <cstdint>
#include <filesystem>

#include "fitting/migration_fit.hpp"
#include "fitting/reboot_fit.hpp"
#include "models/params.hpp"

namespace rejuv::fitting {

struct SyntheticOptions {
  Seconds dt = 1;        // sampling interval
  double jitter = 0;     // each sample time moves by up to ±jitter·dt (irregular sampling)
  double noise = 0.01;   // additive noise, sd as a fraction of the series' baseline
  double gaps = 0;       // fraction of cells left empty (never the time)
  bool shuffle = false;  // write the rows in random order
  uint64_t seed = 1;
  Seconds lead = 100;  // time before the first event
  Seconds tail = 200;  // time after the last change
};

// host (and vm1…vmn) around a vmm_reboot_start (warm, cold) or os_reboot_start of vm1 (os). For os,
// `r.degradation` is the degradation of the other VMs while vm1 reboots and `cache` vm1's own
// degraded period and degradation once it is back.
void write_reboot_set(const std::filesystem::path& dir, RebootKind kind, const Reboot& r, double p,
                      int n, const SyntheticOptions& o = {}, Reboot cache = {});

// vm1…vmn, src and dst while the n VMs move one after another, VM i taking M(i) s; the VMs still on
// the source run at V_s(i) each, the moving one at V_m(i) (live) or 0, those on the destination at
// V_d(i); before and after, every VM runs at p/n.
void write_migration_set(const std::filesystem::path& dir, MigrationKind kind, int n, double p,
                         const MigrationCurves& c, const SyntheticOptions& o = {});

}  // namespace rejuv::fitting
