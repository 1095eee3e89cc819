// Textual IP addresses in the shapes Kubernetes DNS uses: record data for A/AAAA, the dashed
// label of pod records ("10-0-0-1"), in-addr.arpa names, and IPv4 ranges for reverse zones.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dns/records.hpp"

namespace kinda::dns {

std::optional<std::array<uint8_t, 4>> parse_ipv4(std::string_view text);
// Ipv4Data or Ipv6Data; nullopt when the text is not an address.
std::optional<RData> address_data(const std::string& ip);
// The address's record type: A, AAAA, or nullopt when the text is not an address.
std::optional<uint16_t> address_type(const std::string& ip);
// "10.0.0.1" → "10-0-0-1"; IPv6 colons become dashes as CoreDNS does.
std::string dashed_ip(std::string_view ip);
// "10-0-0-1" → "10.0.0.1"; nullopt unless it spells an IPv4 address.
std::optional<std::string> ipv4_from_dashed(std::string_view label);

struct Ipv4Range {
  std::array<uint8_t, 4> network{};
  int prefix_length = 0;

  // "127.64.0.0/16"; nullopt when malformed.
  static std::optional<Ipv4Range> parse(std::string_view cidr);
  // The in-addr.arpa zone covering the range, rounded out to whole octets: /16 → "64.127.…", /12 →
  // "10.…".
  Name reverse_zone() const;
};

// For "d.c.b.a.in-addr.arpa" (already matched against the in-addr.arpa suffix) returns the
// dotted address "a.b.c.d", or nullopt unless exactly four decimal octets precede the suffix.
std::optional<std::string> ipv4_from_reverse(const Name& lowered_name);

}  // namespace kinda::dns
