#pragma once
// What every fuzz target shares. A target is one file, fuzz/<name>.cpp, defining
// LLVMFuzzerTestOneInput; it is built twice:
//   - with clang's libFuzzer under ASan/UBSan (`make fuzz`, build-fuzz/), to search;
//   - with the replay driver (fuzz/replay_main.cpp) in the g++ sanitizer build of `make test`,
//     where ctest runs it once over its corpus: the shipped files and fuzz/regressions/<name>/.
// A target feeds its input to a reader, accepts an InputError as the reader's answer, and treats
// anything else — another exception, a crash, a sanitizer report, a non-finite result the reader
// let through — as a finding (abort, so that libFuzzer saves the input).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "models/input_error.hpp"
#include "models/params.hpp"
#include "sim/scenario.hpp"

namespace rejuv::fuzz {

inline std::string text(const uint8_t* data, size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "FUZZ FINDING: %s\n", what.c_str());
  std::abort();
}

inline void require_finite(double x, const std::string& what) {
  if (!std::isfinite(x)) finding(what + " is not finite: " + std::to_string(x));
}

// Runs `body`; an InputError is a fine answer to bad input, any other exception a finding.
template <class F>
void expect_input_errors_only(F&& body) {
  try {
    body();
  } catch (const InputError&) {
  } catch (const std::exception& e) {
    finding(std::string("uncaught exception: ") + e.what());
  } catch (...) {
    finding("uncaught exception of unknown type");
  }
}

// A scratch folder of this process on tmpfs where there is one (readers that take paths).
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    auto d = base / ("rejuv-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline void write(const std::filesystem::path& file, const std::string& content) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
}

// Where the shipped files are (for "extends" in scenarios).
inline std::filesystem::path source_dir() { return REJUV_SOURCE_DIR; }

// A scenario target's frame: the input as a scenario file ("extends" and CSV traces resolved
// against scenarios/, as for the shipped files); when its "kind" is `kind`, body(doc, row) runs
// with that kind's row of the table, under expect_input_errors_only. Inputs of other kinds are
// their own targets' business.
template <class Body>
void scenario_of_kind(const uint8_t* data, size_t size, const char* kind, Body&& body) {
  const auto file = scratch() / "scenario.json";
  write(file, text(data, size));
  expect_input_errors_only([&] {
    nlohmann::json doc = sim::resolve_extends(load_json(file), source_dir() / "scenarios");
    if (!doc.contains("kind") || doc["kind"] != kind) return;
    body(doc, sim::scenario_kind(doc));
  });
}

// Runs a scenario made small on one thread; it must end with a summary (other files, such as a
// lineage trace of no requests, may be empty).
inline void run_small(const sim::ScenarioKind& kind, const nlohmann::json& doc) {
  sim::RunOptions options;
  options.progress = false;
  options.workers = 1;
  bool summary = false;
  for (const auto& [name, content] : kind.run(doc, options))
    if (name == "summary.json") summary = !content.empty();
  if (!summary) finding("no summary.json");
}

}  // namespace rejuv::fuzz
