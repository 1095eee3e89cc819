#include "dns/wire.hpp"

#include <algorithm>
#include <cstdio>

namespace kinda::dns {

Result<Name> Name::parse(std::string_view text) {
  Name name;
  if (text.empty() || text == ".") return name;
  if (text.back() == '.') text.remove_suffix(1);
  size_t wire = 1;
  while (true) {
    const size_t dot = text.find('.');
    const std::string_view label = text.substr(0, dot);
    if (label.empty()) return Error::bad_request("empty label in DNS name");
    if (label.size() > kMaxLabelLength)
      return Error::bad_request("DNS label longer than 63 octets: " + std::string(label));
    wire += label.size() + 1;
    name.labels.emplace_back(label);
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  if (wire > kMaxNameLength) return Error::bad_request("DNS name longer than 255 octets");
  return name;
}

std::string Name::to_string() const {
  if (labels.empty()) return ".";
  std::string out;
  for (const std::string& label : labels) {
    for (const char c : label) {
      const auto octet = static_cast<unsigned char>(c);
      if (c == '.' || c == '\\') {
        out += '\\';
        out += c;
      } else if (octet <= 0x20 || octet >= 0x7f) {
        char escaped[5];
        std::snprintf(escaped, sizeof escaped, "\\%03u", octet);
        out += escaped;
      } else {
        out += c;
      }
    }
    out += '.';
  }
  return out;
}

size_t Name::wire_length() const {
  size_t length = 1;
  for (const std::string& label : labels) length += label.size() + 1;
  return length;
}

bool Name::ends_with(const Name& suffix) const {
  if (suffix.labels.size() > labels.size()) return false;
  return std::equal(suffix.labels.rbegin(), suffix.labels.rend(), labels.rbegin(),
                    [](const std::string& a, const std::string& b) { return iequals(a, b); });
}

Name Name::lowered() const {
  Name out;
  out.labels.reserve(labels.size());
  for (const std::string& label : labels) out.labels.push_back(ascii_lower(label));
  return out;
}

namespace {
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return lower(x) == lower(y); });
}

std::string type_name(uint16_t type) {
  switch (type) {
    case rtype::kA:
      return "A";
    case rtype::kNS:
      return "NS";
    case rtype::kCNAME:
      return "CNAME";
    case rtype::kSOA:
      return "SOA";
    case rtype::kPTR:
      return "PTR";
    case rtype::kTXT:
      return "TXT";
    case rtype::kAAAA:
      return "AAAA";
    case rtype::kSRV:
      return "SRV";
    case rtype::kOPT:
      return "OPT";
    case rtype::kIXFR:
      return "IXFR";
    case rtype::kAXFR:
      return "AXFR";
    case rtype::kANY:
      return "ANY";
    default:
      return "TYPE" + std::to_string(type);
  }
}

}  // namespace kinda::dns
