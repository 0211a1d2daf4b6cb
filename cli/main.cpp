// rejuv: the one executable. Exit status: 0 success, 1 a check found drift or an internal error
// (a bug: the message asks to report it), 2 bad input. No exception escapes a command.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/output.hpp"
#include "models/input_error.hpp"

int main(int argc, char** argv) {
  rejuv::cli::install_interrupt_cleanup();
  CLI::App app{"rejuvkit: models and simulation of VMM/OS software rejuvenation in clusters"};
  app.require_subcommand(1);
  app.footer("Run `rejuv COMMAND --help` for a command's options and an example.");
  rejuv::cli::add_model_command(app);
  rejuv::cli::add_crossover_command(app);
  rejuv::cli::add_run_command(app);
  rejuv::cli::add_sweep_command(app);
  rejuv::cli::add_check_command(app);
  rejuv::cli::add_fit_command(app);
  rejuv::cli::add_plot_command(app);
  rejuv::cli::add_curves_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const rejuv::cli::CliError& e) {
    std::fprintf(stderr, "rejuv: %s\n", e.what());
    return e.status;
  } catch (const rejuv::InputError& e) {
    std::fprintf(stderr, "rejuv: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rejuv: internal error: %s; please report it with the command and its input files\n", e.what());
    return 1;
  } catch (...) {
    std::fprintf(stderr, "rejuv: internal error (unknown exception); please report it with the command and its input files\n");
    return 1;
  }
  return 0;
}
