// A user's domain XML is defined under the adapter's own name (sim/backends/domain_xml.hpp).
#include <gtest/gtest.h>

#include "sim/backends/domain_xml.hpp"

namespace rejuv::sim::backends {
namespace {

TEST(DomainXml, ReplacesTheNameAndDropsTheUuid) {
  const std::string xml =
      "<domain type='kvm'>\n  <name>guest</name>\n  "
      "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"
      "  <memory unit='MiB'>512</memory>\n  <devices><disk><source "
      "file='/g.img'/></disk></devices>\n</domain>\n";
  const std::string out = with_domain_name(xml, "rejuv-vm1");
  EXPECT_EQ(out,
            "<domain type='kvm'>\n  <name>rejuv-vm1</name>\n  \n"
            "  <memory unit='MiB'>512</memory>\n  <devices><disk><source "
            "file='/g.img'/></disk></devices>\n</domain>\n");
}

TEST(DomainXml, InsertsANameWhereThereIsNoneAndLeavesLookalikeElements) {
  EXPECT_EQ(with_domain_name("<domain type='test'><named>x</named><memory>1</memory></domain>",
                             "rejuv-a"),
            "<domain type='test'><name>rejuv-a</name><named>x</named><memory>1</memory></domain>");
}

TEST(DomainXml, RefusesWhatIsNoDomain) {
  EXPECT_THROW(with_domain_name("<network><name>n</name></network>", "rejuv-a"),
               std::invalid_argument);
}

}  // namespace
}  // namespace rejuv::sim::backends
