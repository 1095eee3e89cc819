// What a forwarding resolver says to its client, as pure functions over packets: the upstream's
// reply under the client's ID, cut down to header and question (TC set) when it exceeds what the
// client's transport takes, and SERVFAIL when no upstream answered. No sockets, no c-ares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dns/wire.hpp"

namespace kinda::dns {

// The parts of a client's query its reply depends on.
struct ForwardedQuery {
  Header header;
  Question question;
  bool edns = false;
  size_t limit = kClassicUdpSize;  // the largest reply the client takes on its transport
};

// `transport_limit` is 512 for UDP (raised by the query's EDNS payload size) and 65535 for TCP.
// nullopt unless the packet is a well-formed query with one question.
std::optional<ForwardedQuery> read_forwarded_query(std::span<const uint8_t> query,
                                                   size_t transport_limit);

// The upstream's reply carrying the client's ID; when longer than the client's limit, only its
// header (TC set, RA and the rcode as the upstream gave them) and the question, so the client
// retries over TCP. A reply shorter than a header becomes SERVFAIL.
std::vector<uint8_t> relay_reply(const ForwardedQuery& query,
                                 std::span<const uint8_t> upstream_reply);

// SERVFAIL with the question, RA set: recursion is offered, it just failed this time.
std::vector<uint8_t> servfail_reply(const ForwardedQuery& query);

}  // namespace kinda::dns
