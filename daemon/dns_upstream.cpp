#include "daemon/dns_upstream.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

namespace kinda::daemon {

namespace {

const char* const kConfigForms =
    "dns.upstream must be \"host\", \"none\" or a list of ADDRESS:PORT";
const char* const kFlagForms =
    "--dns-upstream must be \"host\", \"none\" or a comma-separated list of ADDRESS:PORT";

std::optional<DnsUpstream> named_mode(std::string_view text) {
  if (text == "host") return DnsUpstream{DnsUpstream::Mode::Host, {}};
  if (text == "none") return DnsUpstream{DnsUpstream::Mode::None, {}};
  return std::nullopt;
}

Result<DnsUpstream> server_list(const std::vector<std::string>& items, const char* forms) {
  DnsUpstream upstream{DnsUpstream::Mode::Servers, {}};
  for (const std::string& item : items) {
    auto server = dns::parse_upstream(item);
    if (!server) return Error::bad_request(std::string(forms) + "; " + server.error().message);
    upstream.servers.push_back(*server);
  }
  if (upstream.servers.empty())
    return Error::bad_request(std::string(forms) + "; the list is empty (use \"none\" to refuse)");
  return upstream;
}

}  // namespace

nlohmann::json DnsUpstream::to_json() const {
  switch (mode) {
    case Mode::Host:
      return "host";
    case Mode::None:
      return "none";
    case Mode::Servers:
      break;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const dns::UpstreamServer& server : servers) list.push_back(server.to_string());
  return list;
}

std::string DnsUpstream::describe() const {
  if (mode != Mode::Servers) return to_json().get<std::string>();
  std::string out;
  for (const dns::UpstreamServer& server : servers)
    out += (out.empty() ? "" : ", ") + server.to_string();
  return out;
}

Result<DnsUpstream> dns_upstream_from_json(const nlohmann::json& value) {
  if (value.is_string()) {
    if (auto mode = named_mode(value.get<std::string>())) return *mode;
    return Error::bad_request(std::string(kConfigForms) + ", got " + value.dump());
  }
  if (!value.is_array())
    return Error::bad_request(std::string(kConfigForms) + ", got " + value.dump());
  std::vector<std::string> items;
  for (const nlohmann::json& item : value) {
    if (!item.is_string())
      return Error::bad_request(std::string(kConfigForms) + ", got " + item.dump() +
                                " in the list");
    items.push_back(item.get<std::string>());
  }
  return server_list(items, kConfigForms);
}

Result<DnsUpstream> dns_upstream_from_flag(const std::string& text) {
  if (auto mode = named_mode(text)) return *mode;
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return server_list(items, kFlagForms);
}

}  // namespace kinda::daemon
