#pragma once
// Each subcommand registers itself on the app; its callback runs the command and may throw CliError.
#include <CLI/CLI.hpp>

namespace rejuv::cli {

void add_model_command(CLI::App& app);
void add_crossover_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_check_command(CLI::App& app);
void add_fit_command(CLI::App& app);
void add_plot_command(CLI::App& app);
void add_curves_command(CLI::App& app);
void add_migration_fit_command(CLI::App& app);
void add_validate_command(CLI::App& app);
void add_plan_command(CLI::App& app);

}  // namespace rejuv::cli
