// Parameter files (models/params.hpp) as `rejuv model`, `crossover`, `check` and `plot` read them:
// whatever parse_params accepts must give finite terms, indices, throughputs and crossovers.
#include "fuzz_common.hpp"
#include "models/params.hpp"
#include "models/throughput.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rejuv;
  const auto file = fuzz::scratch() / "params.json";
  fuzz::write(file, fuzz::text(data, size));
  fuzz::expect_input_errors_only([&] {
    const Params p = parse_params(load_json(file));
    for (Strategy s : kStrategies) {
      const Terms t = terms(p, s);
      const std::string at(name(s));
      fuzz::require_finite(t.per_host(), at + " index per host");
      if (t.per_host() < 0) fuzz::finding(at + ": negative index per host");
      if (t.gamma) fuzz::require_finite(*t.gamma, at + " gamma");
      for (double m : {1.0, 2.0, double(p.spares), double(p.spares) + 1, double(p.hosts), kMaxHostCount}) {
        if (m < 1) continue;
        fuzz::require_finite(index(p, t, m), at + " index");
        fuzz::require_finite(P(p, s, m), at + " throughput");
      }
      for (Strategy b : kStrategies)
        if (b != s) (void)crossover(p, s, b);
    }
  });
  return 0;
}
