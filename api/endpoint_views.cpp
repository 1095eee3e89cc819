#include "api/endpoint_views.hpp"

#include "api/labels.hpp"
#include "api/object.hpp"

namespace kinda::api {

using nlohmann::json;

namespace {

std::vector<ContainerPortView> container_ports_of(const json& pod) {
  std::vector<ContainerPortView> out;
  const json* containers = find_path(pod, "spec.containers");
  if (!containers || !containers->is_array()) return out;
  for (const json& container : *containers) {
    const json* ports = find_path(container, "ports");
    if (!ports || !ports->is_array()) continue;
    for (const json& port : *ports)
      if (const std::string name = string_at(port, "name"); !name.empty())
        out.push_back({name, string_at(port, "protocol", "TCP"),
                       static_cast<int>(int_at(port, "containerPort", 0))});
  }
  return out;
}

EndpointServicePort service_port_of(const json& port) {
  // Null fields (`name:` left empty) read as absent.
  EndpointServicePort out{string_at(port, "name"), string_at(port, "protocol", "TCP"),
                          static_cast<int>(int_at(port, "port", 0))};
  if (const json* target = find_path(port, "targetPort"); target && target->is_string())
    out.target_port_name = target->get<std::string>();
  else
    out.target_port = static_cast<int>(int_at(port, "targetPort", 0));
  out.app_protocol = string_at(port, "appProtocol");
  return out;
}

}  // namespace

EndpointPod endpoint_pod_of(const json& pod) {
  EndpointPod p;
  p.ns = namespace_of(pod);
  p.name = name_of(pod);
  p.uid = uid_of(pod);
  p.hostname = string_at(pod, "spec.hostname");
  p.subdomain = string_at(pod, "spec.subdomain");
  p.node_name = string_at(pod, "spec.nodeName");
  p.ip = string_at(pod, "status.podIP");
  p.ready = pod_is_ready(pod);
  p.terminating = is_terminating(pod);
  p.finished = pod_finished(pod);
  p.labels = labels_of(pod);
  p.container_ports = container_ports_of(pod);
  return p;
}

EndpointService endpoint_service_of(const json& svc) {
  EndpointService s;
  s.ns = namespace_of(svc);
  s.name = name_of(svc);
  const std::string cluster_ip = string_at(svc, "spec.clusterIP");
  s.headless = cluster_ip == "None";
  if (!s.headless) s.cluster_ip = cluster_ip;
  if (string_at(svc, "spec.type") == "ExternalName")
    s.external_name = string_at(svc, "spec.externalName");
  s.publish_not_ready = bool_at(svc, "spec.publishNotReadyAddresses");
  if (const json* selector = find_path(svc, "spec.selector"); selector && selector->is_object())
    for (const auto& [k, v] : selector->items())
      if (v.is_string()) s.selector[k] = v.get<std::string>();
  if (const json* ports = find_path(svc, "spec.ports"); ports && ports->is_array())
    for (const json& port : *ports) s.ports.push_back(service_port_of(port));
  return s;
}

}  // namespace kinda::api
