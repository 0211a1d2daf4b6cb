#pragma once
// Runs the `rejuv` executable the way a user would, capturing stdout, stderr and the exit status,
// so that bad-input tests check the message and the status the user actually sees.
#include <nlohmann/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace rejuv::testing {

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
};

// Arguments are passed without a shell; none of them is interpreted.
CliResult run_cli(const std::vector<std::string>& args);

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Names of the files in the directory, sorted.
  std::vector<std::string> files() const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);
std::filesystem::path source_path(const std::string& relative);

// Like a JSON merge patch, but a null stays in the document: a scenario written with it keeps the
// null, so that the scenario's own merge onto its "extends" base is what removes the key.
void merge_keeping_nulls(nlohmann::json& into, const nlohmann::json& patch);

}  // namespace rejuv::testing
