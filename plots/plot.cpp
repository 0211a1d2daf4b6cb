#include "plots/plot.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace rejuv::plots {

namespace fs = std::filesystem;

std::string quote(const std::string& text) {
  std::string q = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') q += '\\';
    if (c == '\n') {
      q += "\\n";
      continue;
    }
    q += c;
  }
  return q + "\"";
}

std::string display_name(std::string name) {
  for (char& c : name)
    if (c == '_') c = ' ';
  return name;
}

std::string script(const Plot& plot, const std::string& stem) {
  std::string s;
  for (size_t a = 0; a < plot.about.size();) {
    size_t e = plot.about.find('\n', a);
    if (e == std::string::npos) e = plot.about.size();
    s += "# " + plot.about.substr(a, e - a) + "\n";
    a = e + 1;
  }
  s += fmt::format(
      "#\n"
      "# Run from this folder: gnuplot {0}.gp  — reads {0}.dat, writes {0}.svg and {0}.png,\n"
      "# both {1}x{2} (PNG in pixels). `gnuplot -e \"svg_out='a.svg'; png_out='a.png'\" {0}.gp`\n"
      "# writes elsewhere (rejuv plot does, to temporary names it then renames).\n"
      "data = {3}\n"
      "if (!exists(\"svg_out\")) svg_out = {4}\n"
      "if (!exists(\"png_out\")) png_out = {5}\n"
      "\n"
      "do for [format in \"svg png\"] {{\n"
      "  reset\n"
      "  if (format eq \"svg\") {{\n"
      "    set terminal svg size {1},{2} fixed enhanced font \"Sans,16\" background rgb \"white\"\n"
      "    set output svg_out\n"
      "  }} else {{\n"
      "    set terminal pngcairo size {1},{2} enhanced font \"Sans,13\" background rgb \"white\"\n"
      "    set output png_out\n"
      "  }}\n",
      stem, kWidth, kHeight, quote(stem + ".dat"), quote(stem + ".svg"), quote(stem + ".png"));
  for (size_t a = 0; a < plot.body.size();) {
    size_t e = plot.body.find('\n', a);
    if (e == std::string::npos) e = plot.body.size();
    const std::string line = plot.body.substr(a, e - a);
    s += line.empty() ? "\n" : "  " + line + "\n";
    a = e + 1;
  }
  s += "  set output\n}\n";
  return s;
}

std::optional<fs::path> find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  const std::string p = path;
  for (size_t a = 0; a <= p.size();) {
    size_t e = p.find(':', a);
    if (e == std::string::npos) e = p.size();
    const fs::path dir = p.substr(a, e - a).empty() ? fs::path(".") : fs::path(p.substr(a, e - a));
    const fs::path candidate = dir / program;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    a = e + 1;
  }
  return std::nullopt;
}

namespace {

std::string temp_name(const fs::path& path) {
  return fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
}

void write_atomic(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.parent_path() / temp_name(path);
  {
    std::ofstream out(tmp, std::ios::binary);
    out << content;
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw std::runtime_error(fmt::format("{}: cannot write", path.string()));
    }
  }
  fs::rename(tmp, path);
}

// Runs gnuplot in `dir` with -e `assignments` on `script`; returns its exit status.
int run_gnuplot(const fs::path& gnuplot, const fs::path& dir, const std::string& assignments,
                const std::string& script_name) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("cannot start gnuplot: fork failed");
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) ::dup2(null, 1);  // gnuplot's stdout carries nothing we want
    std::vector<std::string> args = {gnuplot.string(), "-e", assignments, script_name};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

Written write_plot(const Plot& plot, const fs::path& out) {
  const std::string ext = out.extension().string();
  if (ext != ".svg" && ext != ".png")
    throw std::invalid_argument(
        fmt::format("{}: expected a file name ending in .svg or .png", out.string()));
  const fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  const std::string stem = out.stem().string();
  Written w;
  w.dat = dir / (stem + ".dat");
  w.gp = dir / (stem + ".gp");
  w.svg = dir / (stem + ".svg");
  w.png = dir / (stem + ".png");
  write_atomic(w.dat, plot.data);
  write_atomic(w.gp, script(plot, stem));
  const auto gnuplot = find_on_path("gnuplot");
  if (!gnuplot) return w;
  const std::string svg_tmp = temp_name(w.svg), png_tmp = temp_name(w.png);
  const int status = run_gnuplot(*gnuplot, dir,
                                 fmt::format("svg_out='{}'; png_out='{}'", svg_tmp, png_tmp),
                                 w.gp.filename().string());
  std::error_code ec;
  const bool made = fs::file_size(dir / svg_tmp, ec) > 0 && !ec &&
                    fs::file_size(dir / png_tmp, ec) > 0 && !ec;
  if (status != 0 || !made) {
    fs::remove(dir / svg_tmp, ec);
    fs::remove(dir / png_tmp, ec);
    throw std::runtime_error(fmt::format(
        "gnuplot failed (exit status {}) on {}; its messages are above. {} and {} are written",
        status, w.gp.string(), w.dat.string(), w.gp.string()));
  }
  fs::rename(dir / svg_tmp, w.svg);
  fs::rename(dir / png_tmp, w.png);
  w.rendered = true;
  return w;
}

}  // namespace rejuv::plots
