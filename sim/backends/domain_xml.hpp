#pragma once
// Renaming a libvirt domain XML, so that a guest description given by the user is defined under the
// adapter's own name. Plain text edits (no XML library): the domain's <name> is the first <name>
// element of a domain document, and its <uuid> the first <uuid>.
#include <string>
#include <string_view>

namespace rejuv::sim::backends {

// `xml` with the first <name>…</name> replaced by <name>NAME</name> (inserted after the opening
// <domain …> tag when there is none) and the first <uuid>…</uuid> removed, so that libvirt gives
// each domain defined from one description its own. Throws std::invalid_argument when `xml` has no
// <domain element.
std::string with_domain_name(std::string_view xml, std::string_view name);

}  // namespace rejuv::sim::backends
