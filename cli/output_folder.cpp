#include "cli/output_folder.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <system_error>

#include "cli/interrupt.hpp"
#include "cli/output.hpp"

namespace rejuv::cli {

namespace fs = std::filesystem;

OutputFolder::OutputFolder(fs::path dir) : dir_(std::move(dir)) { create(dir_); }

void OutputFolder::create(const fs::path& dir) {
  // Create missing parents one by one, so that exactly the folders made here are known.
  std::vector<fs::path> missing;
  std::error_code probe;
  for (fs::path p = dir; !p.empty() && !fs::exists(p, probe); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    std::error_code ec;
    if (!fs::create_directory(*it, ec) && ec) {
      throw CliError(fmt::format("{}: cannot create the output folder: {}", dir.string(), ec.message()));
    }
    created_.push_back(*it);
    remove_folder_on_interrupt(*it);
  }
  if (!fs::is_directory(dir, probe)) throw CliError(fmt::format("{}: exists and is not a folder", dir.string()));
}

void OutputFolder::make_subfolder(const std::string& name) { create(dir_ / name); }

void OutputFolder::write(const std::string& name, const std::string& content) const {
  write_atomic(dir_ / name, content);
}

void OutputFolder::stage(const std::string& name, std::string content) { staged_.emplace_back(name, std::move(content)); }

void OutputFolder::commit() {
  // Every file under its temporary name first: a full disk fails before any is in place.
  std::vector<fs::path> temps;
  auto lock = write_lock();
  auto discard = [&] {
    std::error_code ec;
    for (const auto& t : temps) fs::remove(t, ec);
  };
  for (const auto& [name, content] : staged_) {
    const fs::path tmp = dir_ / fmt::format("{}.tmp-{}", name, ::getpid());
    temps.push_back(tmp);
    try {
      write_whole_file(tmp, content, dir_ / name);
    } catch (...) {
      discard();
      throw;
    }
  }
  for (size_t k = 0; k < staged_.size(); ++k) {
    std::error_code ec;
    fs::rename(temps[k], dir_ / staged_[k].first, ec);
    if (ec) {
      discard();
      throw CliError(fmt::format("{}: cannot rename the finished file into place: {}", (dir_ / staged_[k].first).string(),
                                 ec.message()));
    }
  }
  lock.unlock();
  staged_.clear();
  keep();
}

void OutputFolder::keep() {
  if (kept_) return;
  kept_ = true;
  for (const auto& d : created_) keep_folder_on_interrupt(d);
}

OutputFolder::~OutputFolder() {
  if (kept_) return;
  // Innermost first; fs::remove takes only empty folders, so nothing a user put there is lost.
  for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
    std::error_code ec;
    fs::remove(*it, ec);
    keep_folder_on_interrupt(*it);
  }
}

}  // namespace rejuv::cli
