#include "dns/addresses.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace kinda::dns {

std::optional<std::array<uint8_t, 4>> parse_ipv4(std::string_view text) {
  const std::string copy(text);
  std::array<uint8_t, 4> out{};
  if (inet_pton(AF_INET, copy.c_str(), out.data()) != 1) return std::nullopt;
  return out;
}

std::optional<RData> address_data(const std::string& ip) {
  if (const auto v4 = parse_ipv4(ip)) return Ipv4Data{*v4};
  Ipv6Data v6;
  if (inet_pton(AF_INET6, ip.c_str(), v6.address.data()) == 1) return v6;
  return std::nullopt;
}

std::optional<uint16_t> address_type(const std::string& ip) {
  const auto data = address_data(ip);
  if (!data) return std::nullopt;
  return std::holds_alternative<Ipv4Data>(*data) ? rtype::kA : rtype::kAAAA;
}

std::string dashed_ip(std::string_view ip) {
  std::string out(ip);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '.' || c == ':'; }, '-');
  return out;
}

std::optional<std::string> ipv4_from_dashed(std::string_view label) {
  if (label.find('.') != std::string_view::npos) return std::nullopt;
  std::string dotted(label);
  std::replace(dotted.begin(), dotted.end(), '-', '.');
  if (!parse_ipv4(dotted)) return std::nullopt;
  return dotted;
}

std::optional<Ipv4Range> Ipv4Range::parse(std::string_view cidr) {
  const size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto network = parse_ipv4(cidr.substr(0, slash));
  const std::string_view length_text = cidr.substr(slash + 1);
  int length = -1;
  const auto [end, ec] =
      std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
  if (!network || ec != std::errc() || end != length_text.data() + length_text.size() ||
      length < 0 || length > 32) {
    return std::nullopt;
  }
  return Ipv4Range{*network, length};
}

Name Ipv4Range::reverse_zone() const {
  Name zone;
  for (int i = prefix_length / 8 - 1; i >= 0; --i)
    zone.labels.push_back(std::to_string(network[i]));
  zone.labels.insert(zone.labels.end(), {"in-addr", "arpa"});
  return zone;
}

std::optional<std::string> ipv4_from_reverse(const Name& lowered_name) {
  if (lowered_name.labels.size() != 6) return std::nullopt;
  const auto& l = lowered_name.labels;
  const std::string dotted = l[3] + "." + l[2] + "." + l[1] + "." + l[0];
  // inet_pton accepts only plain decimal octets, so "010" or "0x1" never alias another address.
  if (!parse_ipv4(dotted)) return std::nullopt;
  return dotted;
}

}  // namespace kinda::dns
