// What `rejuv plan` reads besides the parameter file: an aging file (--aging) and observed crash
// times (--crash-times, CSV). The input is the aging JSON, a marker line, then the CSV; either may
// be empty (not given). A CliError (exit 2, the command's own refusal) is a fine answer; what is
// read must give finite laws: the mean and survival of each, and the scaled TTT of crash times.
#include <string>

#include "cli/output.hpp"
#include "cli/plan_inputs.hpp"
#include "fuzz_common.hpp"

namespace {
constexpr const char* kMarker = "=====crash-times.csv=====\n";

void check_law(const std::optional<rejuv::AgingLaw>& law, const char* what) {
  if (!law) return;
  const double mean = law->mean();
  rejuv::fuzz::require_finite(mean, std::string(what) + " mean");
  for (double f : {0.1, 1.0, 3.0}) {
    const double s = law->survival(f * mean);
    if (!(s >= 0 && s <= 1)) rejuv::fuzz::finding(std::string(what) + " survival outside [0, 1]");
    rejuv::fuzz::require_finite(law->integral_survival(f * mean), std::string(what) + " integral of S");
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  const std::string in = fuzz::text(data, size);
  const size_t at = in.find(kMarker);
  const std::string aging = in.substr(0, at), crashes = at == std::string::npos ? "" : in.substr(at + std::string(kMarker).size());
  const auto aging_file = fuzz::scratch() / "aging.json", crash_file = fuzz::scratch() / "crash.csv";
  fuzz::write(aging_file, aging);
  fuzz::write(crash_file, crashes);
  fuzz::expect_input_errors_only([&] {
    try {
      const cli::PlanInputs p = cli::read_plan_inputs((fuzz::source_dir() / "data/kourai2007.json").string(),
                                                      aging.empty() ? "" : aging_file.string(),
                                                      crashes.empty() ? "" : crash_file.string());
      check_law(p.aging.vmm, "vmm");
      check_law(p.aging.os, "os");
      fuzz::require_finite(p.aging.vmm_detection, "vmm detection");
      fuzz::require_finite(p.aging.os_detection, "os detection");
    } catch (const cli::CliError& e) {
      if (e.status != 2) fuzz::finding(std::string("exit ") + std::to_string(e.status) + ": " + e.what());
    }
  });
  return 0;
}
