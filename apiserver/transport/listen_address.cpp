#include "apiserver/transport/listen_address.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace kinda::apiserver {
namespace {

std::string usage(const std::string& setting, const std::string& text, const std::string& why) {
  return setting + " \"" + text + "\": " + why +
         "; use a loopback address and port such as 127.0.0.1:6443, or 127.0.0.1:0 to let the "
         "daemon pick a free port";
}

bool is_loopback(const std::string& host) {
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace

std::string ListenAddress::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress> parse_listen_address(const std::string& text, const std::string& setting) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size())
    return Error::bad_request(usage(setting, text, "must be ADDRESS:PORT"));
  ListenAddress listen;
  listen.host = text.substr(0, colon);
  if (listen.host.size() >= 2 && listen.host.front() == '[' && listen.host.back() == ']')
    listen.host = listen.host.substr(1, listen.host.size() - 2);
  else if (listen.host.find(':') != std::string::npos)
    return Error::bad_request(
        usage(setting, text, "an IPv6 address needs brackets, as in [::1]:0"));
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535)
    return Error::bad_request(usage(setting, text, "the port must be a number from 0 to 65535"));
  listen.port = static_cast<uint16_t>(value);
  if (!is_loopback(listen.host))
    return Error::bad_request(
        usage(setting, text,
              "only loopback addresses (127.0.0.0/8 or [::1]) may listen, so no other machine can "
              "reach the API"));
  return listen;
}

}  // namespace kinda::apiserver
