// Curve sets (fitting/curve_set.hpp), as `rejuv fit` and `rejuv plot timeline` read them. The input
// is throughput.csv, a line "=====events.csv=====", then events.csv (fuzz/make-corpus writes the
// shipped data/curves/* that way).
#include "fitting/curve_set.hpp"
#include "fuzz_common.hpp"
#include "plots/figures.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  const std::string input = fuzz::text(data, size);
  const std::string mark = "=====events.csv=====\n";
  const size_t at = input.find(mark);
  const auto dir = fuzz::scratch() / "curve-set";
  std::filesystem::create_directories(dir);
  fuzz::write(dir / "throughput.csv", input.substr(0, at));
  fuzz::write(dir / "events.csv", at == std::string::npos ? "" : input.substr(at + mark.size()));
  fuzz::expect_input_errors_only([&] {
    const fitting::CurveSet cs = fitting::read_curve_set(dir);
    for (const auto& [name, s] : cs.series_by_name) {
      if (s.t.size() != s.y.size()) fuzz::finding(name + ": times and values differ in count");
      for (size_t k = 0; k < s.size(); ++k) {
        fuzz::require_finite(s.t[k], name + " time");
        fuzz::require_finite(s.y[k], name + " value");
        if (k && s.t[k] < s.t[k - 1]) fuzz::finding(name + ": samples not sorted by time");
      }
    }
    for (const auto& e : cs.events) fuzz::require_finite(e.time, "event time");
  });
  fuzz::expect_input_errors_only([&] { (void)plots::timeline(dir, std::nullopt); });
  return 0;
}
