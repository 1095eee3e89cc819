#include "kubelet/prober/http_probe_request.hpp"

#include <strings.h>

#include <cctype>

#include "kubelet/prober/http_probe_outcome.hpp"
#include "kubelet/prober/probe_port.hpp"

namespace kinda::kubelet {
namespace {

using nlohmann::json;

bool same_name(const std::string& a, const char* b) {
  return strcasecmp(a.c_str(), b) == 0;
}

// The first value given for a header name, and whether there is one at all: the kubelet (through
// Go's http.Header) looks only at the first value of Host and User-Agent.
const HttpHeader* first_named(const std::vector<HttpHeader>& headers, const char* name) {
  for (const auto& h : headers)
    if (same_name(h.name, name)) return &h;
  return nullptr;
}

std::vector<HttpHeader> user_headers(const json& http_get) {
  std::vector<HttpHeader> headers;
  const json& list = http_get.contains("httpHeaders") ? http_get["httpHeaders"] : json();
  if (!list.is_array()) return headers;
  for (const auto& h : list)
    if (h.is_object()) headers.push_back({h.value("name", ""), h.value("value", "")});
  return headers;
}

// RFC 7230 token characters, which Go's client insists on in header names.
bool valid_header_name(const std::string& name) {
  static const std::string extra = "!#$%&'*+-.^_`|~";
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && extra.find(static_cast<char>(c)) == std::string::npos) return false;
  return true;
}

// No control characters but tab: a CR or LF would smuggle in headers of its own.
bool valid_header_value(const std::string& value) {
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  return true;
}

std::string string_or(const json& object, const char* key, const std::string& fallback) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() && !it->get<std::string>().empty()
             ? it->get<std::string>()
             : fallback;
}

}  // namespace

std::string join_host_port(const std::string& host, int port) {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<HttpProbeRequest> http_probe_request(const json& http_get, const ProbeTarget& target) {
  if (!http_get.is_object()) return Error::bad_request("httpGet must be an object");
  const json port_field = http_get.value("port", json());
  int port = resolve_probe_port(port_field, target.container_ports);
  if (port <= 0 || port > 65535)
    return Error::bad_request(
        "couldn't find port: " +
        (port_field.is_string() ? port_field.get<std::string>() : port_field.dump()) +
        " in the container's ports");

  HttpProbeRequest request;
  request.host = string_or(http_get, "host", target.pod_ip);
  std::string scheme = string_or(http_get, "scheme", "HTTP") == "HTTPS" ? "https" : "http";
  std::string path = string_or(http_get, "path", "/");
  if (path.front() != '/') path.insert(0, "/");
  request.url = scheme + "://" + join_host_port(request.host, port) + path;

  auto given = user_headers(http_get);
  for (const auto& h : given) {
    if (!valid_header_name(h.name))
      return Error::bad_request(request_failure(
          request.url, "net/http: invalid header field name " + json(h.name).dump()));
    if (!valid_header_value(h.value))
      return Error::bad_request(request_failure(
          request.url, "net/http: invalid header field value for " + json(h.name).dump()));
  }
  if (const auto* host = first_named(given, "Host")) request.host_header = host->value;
  const auto* agent = first_named(given, "User-Agent");
  const auto* accept = first_named(given, "Accept");
  for (const auto& h : given) {
    if (same_name(h.name, "Host")) continue;
    if (same_name(h.name, "User-Agent") && (&h != agent || h.value.empty())) continue;
    if (same_name(h.name, "Accept") && accept->value.empty()) continue;
    request.headers.push_back(h);
  }
  if (!agent) request.headers.push_back({"User-Agent", kProbeUserAgent});
  if (!accept) request.headers.push_back({"Accept", "*/*"});
  return request;
}

}  // namespace kinda::kubelet
