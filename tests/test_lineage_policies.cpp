// Each policy's answer to the same failure: lineage replaces the element (seed 000), restart runs
// the chain again from its source (what §3.2.2 rejects), the failure-oblivious policies drop the
// element or keep a default result in its place (seed 001 §(3)①), none stops.
#include <gtest/gtest.h>

#include "lineage_fixtures.hpp"

namespace rejuv::sim::lineage {
namespace {

using testing::Broken;
using testing::range;
using testing::Recorder;
using Ints = std::vector<int>;
using Names = std::vector<std::string>;

Names deploy_under(Policy p, Recorder* rec = nullptr) {
  Lineage lin({.policy = p, .observer = rec});
  const Broken broken{{2}};
  return lin.of(range(0, 10))
      .take(4)
      .map([&](int h) { return broken.check(h), "vm" + std::to_string(h); })
      .eval();
}

TEST(Policies, EachAnswersTheSameFailureItsOwnWay) {
  Recorder rec;
  EXPECT_EQ(deploy_under(Policy::lineage), (Names{"vm0", "vm1", "vm3", "vm4"}));
  EXPECT_EQ(deploy_under(Policy::restart, &rec), (Names{"vm0", "vm1", "vm3", "vm4"}));
  EXPECT_EQ(rec.count("restart without 2"), 1u);
  EXPECT_EQ(deploy_under(Policy::oblivious_skip), (Names{"vm0", "vm1", "vm3"}));
  EXPECT_EQ(deploy_under(Policy::oblivious_default), (Names{"vm0", "vm1", "", "vm3"}));
  EXPECT_THROW(deploy_under(Policy::none), PipelineFailed);
}

TEST(Policies, RestartReevaluatesFiltersWithTheCurrentStateAndLeavesOrphans) {
  // §3.2.2: on a rerun from the source, an element that passed a filter may no longer pass it.
  // Deploying raises a host's load; host 1 fails; a rerun no longer chooses host 0, whose VM is
  // left outside the result.
  auto run = [](Policy p, Recorder& rec) {
    Lineage lin({.policy = p, .observer = &rec});
    std::vector<double> load(10, 0.3);
    Ints deployed;
    auto result = lin.of(range(0, 10))
                      .filter([&](int h) { return load[size_t(h)] < 0.5; })
                      .take(3)
                      .map([&](int h) {
                        if (h == 1) throw ElementFailure("host 1 is down");
                        load[size_t(h)] += 0.3;
                        deployed.push_back(h);
                        return h;
                      })
                      .eval();
    return std::pair{result, deployed};
  };
  Recorder lineage_rec, restart_rec;
  const auto [by_lineage, deployed_lineage] = run(Policy::lineage, lineage_rec);
  EXPECT_EQ(by_lineage, (Ints{0, 2, 3}));
  EXPECT_EQ(deployed_lineage, (Ints{0, 3, 2}));  // the substitute runs in the failed element's turn
  const auto [by_restart, deployed_restart] = run(Policy::restart, restart_rec);
  EXPECT_EQ(by_restart, (Ints{2, 3, 4}));
  EXPECT_EQ(deployed_restart,
            (Ints{0, 2, 3, 4}));  // each once: a rerun does not redo what was done
  EXPECT_EQ(restart_rec.count("orphan map 0"), 1u);
}

TEST(Policies, RestartIsShortOfElementsWhenTheRerunYieldsFewer) {
  Lineage lin({.policy = Policy::restart});
  const Broken broken{{0}};
  auto chain = lin.of(range(0, 3)).take(3).map([&](int x) { return broken.check(x), x; });
  EXPECT_THROW(chain.eval(), LackOfElements);
}

TEST(Policies, FailureObliviousPoliciesAbsorbANestedFailure) {
  for (Policy p : {Policy::oblivious_skip, Policy::oblivious_default}) {
    SCOPED_TRACE(std::string(name(p)));
    Lineage lin({.policy = p});
    Ints started;
    auto hosts = lin.of(range(30, 34)).take(2).foreach_list([&](int h) {
      lin.of(Ints{h * 10 + 1, h * 10 + 2}).take(1).foreach ([&](int vm) {
        if (h == 31) throw ElementFailure("cannot start");
        started.push_back(vm);
      });
    });
    EXPECT_EQ(hosts.values(), (Ints{30, 31}));  // host 31 "succeeded" with no VM started
    EXPECT_EQ(started, (Ints{301}));
  }
}

TEST(Policies, NoneStopsAtTheFirstFailureWithItsRecord) {
  Lineage lin({.policy = Policy::none});
  const Broken broken{{1, 2}};
  try {
    lin.of(range(0, 10)).take(4).map([&](int x) { return broken.check(x), x; }, "deploy").eval();
    FAIL() << "expected PipelineFailed";
  } catch (const PipelineFailed& e) {
    EXPECT_EQ(e.failure().element, "1");
    EXPECT_EQ(e.failure().operation, "map deploy");
  }
}

TEST(Policies, NamesRoundTrip) {
  for (Policy p : {Policy::lineage, Policy::restart, Policy::oblivious_skip,
                   Policy::oblivious_default, Policy::none})
    EXPECT_EQ(parse_policy(name(p)), p);
  EXPECT_FALSE(parse_policy("retry"));
  EXPECT_EQ(parse_blame_mode("failed-object"), BlameMode::failed_object);
  EXPECT_EQ(parse_blame_mode("nearest"), BlameMode::nearest);
}

}  // namespace
}  // namespace rejuv::sim::lineage
