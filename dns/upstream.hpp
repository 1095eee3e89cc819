// The DNS servers the cluster's resolver forwards to: "ADDRESS:PORT" text as users write it in
// config.json and on the command line, and the nameservers of the host's /etc/resolv.conf.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/error.hpp"

namespace kinda::dns {

struct UpstreamServer {
  std::string address;  // an IPv4 or IPv6 address, without brackets
  uint16_t port = 53;

  // "127.0.0.1:5353" or "[::1]:53": the form parse() reads.
  std::string to_string() const;
  bool operator==(const UpstreamServer&) const = default;
};

// "ADDRESS:PORT", an IPv6 address in brackets; the port is required and may not be 0.
Result<UpstreamServer> parse_upstream(std::string_view text);

// The nameservers c-ares finds in /etc/resolv.conf (c-ares falls back to 127.0.0.1 when the file
// names none). Reads a file; sends nothing.
Result<std::vector<UpstreamServer>> host_nameservers();

}  // namespace kinda::dns
