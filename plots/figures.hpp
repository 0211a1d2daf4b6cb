#pragma once
// The figures `rejuv plot` draws, each built from its input file(s) as a Plot (plots/plot.hpp).
// Readers throw InputError::in_file naming the file and the place ("sweep.csv:4:12: …").
#include <filesystem>
#include <optional>
#include <string>

#include "models/params.hpp"
#include "plots/plot.hpp"

namespace rejuv::plots {

// Seed 003 figure 7: the performance index P/(m·p) of the five strategies against the host count
// m = 1 … 10^6 (log axis), with the crossovers rejuv::crossover finds against cold marked.
Plot fig7(const Params& p, const std::string& source);

// Throughput against time. `input` is a simulator output folder (or its timeline.csv: one line
// per strategy) or a curve-set folder (throughput.csv and events.csv: the host series, or src and
// dst for a migration set, with the events marked). `fit` (curve sets only) is a parameter file
// with a warm, cold or os object, as `rejuv fit DIR --kind K` writes: its step — baseline p, 0
// for the downtime D, (1 − ω)p for the degraded period R — is drawn over the measured curve,
// starting at the set's first reboot event.
Plot timeline(const std::filesystem::path& input, const std::optional<std::filesystem::path>& fit);

// Table 1's curves V_s, V_m, V_d (requests/s per VM) and M (s) of the three migration strategies
// at i = 1 … n, one panel each: lines through the values at integer i, marked with points.
Plot curves(const Params& p, const std::string& source);

// Column `y` of a sweep.csv (`rejuv sweep`'s output, or its folder) against the swept key `x`, one
// line per strategy (and per value of any other swept key), with index ± index_ci95_half_width as
// a band when y is index and the half widths are there. Empty x/y: the first swept key / index.
Plot sweep(const std::filesystem::path& input, const std::string& x, const std::string& y);

// Measured against predicted live migrations, from `rejuv migration-fit`'s compare.csv: total time
// and downtime in two panels, fitted and held-out points apart, the line measured = predicted.
Plot migration_fit(const std::filesystem::path& compare_csv);

}  // namespace rejuv::plots
