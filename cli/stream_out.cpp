#include "cli/stream_out.hpp"

#include <unistd.h>

#include <system_error>

#include "cli/output.hpp"

namespace rejuv::cli {

namespace fs = std::filesystem;

StreamOut::StreamOut(const std::string& path) {
  if (path.empty()) {
    file_ = stdout;
    return;
  }
  path_ = path;
  tmp_ = path_;
  tmp_ += fmt::format(".tmp-{}", ::getpid());  // the name write_atomic uses
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (file_ == nullptr) throw CliError(fmt::format("{}: cannot write (does the folder exist?)", path));
}

StreamOut::~StreamOut() {
  if (file_ == nullptr || file_ == stdout) return;
  std::fclose(file_);
  std::error_code ec;
  if (!done_) fs::remove(tmp_, ec);
}

void StreamOut::flush_block() {
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) fail("write failed");
  buffer_.clear();
}

void StreamOut::commit() {
  flush_block();
  if (std::fflush(file_) != 0) fail("write failed");
  if (file_ == stdout) return;
  const int closed = std::fclose(file_);
  file_ = nullptr;
  std::error_code ec;
  if (closed != 0) {
    fs::remove(tmp_, ec);
    throw CliError(fmt::format("{}: write failed", path_.string()));
  }
  fs::rename(tmp_, path_, ec);
  if (ec) {
    fs::remove(tmp_, ec);
    throw CliError(fmt::format("{}: cannot rename the finished file into place", path_.string()));
  }
  done_ = true;
}

void StreamOut::fail(const char* what) {
  throw CliError(fmt::format("{}: {}", file_ == stdout ? "stdout" : path_.string(), what));
}

}  // namespace rejuv::cli
