// What the formulas need beyond each value (models/consistency.hpp): every refusal names the JSON
// path and the reason; the paper's file and the limit cases pass.
#include <gtest/gtest.h>

#include "models/consistency.hpp"
#include "models/input_error.hpp"
#include "paper_params.hpp"

namespace rejuv::testing {
namespace {

using nlohmann::json;

struct Case {
  std::string pointer;  // set to `value` in data/kourai2007.json
  json value;
  std::string where, message;  // the InputError's place, and a part of its message
};

class MeaninglessParams : public ::testing::TestWithParam<Case> {};

TEST_P(MeaninglessParams, AreRefusedWithThePathAndTheReason) {
  const Case& c = GetParam();
  json doc = paper_json();
  doc[json::json_pointer(c.pointer)] = c.value;
  try {
    (void)parse_params(doc);
    FAIL() << c.pointer << " = " << c.value.dump() << " was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), c.where);
    EXPECT_NE(e.message().find(c.message), std::string::npos) << e.message();
  }
}

const Case kCases[] = {
    // The issue's examples.
    {"/migration/curves/V_s", json::parse(R"({"exp": [800, 1]})"), "/migration/curves/V_s",
     "expected a finite value ≥ 0 at every VM i = 1..11, got f(1) = inf"},
    {"/live/curves/V_m", json::parse(R"({"linear": [1e308, 1e308]})"), "/live/curves/V_m", "got f(1) = inf"},
    {"/T_os", json(1e-320), "/T_os", "expected T_vmm / T_os (OS rejuvenations per VMM rejuvenation) to be finite"},
    {"/warm/degraded_period", json("1000d"), "/warm",
     "expected downtime + degraded_period ≤ T_vmm (a VMM rejuvenation ends before the next is due), got 59 s + "
     "8.64e+07 s"},
    // Each interval.
    {"/os/degraded_period", json("7d"), "/os", "expected downtime + degraded_period ≤ T_os"},
    {"/cold/downtime", json("28d"), "/cold", "expected downtime + degraded_period ≤ T_vmm"},
    {"/migration/downtime", json("3d"), "/migration/downtime",
     "expected moving a host's n = 11 VMs, n·D_m, to take at most T_vmm = 2.4192e+06 s, got 2.8512e+06 s"},
    {"/migration/total_time", json("29d"), "/migration/total_time", "expected at most T_vmm"},
    {"/live/total_time", json("29d"), "/live/total_time", "expected M_l at most T_vmm"},
    {"/live_rate_control/curves/M", json(1e6), "/live_rate_control/curves/M",
     "expected the moves of the n = 11 VMs to take at most T_vmm = 2.4192e+06 s, got ΣM(i) = 1.1e+07 s"},
    // Curve values the formulas would read.
    {"/live/curves/M", json::parse(R"({"linear": [-10, 50]})"), "/live/curves/M",
     "expected a finite value > 0 at every VM i = 1..11, got f(5) = 0"},
    {"/migration/curves/V_d", json::parse(R"({"linear": [-10, 50]})"), "/migration/curves/V_d",
     "expected a finite value ≥ 0 at every VM i = 2..11, got f(6) = -10"},
    // γ and γ' are fractions of throughput lost.
    {"/migration/curves/V_s", json(1e5), "/migration/curves", "expected curves that give γ in [0, 1]"},
    {"/live/curves/V_m", json(1e5), "/live/curves", "expected curves that give γ' in [0, 1]"},
    // Losses past the whole interval would make the index negative.
    {"/warm", json::parse(R"({"downtime": 0, "degraded_period": "28d", "degradation": 1})"), "/warm",
     "expected the losses per T_vmm to add up to at most T_vmm, got an index per serving host of"},
    // Sizes past which a formula overflows or loops for long.
    {"/host_throughput", json(1e300), "/host_throughput", "expected a throughput whose total over 1e+12 hosts is finite"},
    {"/vms_per_host", json(200000), "/vms_per_host", "expected an integer ≤ 100000"},
};
INSTANTIATE_TEST_SUITE_P(EveryCase, MeaninglessParams, ::testing::ValuesIn(kCases));

TEST(Consistency, ThePapersValuesPass) { EXPECT_NO_THROW(check_params(paper_params())); }

TEST(Consistency, DowntimePlusDegradedPeriodEqualToTheIntervalIsTheLimitCaseAndPasses) {
  json doc = paper_json();
  doc["os"]["downtime"] = "1d";
  doc["os"]["degraded_period"] = "6d";  // D_os + R_os = T_os = 7 d
  doc["os"]["degradation"] = 0;
  EXPECT_NO_THROW((void)parse_params(doc));
}

TEST(Consistency, AMeasuredGammaNeedsNoCurvesAndSkipsTheDerivedOne) {
  json doc = paper_json();
  doc["migration"]["curves"]["V_s"] = 1e5;  // would give γ < 0
  doc["migration"]["gamma"] = 0.6;
  EXPECT_NO_THROW((void)parse_params(doc));
}

TEST(Consistency, EachStrategyIsCheckedOnItsOwnBlock) {
  Params p = paper_params();
  p.live.total_time = 2 * p.T_vmm;
  EXPECT_NO_THROW(check_strategy(p, Strategy::Migration));
  EXPECT_NO_THROW(check_strategy(p, Strategy::LiveRateControl));
  EXPECT_THROW(check_strategy(p, Strategy::Live), InputError);
}

}  // namespace
}  // namespace rejuv::testing
