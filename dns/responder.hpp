// The DNS protocol around a zone: checks a raw query (one question, opcode QUERY, EDNS version 0,
// no zone transfers), asks the zone for the answer and encodes it within the size limit, setting
// TC when the answer does not fit. Knows nothing of sockets or of what the zone holds.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "dns/records.hpp"

namespace kinda::dns {

// The UDP payload size we advertise: the DNS flag day 2020 value, safe from fragmentation.
inline constexpr uint16_t kEdnsUdpSize = 1232;

using Resolver = std::function<Resolution(const Question&)>;

// `max_size` is the transport's limit (512 for UDP, 65535 for TCP); a query's EDNS payload size
// may raise it, up to kEdnsUdpSize. Returns an empty vector when the packet is too broken to
// answer (shorter than a header, or itself a response), which the caller drops.
std::vector<uint8_t> respond(std::span<const uint8_t> query, size_t max_size,
                             const Resolver& resolve);

}  // namespace kinda::dns
