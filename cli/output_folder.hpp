#pragma once
// The one way `rejuv run` and `rejuv sweep` make their output folder: the folders it creates are
// removed again on a failure or an interruption, unless the command has said to keep them.
//
//   OutputFolder out(dir);           // creates dir and any missing parents
//   out.stage("summary.json", …);    // run: every file under a temporary name first,
//   out.commit();                    //      then all renamed into place; the folder is kept
//   out.keep(); out.write(…);        // sweep: kept from its sweep.json on, so that finished
//                                    //        points survive for a resumed run
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace rejuv::cli {

class OutputFolder {
 public:
  // Throws CliError (status 2) when the folder cannot be created.
  explicit OutputFolder(std::filesystem::path dir);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  const std::filesystem::path& path() const { return dir_; }
  // A subfolder (e.g. "points"), created and removed along with the folder.
  void make_subfolder(const std::string& name);
  // Writes one file atomically now (write_atomic).
  void write(const std::string& name, const std::string& content) const;
  // Holds a file until commit(), which writes them all, then keeps the folder.
  void stage(const std::string& name, std::string content);
  void commit();
  // From now on the folder and what is in it stay, whatever happens.
  void keep();

 private:
  void create(const std::filesystem::path& dir);
  std::filesystem::path dir_;
  std::vector<std::filesystem::path> created_;  // outermost first
  std::vector<std::pair<std::string, std::string>> staged_;
  bool kept_ = false;
};

}  // namespace rejuv::cli
