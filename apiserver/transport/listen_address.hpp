// The optional TCP address of the API (config.json api.listen, `--api-listen`): an IP literal on
// loopback and a port, "127.0.0.1:6443" or "[::1]:0" (port 0: the daemon picks a free one).
// Anything else is refused, since the API grants whoever reaches it the whole cluster.
#pragma once

#include <cstdint>
#include <string>

#include "api/error.hpp"

namespace kinda::apiserver {

struct ListenAddress {
  std::string host;  // "127.0.0.1" or "::1", without brackets
  uint16_t port = 0;

  // "127.0.0.1:PORT" or "[::1]:PORT", as written in config.json and URLs.
  std::string to_string() const;
};

// Parses ADDRESS:PORT and refuses addresses outside 127.0.0.0/8 and ::1; errors name `setting`.
Result<ListenAddress> parse_listen_address(const std::string& text, const std::string& setting);

}  // namespace kinda::apiserver
