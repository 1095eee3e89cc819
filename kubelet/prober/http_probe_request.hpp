// The request the kubelet sends for an httpGet handler: the URL from scheme (HTTP unless HTTPS),
// host (the pod IP unless set), port (a number or a container port's name) and path ("/" unless
// set), and the user's httpHeaders with the kubelet's User-Agent and Accept defaults. Pure: no I/O.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "kubelet/prober/probes.hpp"

namespace kinda::kubelet {

inline constexpr const char* kProbeUserAgent = "kube-probe/1.32";

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpProbeRequest {
  std::string url;   // e.g. http://127.64.0.2:8080/healthz
  std::string host;  // the URL's host: a redirect is followed only when it keeps this host
  // A "Host" httpHeader, which replaces the URL's host:port in the request; empty when not given.
  std::string host_header;
  // Every other header exactly as sent, in the user's order; User-Agent and Accept are present
  // unless the user gave them an empty value, which the kubelet takes as "send none".
  std::vector<HttpHeader> headers;
};

// Fails (with a message for the probe's event) when the port resolves to no valid number.
Result<HttpProbeRequest> http_probe_request(const nlohmann::json& http_get,
                                            const ProbeTarget& target);

// "host:port", with brackets around an IPv6 host, as the kubelet's URLs and dial errors print it.
std::string join_host_port(const std::string& host, int port);

}  // namespace kinda::kubelet
