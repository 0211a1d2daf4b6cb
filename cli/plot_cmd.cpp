// `rejuv plot`: figures as data + gnuplot script + SVG and PNG (plots/).
#include <fmt/format.h>

#include <memory>
#include <stdexcept>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "models/input_error.hpp"
#include "plots/figures.hpp"

namespace rejuv::cli {

namespace {

struct PlotOptions {
  std::string kind, input, out, fit, x, y;
};

void run_plot(const PlotOptions& o) {
  if (o.kind != "fig7" && o.kind != "timeline" && o.kind != "curves" && o.kind != "sweep")
    throw CliError(fmt::format("plot: unknown kind \"{}\"; expected fig7, timeline, curves or sweep", o.kind));
  const std::string ext = std::filesystem::path(o.out).extension().string();
  if (ext != ".svg" && ext != ".png")
    throw CliError(fmt::format("--out: expected a file name ending in .svg or .png, got \"{}\"", o.out));
  if (!o.fit.empty() && o.kind != "timeline") throw CliError("--fit: only with the timeline kind");
  if ((!o.x.empty() || !o.y.empty()) && o.kind != "sweep") throw CliError("--x/--y: only with the sweep kind");
  plots::Plot plot;
  try {
    if (o.kind == "fig7") {
      plot = plots::fig7(load_params_file(o.input), o.input);
    } else if (o.kind == "curves") {
      plot = plots::curves(load_params_file(o.input), o.input);
    } else if (o.kind == "timeline") {
      plot = plots::timeline(o.input, o.fit.empty() ? std::nullopt : std::optional<std::filesystem::path>(o.fit));
    } else if (o.kind == "sweep") {
      plot = plots::sweep(o.input, o.x, o.y);
    } else {
      throw CliError(fmt::format("plot: unknown kind \"{}\"; expected fig7, timeline, curves or sweep", o.kind));
    }
  } catch (const InputError& e) {
    throw CliError(format_input_error(o.kind == "timeline" && !o.fit.empty() ? o.fit : o.input, e));
  }
  std::error_code ec;
  const auto dir = std::filesystem::path(o.out).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) throw CliError(fmt::format("{}: cannot create the folder: {}", dir.string(), ec.message()));
  plots::Written w;
  try {
    w = plots::write_plot(plot, o.out);
  } catch (const std::exception& e) {
    throw CliError(e.what());
  }
  if (w.rendered) {
    std::fprintf(stderr, "rejuv plot: wrote %s, %s (%dx%d), %s, %s\n", w.svg.c_str(), w.png.c_str(),
                 plots::kWidth, plots::kHeight, w.dat.c_str(), w.gp.c_str());
  } else {
    std::fprintf(stderr,
                 "rejuv plot: gnuplot not found on PATH, so no picture was drawn; wrote %s and %s "
                 "(install gnuplot, then run `gnuplot %s` in %s)\n",
                 w.dat.c_str(), w.gp.c_str(), w.gp.filename().c_str(),
                 w.gp.parent_path().empty() ? "." : w.gp.parent_path().c_str());
  }
}

}  // namespace

void add_plot_command(CLI::App& app) {
  auto o = std::make_shared<PlotOptions>();
  CLI::App* cmd = app.add_subcommand("plot", "Draw a figure: data file, gnuplot script, SVG and PNG");
  cmd->footer(
      "Kinds and their input:\n"
      "  fig7      PARAMS.json      performance index against host count (seed 003, figure 7)\n"
      "  timeline  DIR              rejuv run output (timeline.csv) or a curve set (throughput.csv,\n"
      "                             events.csv); --fit FILE draws a warm/cold/os fit's step over it;\n"
      "                             an autoscale run: demand, capacity and CPU per VM, per strategy\n"
      "  curves    PARAMS.json      Table 1's V_s, V_m, V_d and M at i = 1..n\n"
      "  sweep     DIR|sweep.csv    --y COLUMN (default index) against --x KEY (default the first\n"
      "                             swept key), a line per strategy, 95 % bands for index\n"
      "Writes FILE.svg and FILE.png (both 1200x800), FILE.dat and FILE.gp (`gnuplot FILE.gp` in its\n"
      "folder redraws both). Without gnuplot on PATH it says so and writes FILE.dat and FILE.gp.\n"
      "Example:\n"
      "  rejuv plot fig7 data/kourai2007.json --out plots/fig7.svg");
  cmd->add_option("kind", o->kind, "fig7, timeline, curves or sweep")->required();
  cmd->add_option("input", o->input, "Parameter file, output folder, curve set or sweep.csv")->required();
  cmd->add_option("--out", o->out, "FILE.svg or FILE.png; the other format, .dat and .gp go beside it")
      ->required();
  cmd->add_option("--fit", o->fit, "timeline of a curve set: a fitted parameter file (rejuv fit --kind)");
  cmd->add_option("--x", o->x, "sweep: the swept key on the x axis");
  cmd->add_option("--y", o->y, "sweep: the column on the y axis (default index)");
  cmd->callback([o] { run_plot(*o); });
}

}  // namespace rejuv::cli
