// DNS wire vocabulary shared by the reader, the writer and the zone: record types, response
// codes, the fixed header and domain names as label lists. Nothing here reads packets or zones.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/error.hpp"

namespace kinda::dns {

namespace rtype {
inline constexpr uint16_t kA = 1;
inline constexpr uint16_t kNS = 2;
inline constexpr uint16_t kCNAME = 5;
inline constexpr uint16_t kSOA = 6;
inline constexpr uint16_t kPTR = 12;
inline constexpr uint16_t kTXT = 16;
inline constexpr uint16_t kAAAA = 28;
inline constexpr uint16_t kSRV = 33;
inline constexpr uint16_t kOPT = 41;
inline constexpr uint16_t kIXFR = 251;
inline constexpr uint16_t kAXFR = 252;
inline constexpr uint16_t kANY = 255;
}  // namespace rtype

namespace rclass {
inline constexpr uint16_t kIN = 1;
inline constexpr uint16_t kANY = 255;
}  // namespace rclass

namespace rcode {
inline constexpr uint16_t kNoError = 0;
inline constexpr uint16_t kFormErr = 1;
inline constexpr uint16_t kServFail = 2;
inline constexpr uint16_t kNXDomain = 3;
inline constexpr uint16_t kNotImp = 4;
inline constexpr uint16_t kRefused = 5;
inline constexpr uint16_t kBadVers = 16;  // extended: needs EDNS to carry the upper bits
}  // namespace rcode

inline constexpr uint8_t kOpcodeQuery = 0;
inline constexpr size_t kHeaderSize = 12;
// The largest message any transport carries (TCP's two-byte length prefix).
inline constexpr size_t kMaxMessageSize = 65535;
inline constexpr size_t kMaxLabelLength = 63;
inline constexpr size_t kMaxNameLength = 255;  // on the wire, root byte included
inline constexpr size_t kClassicUdpSize = 512;

struct Header {
  uint16_t id = 0;
  bool qr = false;
  uint8_t opcode = 0;
  bool aa = false, tc = false, rd = false, ra = false, ad = false, cd = false;
  uint8_t rcode = 0;  // the low four bits; EDNS carries the rest
  uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
};

// A domain name as its labels, in the case they arrived or were written with. Labels are raw
// octets; nothing stops a label from holding a dot, which to_string() escapes.
struct Name {
  std::vector<std::string> labels;

  // Parses presentation form ("a.b.c" or "a.b.c."); rejects empty labels, labels over 63 octets
  // and names over 255 octets. "." and "" are the root.
  static Result<Name> parse(std::string_view text);
  // Presentation form with a trailing dot; '.', '\\' and non-printable octets are escaped.
  std::string to_string() const;
  size_t wire_length() const;
  // True when the last labels of this name equal `suffix`, ignoring ASCII case.
  bool ends_with(const Name& suffix) const;
  Name lowered() const;
  bool operator==(const Name&) const = default;
};

std::string ascii_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
// "A", "SRV", … or "TYPE<n>" (RFC 3597) for types we have no name for.
std::string type_name(uint16_t type);

struct Question {
  Name name;
  uint16_t type = rtype::kA;
  uint16_t klass = rclass::kIN;
};

}  // namespace kinda::dns
