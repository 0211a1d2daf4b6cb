#include "cli/output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/interrupt.hpp"
#include "models/input_error.hpp"

namespace rejuv::cli {

namespace fs = std::filesystem;

Params load_params_file(const std::string& file) {
  try {
    return parse_params(load_json(file));
  } catch (const InputError& e) {
    throw CliError(format_input_error(file, e));
  }
}

void write_whole_file(const fs::path& file, const std::string& content, const fs::path& shown_as) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw CliError(fmt::format("{}: cannot write (does the folder exist?)", shown_as.string()));
  out << content;
  out.flush();
  if (!out) {
    out.close();
    std::error_code ec;
    fs::remove(file, ec);
    throw CliError(fmt::format("{}: write failed", shown_as.string()));
  }
}

void write_atomic(const fs::path& path, const std::string& content) {
  fs::path tmp = path;
  tmp += fmt::format(".tmp-{}", ::getpid());
  // While the temporary file exists, an interruption waits (cli/interrupt.hpp).
  auto lock = write_lock();
  write_whole_file(tmp, content, path);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw CliError(fmt::format("{}: cannot rename the finished file into place", path.string()));
  }
}

void emit(const std::string& content, const std::string& out) {
  if (out.empty()) {
    std::fwrite(content.data(), 1, content.size(), stdout);
    std::fflush(stdout);
  } else {
    write_atomic(out, content);
  }
}

std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], r[c].size());
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (size_t c = 0; c < cells.size(); ++c) {
      l += cells[c];
      if (c + 1 < cells.size()) l += std::string(width[c] - cells[c].size() + 2, ' ');
    }
    out += l + "\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
  return out;
}

std::string render_csv(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  auto cell = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) {
      if (ch == '"') q.push_back(ch);
      q.push_back(ch);
    }
    return q + "\"";
  };
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c) out.push_back(',');
      out.append(cell(cells[c]));
    }
    out += "\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
  return out;
}

}  // namespace rejuv::cli
