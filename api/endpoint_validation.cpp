#include "api/endpoint_validation.hpp"

#include <arpa/inet.h>

namespace kinda::api {

using nlohmann::json;

namespace {

bool is_ip(const std::string& text, int family) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return ::inet_pton(family, text.c_str(), buffer) == 1;
}

const json& list_at(const json& object, const char* key) {
  static const json kEmpty = json::array();
  const json& value = field(object, key);
  return value.is_array() ? value : kEmpty;
}

void check_port(Causes& c, const json& port, const std::string& path) {
  const json& number = field(port, "port");
  if (!number.is_number_integer() || number.get<long long>() < 1 || number.get<long long>() > 65535)
    c.invalid(path + ".port", number, "must be between 1 and 65535, inclusive");
  const json& protocol = field(port, "protocol");
  if (!protocol.is_null() && protocol != "TCP" && protocol != "UDP" && protocol != "SCTP")
    c.unsupported(path + ".protocol", protocol, "\"SCTP\", \"TCP\", \"UDP\"");
}

}  // namespace

void check_endpoints(Causes& c, const json& endpoints) {
  const json& subsets = list_at(endpoints, "subsets");
  for (size_t i = 0; i < subsets.size(); ++i) {
    const std::string subset = index_path("subsets", i);
    for (const char* key : {"addresses", "notReadyAddresses"}) {
      const json& addresses = list_at(subsets[i], key);
      for (size_t j = 0; j < addresses.size(); ++j) {
        const std::string path = index_path(subset + "." + key, j) + ".ip";
        const std::string ip = checked_string(c, addresses[j], "ip", path);
        if (!is_ip(ip, AF_INET) && !is_ip(ip, AF_INET6))
          c.invalid(path, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
      }
    }
    const json& ports = list_at(subsets[i], "ports");
    for (size_t k = 0; k < ports.size(); ++k) {
      const std::string path = index_path(subset + ".ports", k);
      check_port(c, ports[k], path);
      if (ports.size() > 1 && string_field(ports[k], "name").empty()) c.required(path + ".name");
    }
  }
}

void check_endpoint_slice(Causes& c, const json& slice) {
  const json& type = field(slice, "addressType");
  if (type.is_null() || type == "") {
    c.required("addressType");
  } else if (type != "IPv4" && type != "IPv6" && type != "FQDN") {
    c.unsupported("addressType", type, "\"FQDN\", \"IPv4\", \"IPv6\"");
  }
  const json& endpoints = list_at(slice, "endpoints");
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const std::string path = index_path("endpoints", i) + ".addresses";
    const json& addresses = list_at(endpoints[i], "addresses");
    if (addresses.empty()) c.required(path, "must contain at least 1 address");
    for (size_t j = 0; j < addresses.size(); ++j) {
      const std::string address = addresses[j].is_string() ? addresses[j].get<std::string>() : "";
      if (type == "IPv4" && !is_ip(address, AF_INET))
        c.invalid(index_path(path, j), addresses[j], "must be a valid IPv4 address");
      else if (type == "IPv6" && !is_ip(address, AF_INET6))
        c.invalid(index_path(path, j), addresses[j], "must be a valid IPv6 address");
    }
  }
  const json& ports = list_at(slice, "ports");
  for (size_t k = 0; k < ports.size(); ++k) check_port(c, ports[k], index_path("ports", k));
}

void check_endpoint_slice_update(Causes& c, const json& old_slice, const json& new_slice) {
  if (field(old_slice, "addressType") != field(new_slice, "addressType"))
    c.invalid("addressType", field(new_slice, "addressType"), "field is immutable");
}

}  // namespace kinda::api
