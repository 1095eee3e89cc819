// Which queries a forwarder may answer: those the zone refused because their name is not the
// zone's. Refusals for other reasons (zone transfers, broken packets) stand. Pure logic.
#pragma once

#include <cstdint>
#include <span>

namespace kinda::dns {

class ZoneIndex;

// `zone_response` is the zone's answer to `query`. Costs nothing beyond a byte test unless that
// answer is REFUSED, so the zone's own answers stay on the fast path.
bool refused_as_outside_zone(const ZoneIndex& zone, std::span<const uint8_t> query,
                             std::span<const uint8_t> zone_response);

}  // namespace kinda::dns
