// The CSV traces the plots read (plots/csv_table.hpp): a run's timeline.csv (`rejuv plot timeline
// OUT`) and a sweep's sweep.csv (`rejuv plot sweep`); the same bytes are given to both.
#include "fuzz_common.hpp"
#include "plots/figures.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  const auto dir = fuzz::scratch() / "run";
  std::filesystem::create_directories(dir);
  const std::string input = fuzz::text(data, size);
  fuzz::write(dir / "timeline.csv", input);
  fuzz::write(dir / "sweep.csv", input);
  fuzz::expect_input_errors_only([&] { (void)plots::timeline(dir, std::nullopt); });
  fuzz::expect_input_errors_only([&] { (void)plots::sweep(dir / "sweep.csv", "hosts", "index"); });
  return 0;
}
