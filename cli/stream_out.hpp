#pragma once
// Output written while it is produced, in large blocks: to stdout, or to a temporary file beside
// the destination that commit() renames over it, so a failed run leaves no partial file (the
// temporary one is removed when a StreamOut is destroyed without commit()).
//
//   StreamOut out(path);               // "" for stdout
//   fmt::format_to(out.append(), FMT_COMPILE("{},{}\n"), a, b);
//   out.commit();
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <string_view>

namespace rejuv::cli {

class StreamOut {
 public:
  explicit StreamOut(const std::string& path);
  ~StreamOut();
  StreamOut(const StreamOut&) = delete;
  StreamOut& operator=(const StreamOut&) = delete;

  // An output iterator for fmt::format_to straight into the buffer, which is written out in blocks.
  fmt::appender append() {
    if (buffer_.size() >= kBlock) flush_block();
    return fmt::appender(buffer_);
  }
  void write(std::string_view text) {
    buffer_.append(text.data(), text.data() + text.size());
    if (buffer_.size() >= kBlock) flush_block();
  }
  // Writes what is left and, for a file, renames it into place.
  void commit();

 private:
  static constexpr size_t kBlock = size_t{1} << 20;
  void flush_block();
  [[noreturn]] void fail(const char* what);

  fmt::memory_buffer buffer_;
  std::FILE* file_ = nullptr;  // stdout, or the temporary file
  std::filesystem::path path_, tmp_;
  bool done_ = false;
};

}  // namespace rejuv::cli
