// Resource records as values: what the zone decides to say, before the writer encodes it.
// A Resolution is the zone's whole reply to one question, sections and response code included.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "dns/wire.hpp"

namespace kinda::dns {

struct Ipv4Data {
  std::array<uint8_t, 4> address{};
};
struct Ipv6Data {
  std::array<uint8_t, 16> address{};
};
struct NameData {  // CNAME, PTR, NS
  Name target;
};
struct SrvData {
  uint16_t priority = 0, weight = 0, port = 0;
  Name target;
};
struct SoaData {
  Name mname, rname;
  uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};
struct TxtData {
  std::vector<std::string> strings;  // each at most 255 octets
};

using RData = std::variant<Ipv4Data, Ipv6Data, NameData, SrvData, SoaData, TxtData>;

struct ResourceRecord {
  Name owner;
  uint16_t type = rtype::kA;
  uint32_t ttl = 0;
  RData data;
};

struct Resolution {
  uint16_t rcode = rcode::kNoError;
  bool authoritative = false;
  std::vector<ResourceRecord> answers;
  std::vector<ResourceRecord> authority;
  std::vector<ResourceRecord> additional;  // dropped first when the packet is full
};

}  // namespace kinda::dns
