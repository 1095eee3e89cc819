#include "dns/outside_zone.hpp"

#include "dns/wire_reader.hpp"
#include "dns/zone_index.hpp"

namespace kinda::dns {

bool refused_as_outside_zone(const ZoneIndex& zone, std::span<const uint8_t> query,
                             std::span<const uint8_t> zone_response) {
  if (zone_response.size() < kHeaderSize || (zone_response[3] & 0xF) != rcode::kRefused)
    return false;
  const Result<Message> message = parse_message(query);
  if (!message || message->questions.size() != 1) return false;
  const Question& question = message->questions.front();
  if (question.type == rtype::kAXFR || question.type == rtype::kIXFR) return false;
  // The zone refuses exactly the names it is not authoritative for (zone_lookup.hpp).
  return zone.resolve(question).rcode == rcode::kRefused;
}

}  // namespace kinda::dns
