#pragma once
// What the CLI shares between commands: its error type, atomic file output, number formatting.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/params.hpp"

namespace rejuv::cli {

// A user-facing failure: the message is printed as is, then the process exits with `status`.
struct CliError : std::runtime_error {
  int status;
  CliError(const std::string& message, int status_ = 2) : std::runtime_error(message), status(status_) {}
};

// Loads a parameter file; any InputError becomes "file: /path: message" with status 2.
Params load_params_file(const std::string& file);

// Writes `content` to a temporary name beside `path`, then renames it over `path`, so a reader never
// sees a partial file and a failed run leaves nothing behind.
void write_atomic(const std::filesystem::path& path, const std::string& content);
// Writes `content` to `file` (any failure removes it and throws CliError naming `shown_as`).
void write_whole_file(const std::filesystem::path& file, const std::string& content,
                      const std::filesystem::path& shown_as);

// Prints to stdout, or writes atomically to `out` when it is not empty.
void emit(const std::string& content, const std::string& out);

// Left-aligned text columns padded to the widest cell, two spaces apart.
std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// CSV: cells containing a comma or a quote are quoted.
std::string render_csv(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

}  // namespace rejuv::cli
