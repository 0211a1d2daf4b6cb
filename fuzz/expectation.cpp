// Expectation files of `rejuv check` (cli/expectation.hpp), read for a check and for --update;
// what --update writes back must read again as a complete expectation file.
#include "cli/expectation.hpp"
#include "fuzz_common.hpp"
#include "models/params.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  static const Params p = parse_params(load_json(fuzz::source_dir() / "data/kourai2007.json"));
  const auto file = fuzz::scratch() / "expect.json";
  fuzz::write(file, fuzz::text(data, size));
  fuzz::expect_input_errors_only([&] { (void)cli::read_expectation(load_json(file), false); });
  fuzz::expect_input_errors_only([&] {
    const cli::Expectation x = cli::read_expectation(load_json(file), true);
    const std::array<cli::Computed, kStrategies.size()> got = cli::compute_now(p, x.hosts);
    std::vector<std::optional<long long>> crossovers;
    for (const auto& c : x.crossovers) crossovers.push_back(crossover(p, c.strategy, c.versus));
    const std::string updated = cli::updated_expectation(x, got, crossovers, "kourai2007.json");
    try {
      (void)cli::read_expectation(nlohmann::json::parse(updated), false);
    } catch (const InputError& e) {
      fuzz::finding(std::string("--update wrote a file that does not read back: ") + e.what());
    }
  });
  return 0;
}
