// Walking back on a failure (seed 000 §3.2.4): to the nearest extraction function, through steps
// that reject substitutes, through flatMap, zip, partition and splitAt; LackOfElements raised in
// an enclosing element's operation so that the enclosing pipeline walks back to its own extraction
// function (experiment 3); and the blame-aware walk-back of §5.2's open problem.
#include <gtest/gtest.h>

#include "lineage_fixtures.hpp"

namespace rejuv::sim::lineage {
namespace {

using testing::Broken;
using testing::range;
using testing::Recorder;
using Ints = std::vector<int>;

// Hosts 30..39; host h has VMs h*10+1 .. h*10+3 (experiment 3's shape: ibm34's VMs 34-1, 34-2, …).
Ints vms_of(int host) { return {host * 10 + 1, host * 10 + 2, host * 10 + 3}; }

struct StartOneVmPerHost {
  Lineage& lin;
  const Broken& broken;
  Ints started{}, tried{};
  // pms.take(3).foreach { pm => pm.vms.take(1).foreach(_.start) }: figure 7.
  Ints run(const Ints& hosts) {
    return lin.of(hosts)
        .take(3)
        .foreach_list([&](int h) {
          lin.of(vms_of(h)).take(1).foreach ([&](int vm) {
            tried.push_back(vm);
            broken.check(vm);
            started.push_back(vm);
          });
        })
        .values();
  }
};

TEST(WalkBack, AnExhaustedNestedPipelineMakesTheEnclosingOneReplaceItsElement) {
  Lineage lin;
  Recorder rec;
  lin.settings().observer = &rec;
  const Broken broken{{311, 312, 313}};  // every VM of host 31 fails to start
  StartOneVmPerHost s{lin, broken};
  EXPECT_EQ(s.run(range(30, 40)), (Ints{30, 32, 33}));
  // The substitute for host 31 runs at once, in 31's turn, before host 32.
  EXPECT_EQ(s.tried, (Ints{301, 311, 312, 313, 331, 321}));
  EXPECT_EQ(s.started, (Ints{301, 331, 321}));
  EXPECT_EQ(rec.events, (std::vector<std::string>{"failure foreach 311", "substitute take 311->312",
                                                  "failure foreach 312", "substitute take 312->313",
                                                  "failure foreach 313", "lack take",
                                                  "failure foreach 31", "substitute take 31->33"}));
}

TEST(WalkBack, LackOfElementsCarriesTheChainWhenNothingIsLeftAnywhere) {
  Lineage lin;
  const Broken broken{{311, 312, 313}};
  StartOneVmPerHost s{lin, broken};
  try {
    s.run(range(30, 33));  // take(3) of three hosts: nothing unused
    FAIL() << "expected LackOfElements";
  } catch (const LackOfElements& e) {
    EXPECT_EQ(e.extraction(), "take 3");
    ASSERT_EQ(e.chain().size(), 1u);
    EXPECT_EQ(e.chain()[0].element, "31");
    ASSERT_EQ(e.chain()[0].cause.size(), 3u);  // the inner pipeline's three failed starts
    EXPECT_EQ(e.chain()[0].cause[2].element, "313");
    EXPECT_NE(render(e.chain()[0]).find("exception (foreach) on 312"), std::string::npos);
  }
}

TEST(WalkBack, WithoutAnExtractionFunctionTheFailureStopsThePipeline) {
  Lineage lin;
  const Broken broken{{3}};
  auto chain = lin.of(range(0, 10)).filter([](int x) { return x > 1; }).map([&](int x) {
    return broken.check(x), x;
  });
  EXPECT_THROW(chain.eval(), PipelineFailed);
}

TEST(WalkBack, ASubstituteAReplayedStepRejectsIsUsedUpAndTheNextIsDrawn) {
  Lineage lin;
  const Broken broken{{1}};
  auto chain = lin.of(range(0, 10)).take(3).filter([](int x) { return x != 3; }).map([&](int x) {
    return broken.check(x), x;
  });
  EXPECT_EQ(chain.eval(), (Ints{0, 2, 4}));
}

TEST(WalkBack, StepsAfterTheExtractionFunctionSeeTheStateAtTheTimeOfTheFailure) {
  Lineage lin;
  std::vector<double> load(10, 0.3);
  auto chain = lin.of(range(0, 10))
                   .take(2)
                   .filter([&](int h) { return load[size_t(h)] < 0.5; })
                   .map([&](int h) {
                     if (h == 1) {
                       load[2] = 0.9;  // host 2 got busy while host 1 was being tried
                       throw ElementFailure("host 1 is down");
                     }
                     return h;
                   });
  EXPECT_EQ(chain.eval(), (Ints{0, 3}));
}

TEST(WalkBack, AFailedChildOfFlatMapReplacesItsParentAndEverythingThatCameOfIt) {
  Lineage lin;
  const Broken broken{{312}};
  Ints started;
  auto vms =
      lin.of(range(30, 36)).take(2).flat_map([](int h) { return vms_of(h); }).map([&](int vm) {
        broken.check(vm);
        started.push_back(vm);
        return vm;
      });
  EXPECT_EQ(vms.eval(), (Ints{301, 302, 303, 321, 322, 323}));
  EXPECT_EQ(started, (Ints{301, 302, 303, 311, 321, 322, 323}));  // 311 started before 312 failed
}

TEST(BlameAware, AFailureBlamingTheEnclosingElementIsHandledByItsPipeline) {
  for (BlameMode mode : {BlameMode::nearest, BlameMode::failed_object}) {
    SCOPED_TRACE(std::string(name(mode)));
    Lineage lin({.blame = mode});
    Ints tried;
    // Every VM of host 31 fails, and the failure says the host is to blame.
    auto start = [&](int vm) {
      tried.push_back(vm);
      if (vm / 10 == 31) throw ElementFailure("host 31 cannot start VMs", ObjectId(31));
    };
    auto hosts = lin.of(range(30, 40)).take(3).foreach_list([&](int h) {
      lin.of(vms_of(h)).take(1).foreach (start);
    });
    EXPECT_EQ(hosts.values(), (Ints{30, 32, 33}));
    if (mode == BlameMode::nearest)
      EXPECT_EQ(tried, (Ints{301, 311, 312, 313, 331, 321}));
    else
      EXPECT_EQ(tried, (Ints{301, 311, 331, 321}));  // host 31 replaced at once
  }
}

TEST(BlameAware, WhenTheMigratedVmFailsAnotherVmIsDrawnNotAnotherTarget) {
  // balance (figure 5): the VMs of a host, take(2), each migrated to take(1) of the targets.
  // VM 2 cannot be migrated anywhere, and the failure blames VM 2.
  for (BlameMode mode : {BlameMode::nearest, BlameMode::failed_object}) {
    SCOPED_TRACE(std::string(name(mode)));
    Lineage lin({.blame = mode});
    std::vector<std::pair<int, int>> attempts;
    auto moved = lin.of(Ints{1, 2, 3, 4}).take(2).foreach_list([&](int vm) {
      lin.of(Ints{100, 101, 102}).take(1).foreach ([&](int target) {
        attempts.emplace_back(vm, target);
        if (vm == 2) throw ElementFailure("VM 2 is stuck", ObjectId(2));
      });
    });
    EXPECT_EQ(moved.values(), (Ints{1, 3}));
    if (mode == BlameMode::nearest) {
      // The paper's behaviour: the targets are replaced until none is left; then LackOfElements
      // makes the VM list replace VM 2.
      EXPECT_EQ(attempts, (std::vector<std::pair<int, int>>{
                              {1, 100}, {2, 100}, {2, 101}, {2, 102}, {3, 100}}));
    } else {
      EXPECT_EQ(attempts, (std::vector<std::pair<int, int>>{{1, 100}, {2, 100}, {3, 100}}));
    }
  }
}

TEST(BlameAware, WithinOneChainTheWalkGoesBackToTheFunctionThatChoseTheBlamedObject) {
  auto run = [](BlameMode mode) {
    Lineage lin({.blame = mode});
    auto vms = lin.of(range(30, 36))
                   .take(2)
                   .flat_map([](int h) { return vms_of(h); })
                   .take(4)
                   .map([](int vm) {
                     if (vm / 10 == 31) throw ElementFailure("host 31 is down", ObjectId(31));
                     return vm;
                   });
    return vms.eval();
  };
  // Nearest: take(4) over the VMs draws 312 and 313, which fail too.
  EXPECT_THROW(run(BlameMode::nearest), LackOfElements);
  // Failed-object: host 31 is replaced by host 32, whose VMs come through.
  EXPECT_EQ(run(BlameMode::failed_object), (Ints{301, 302, 303, 321, 322, 323}));
}

TEST(Joins, ZipWalksBackAlongTheSideToBlameAndKeepsTheSlot) {
  Lineage lin({.blame = BlameMode::failed_object});
  const std::vector<std::string> images = {"a", "b", "c", "d"};
  auto pairs = lin.of(range(30, 34))
                   .take(2)
                   .zip(lin.of(images).take(2))
                   .map([](const std::pair<int, std::string>& p) {
                     if (p.second == "b")
                       throw ElementFailure("image b is broken", identity_of(std::string("b")));
                     return p;
                   });
  const auto got = pairs.eval();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (std::pair<int, std::string>{30, "a"}));
  EXPECT_EQ(got[1], (std::pair<int, std::string>{31, "c"}));  // host 31 kept, image c in b's place
}

TEST(Joins, PartitionAndSplitAtSendSubstitutesBackToTheirOwnHalf) {
  Lineage lin;
  const Broken broken{{2}};
  auto [even, odd] = lin.of(range(0, 10)).take(5).partition([](int x) { return x % 2 == 0; });
  // take(5)'s first unused element, 5, is odd: it goes to the other half and is used up.
  EXPECT_EQ(even.map([&](int x) { return broken.check(x), x; }).eval(), (Ints{0, 4, 6}));
  Lineage lin2;
  auto [left, right] = lin2.of(range(0, 10)).take(6).split_at(3);
  EXPECT_EQ(left.map([&](int x) { return Broken{{1}}.check(x), x; }).eval(), (Ints{0, 2, 6}));
  EXPECT_EQ(right.eval(), (Ints{3, 4, 5}));
}

}  // namespace
}  // namespace rejuv::sim::lineage
