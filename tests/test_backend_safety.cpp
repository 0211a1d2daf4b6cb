// The safety rules of real backends (sim/backends/safety.hpp), which need no libvirt: which URIs
// may be used without --allow-real, which name prefixes are acceptable, and the interrupt flag
// SIGINT and SIGTERM set.
#include <gtest/gtest.h>

#include <csignal>

#include "sim/backends/safety.hpp"

namespace rejuv::sim::backends {
namespace {

TEST(SafeUris, OnlyTheInProcessTestDriverIsUsedWithoutAllowReal) {
  EXPECT_EQ(refuse_uri("test:///default", false), "");
  EXPECT_EQ(refuse_uri("test:///tmp/host-a.xml", false), "");
  for (const char* real :
       {"qemu:///system", "qemu:///session", "qemu+ssh://root@h2/system",
        "qemu+unix:///system?socket=/run/h2/libvirt-sock", "test+tcp://h2/default",
        "test://h2/default", "xen:///system", "lxc:///"}) {
    SCOPED_TRACE(real);
    const std::string why = refuse_uri(real, false);
    EXPECT_NE(why.find(real), std::string::npos) << why;
    EXPECT_NE(why.find("--allow-real"), std::string::npos) << why;
    EXPECT_EQ(refuse_uri(real, true), "");
  }
}

TEST(SafeUris, AnEmptyOrMalformedUriIsRefusedEvenWithAllowReal) {
  // An empty URI would let libvirt pick its default hypervisor, often qemu:///system.
  EXPECT_NE(refuse_uri("", true).find("qemu:///system"), std::string::npos);
  EXPECT_NE(refuse_uri("default", true).find("not a libvirt URI"), std::string::npos);
}

TEST(Prefixes, APrefixIsAPlainWordStartingWithALetter) {
  EXPECT_EQ(refuse_prefix("rejuv-"), "");
  EXPECT_EQ(refuse_prefix("exp_3.a-"), "");
  for (const char* bad :
       {"", "-x", "1abc", "a*", "a b", "a/b", "abcdefghijklmnopqrstuvwxyz0123456"}) {
    SCOPED_TRACE(bad);
    EXPECT_NE(refuse_prefix(bad), "");
  }
}

TEST(Prefixes, ANameHasThePrefixOnlyWithSomethingAfterIt) {
  EXPECT_TRUE(has_prefix("rejuv-vm1", "rejuv-"));
  EXPECT_FALSE(has_prefix("rejuv-", "rejuv-"));
  EXPECT_FALSE(has_prefix("vm1", "rejuv-"));
  EXPECT_FALSE(has_prefix("xrejuv-vm1", "rejuv-"));
  EXPECT_FALSE(has_prefix("anything", ""));
}

TEST(Interrupts, SigintAndSigtermSetTheFlagWhileTheGuardIsInstalled) {
  clear_interrupt();
  for (int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(sig);
    {
      InterruptGuard guard;
      EXPECT_FALSE(interrupt_requested());
      std::raise(sig);  // handled: the process goes on
      EXPECT_TRUE(interrupt_requested());
      EXPECT_EQ(InterruptGuard::signal_received(), sig);
    }
    clear_interrupt();
    EXPECT_FALSE(interrupt_requested());
    EXPECT_EQ(InterruptGuard::signal_received(), 0);
  }
  // The previous handlers are back once the guard is gone.
  struct sigaction now {};
  sigaction(SIGINT, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
}

}  // namespace
}  // namespace rejuv::sim::backends
