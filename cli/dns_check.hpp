// Asks a DNS server a real question over UDP with c-ares, so `kinda up` returns only once the
// cluster's resolver answers, not merely once its socket exists.
#pragma once

#include <chrono>
#include <string>

namespace kinda::cli {

// True when the server at address:port answers `name` (TXT) with any DNS response in time.
bool dns_answers(const std::string& address, int port, const std::string& name,
                 std::chrono::milliseconds timeout);

}  // namespace kinda::cli
