#include "dns/upstream.hpp"

#include <ares.h>
#include <arpa/inet.h>

#include <charconv>

#include "dns/ares_channel.hpp"

namespace kinda::dns {

namespace {

bool is_ip_address(const std::string& text) {
  in6_addr storage;
  return inet_pton(AF_INET, text.c_str(), &storage) == 1 ||
         inet_pton(AF_INET6, text.c_str(), &storage) == 1;
}

Error malformed(std::string_view text, const std::string& why) {
  return Error::bad_request("upstream DNS server \"" + std::string(text) + "\" " + why +
                            " (expected ADDRESS:PORT, e.g. 127.0.0.1:5353 or [::1]:53)");
}

}  // namespace

std::string UpstreamServer::to_string() const {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

Result<UpstreamServer> parse_upstream(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return malformed(text, "has no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  else if (host.find(':') != std::string_view::npos)
    return malformed(text, "needs brackets around its IPv6 address");
  UpstreamServer server{std::string(host), 0};
  if (!is_ip_address(server.address)) return malformed(text, "is not an IP address and port");
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), server.port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || server.port == 0)
    return malformed(text, "has no valid port");
  return server;
}

Result<std::vector<UpstreamServer>> host_nameservers() {
  if (!ares_library_ready()) return Error::internal("c-ares could not initialise");
  ares_channel channel = nullptr;
  ares_options options{};
  if (const int status = ares_init_options(&channel, &options, 0); status != ARES_SUCCESS)
    return Error::internal(std::string("cannot read the host's resolvers: ") +
                           ares_strerror(status));
  ares_addr_port_node* servers = nullptr;
  const int status = ares_get_servers_ports(channel, &servers);
  std::vector<UpstreamServer> out;
  for (const ares_addr_port_node* node = servers; node; node = node->next) {
    char text[INET6_ADDRSTRLEN] = {};
    if (!inet_ntop(node->family, &node->addr, text, sizeof text)) continue;
    // c-ares reports 0 for servers that use the default port.
    out.push_back({text, static_cast<uint16_t>(node->udp_port ? node->udp_port : 53)});
  }
  ares_free_data(servers);
  ares_destroy(channel);
  if (status != ARES_SUCCESS)
    return Error::internal(std::string("cannot read the host's resolvers: ") +
                           ares_strerror(status));
  return out;
}

}  // namespace kinda::dns
