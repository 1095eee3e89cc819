#include "api/endpoint_membership.hpp"

#include <algorithm>

namespace kinda::api {

bool has_pod_endpoints(const EndpointService& service) {
  return !service.selector.empty() && service.external_name.empty();
}

bool selector_matches(const std::map<std::string, std::string>& selector,
                      const std::map<std::string, std::string>& labels) {
  return std::all_of(selector.begin(), selector.end(), [&labels](const auto& term) {
    const auto label = labels.find(term.first);
    return label != labels.end() && label->second == term.second;
  });
}

std::vector<ResolvedPort> resolve_ports(const EndpointService& service, const EndpointPod& pod) {
  std::vector<ResolvedPort> out;
  for (const EndpointServicePort& port : service.ports) {
    int number = port.target_port > 0 ? port.target_port : port.port;
    if (!port.target_port_name.empty()) {
      const auto named = std::find_if(
          pod.container_ports.begin(), pod.container_ports.end(), [&](const ContainerPortView& c) {
            return c.name == port.target_port_name && c.protocol == port.protocol;
          });
      if (named == pod.container_ports.end()) continue;
      number = named->number;
    }
    out.push_back({port.name, port.protocol, port.app_protocol, number});
  }
  return out;
}

EndpointsListing PodAsEndpoint::listing() const {
  if (conditions.terminating) return EndpointsListing::kLeftOut;
  return conditions.ready ? EndpointsListing::kAddress : EndpointsListing::kNotReadyAddress;
}

std::optional<PodAsEndpoint> endpoint_of(const EndpointService& service, const EndpointPod& pod) {
  if (!has_pod_endpoints(service)) return std::nullopt;
  if (pod.ip.empty() || pod.finished || !selector_matches(service.selector, pod.labels))
    return std::nullopt;
  PodAsEndpoint endpoint;
  endpoint.ports = resolve_ports(service, pod);
  if (!service.ports.empty() && endpoint.ports.empty()) return std::nullopt;
  endpoint.conditions.serving = pod.ready;
  endpoint.conditions.terminating = pod.terminating;
  // "ready" is never true for a terminating pod unless the service publishes not-ready ones.
  endpoint.conditions.ready = service.publish_not_ready || (pod.ready && !pod.terminating);
  if (!pod.hostname.empty() && pod.subdomain == service.name) endpoint.hostname = pod.hostname;
  return endpoint;
}

}  // namespace kinda::api
