#include "proxy/route_table.hpp"

namespace kinda::proxy {

const char* to_string(Protocol protocol) {
  return protocol == Protocol::Udp ? "UDP" : "TCP";
}

std::string Backend::to_string() const {
  return ip + ":" + std::to_string(port);
}

std::string ServicePortRoute::key() const {
  return ns + "/" + service + ":" + port_name + "/" + proxy::to_string(protocol);
}

}  // namespace kinda::proxy
