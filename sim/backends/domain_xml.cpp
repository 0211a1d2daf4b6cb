#include "sim/backends/domain_xml.hpp"

#include <stdexcept>

namespace rejuv::sim::backends {

namespace {

// Removes the first <tag>…</tag> (or <tag/>) from s; returns where it was, or npos.
size_t remove_element(std::string& s, std::string_view tag) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "<" + std::string.
  std::string open = "<";
  open.append(tag);
  size_t at = s.find(open);
  while (at != std::string::npos) {
    const char next = at + open.size() < s.size() ? s[at + open.size()] : '\0';
    if (next == '>' || next == ' ' || next == '/' || next == '\t' || next == '\n') break;
    at = s.find(open, at + 1);  // "<named…>" is not "<name>"
  }
  if (at == std::string::npos) return at;
  const size_t gt = s.find('>', at);
  if (gt == std::string::npos) return std::string::npos;
  size_t end = gt + 1;
  if (s[gt - 1] != '/') {
    std::string close = "</";
    close.append(tag).append(">");
    const size_t c = s.find(close, gt);
    if (c == std::string::npos) return std::string::npos;
    end = c + close.size();
  }
  s.erase(at, end - at);
  return at;
}

}  // namespace

std::string with_domain_name(std::string_view xml, std::string_view name) {
  std::string s(xml);
  const size_t domain = s.find("<domain");
  if (domain == std::string::npos)
    throw std::invalid_argument("a libvirt domain XML must have a <domain> element");
  remove_element(s, "uuid");
  std::string element = "<name>";
  element.append(name).append("</name>");
  size_t at = remove_element(s, "name");
  if (at == std::string::npos) {
    const size_t gt = s.find('>', domain);
    if (gt == std::string::npos)
      throw std::invalid_argument("a libvirt domain XML must have a <domain> element");
    at = gt + 1;
  }
  s.insert(at, element);
  return s;
}

}  // namespace rejuv::sim::backends
