// Builds query packets: what a stub resolver sends. Used by tests and clients of the server
// (and the upstream forwarder to come).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "dns/wire.hpp"

namespace kinda::dns {

struct QueryOptions {
  uint16_t id = 0;
  bool recursion_desired = true;
  std::optional<uint16_t> edns_udp_size;  // adds an OPT record (EDNS version 0) when set
};

std::vector<uint8_t> build_query(const Question& question, const QueryOptions& options = {});

}  // namespace kinda::dns
