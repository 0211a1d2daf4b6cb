#pragma once
// A plot as rejuvkit writes it: FILE.dat (the numbers, whitespace-separated, with a commented
// header), FILE.gp (a gnuplot script that reads FILE.dat and draws FILE.svg and FILE.png, runnable
// by hand from its folder: `gnuplot FILE.gp`), and the two pictures when gnuplot is on PATH.
#include <filesystem>
#include <optional>
#include <string>

namespace rejuv::plots {

// Both pictures have this size: PNG in pixels, SVG in its user units.
inline constexpr int kWidth = 1200;
inline constexpr int kHeight = 800;

struct Plot {
  std::string about;  // comment lines for the top of the script (what is drawn, from what, why so)
  std::string data;   // the whole .dat file
  // gnuplot commands drawing the picture once the terminal and output are set; they read the data
  // through the variable `data` (the .dat file's name) and may use multiplot.
  std::string body;
};

// The complete script for `stem` (FILE without its extension): the variables data, svg_out and
// png_out (each overridable with gnuplot -e), then `body` once per terminal.
std::string script(const Plot& plot, const std::string& stem);

// A string as a gnuplot double-quoted literal ("a\"b"). Text shown with `noenhanced` keeps
// underscores; elsewhere use display_name.
std::string quote(const std::string& text);
// "live_rate_control" → "live rate control": enhanced-text labels would turn _ into a subscript.
std::string display_name(std::string name);

struct Written {
  std::filesystem::path dat, gp, svg, png;
  bool rendered = false;  // false when gnuplot was not found on PATH
};

// The first executable `program` in $PATH's folders, or nullopt.
std::optional<std::filesystem::path> find_on_path(const std::string& program);

// Writes stem.dat and stem.gp (stem = `out` without .svg/.png) atomically, then, when gnuplot is
// on PATH, runs it in out's folder to temporary names and renames them to stem.svg and stem.png.
// `out` must end in .svg or .png (std::invalid_argument otherwise); a failing gnuplot throws
// std::runtime_error and leaves no picture behind.
Written write_plot(const Plot& plot, const std::filesystem::path& out);

}  // namespace rejuv::plots
