#include "printers/endpoint_rows.hpp"

#include <string>
#include <vector>

#include "api/object.hpp"
#include "printers/fields.hpp"

namespace kinda::printers {
namespace {

using nlohmann::json;

constexpr size_t kListedAtMost = 3;

// kubectl's list cells: the first three items, then " + N more..." for the rest.
struct ListedItems {
  std::vector<std::string> shown;
  size_t total = 0;
  void add(std::string item) {
    if (shown.size() < kListedAtMost) shown.push_back(std::move(item));
    ++total;
  }
  std::string text(const std::string& when_empty) const {
    std::string out;
    for (size_t i = 0; i < shown.size(); ++i) out += (i ? "," : "") + shown[i];
    if (total > shown.size())
      return out + " + " + std::to_string(total - kListedAtMost) + " more...";
    return out.empty() ? when_empty : out;
  }
};

// net.JoinHostPort: IPv6 addresses in brackets.
std::string host_port(const std::string& ip, long long port) {
  return (ip.find(':') == std::string::npos ? ip : "[" + ip + "]") + ":" + std::to_string(port);
}

// formatEndpoints: each ready address once per port of its subset (bare without ports). A
// subset with only not-ready addresses adds nothing, so such an Endpoints prints empty.
std::string endpoints_cell(const json& endpoints) {
  const json& subsets = array_at(endpoints, "subsets");
  if (subsets.empty()) return "<none>";
  ListedItems items;
  for (const json& subset : subsets) {
    const json& addresses = array_at(subset, "addresses");
    const json& ports = array_at(subset, "ports");
    if (ports.empty())
      for (const json& address : addresses) items.add(api::string_at(address, "ip"));
    for (const json& port : ports)
      for (const json& address : addresses)
        items.add(host_port(api::string_at(address, "ip"), api::int_at(port, "port")));
  }
  return items.text("");
}

// formatDiscoveryPorts: the port number, else its name, else "*".
std::string slice_ports_cell(const json& slice) {
  ListedItems items;
  for (const json& port : array_at(slice, "ports")) {
    if (const json& number = field(port, "port"); number.is_number())
      items.add(std::to_string(api::int_at(port, "port")));
    else if (const json& name = field(port, "name"); name.is_string())
      items.add(name.get<std::string>());
    else
      items.add("*");
  }
  return items.text("<unset>");
}

// formatDiscoveryEndpoints: every address of every endpoint, ready or not.
std::string slice_endpoints_cell(const json& slice) {
  ListedItems items;
  for (const json& endpoint : array_at(slice, "endpoints"))
    for (const json& address : array_at(endpoint, "addresses"))
      if (address.is_string()) items.add(address.get<std::string>());
  return items.text("<unset>");
}

}  // namespace

PrintedRow print_endpoints(const json& endpoints) {
  PrintedRow row;
  row.cells = {json(api::name_of(endpoints)), json(endpoints_cell(endpoints)),
               created_age(endpoints)};
  return row;
}

PrintedRow print_endpoint_slice(const json& slice) {
  PrintedRow row;
  row.cells = {json(api::name_of(slice)), json(api::string_at(slice, "addressType")),
               json(slice_ports_cell(slice)), json(slice_endpoints_cell(slice)),
               created_age(slice)};
  return row;
}

}  // namespace kinda::printers
