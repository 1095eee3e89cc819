#include "controller/endpoints/endpoints_plan.hpp"

#include <algorithm>
#include <map>

#include "api/endpoint_views.hpp"
#include "api/object.hpp"
#include "controller/endpoints/endpoint_references.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

struct Subset {
  std::vector<json> addresses, not_ready;
};

json endpoint_address(const api::EndpointPod& pod, const api::PodAsEndpoint& endpoint) {
  json address = {{"ip", pod.ip}, {"targetRef", pod_reference(pod)}};
  if (!endpoint.hostname.empty()) address["hostname"] = endpoint.hostname;
  if (!pod.node_name.empty()) address["nodeName"] = pod.node_name;
  return address;
}

json endpoints_port(const api::ResolvedPort& port) {
  // core/v1 EndpointPort's name and appProtocol are omitted when empty.
  json out = {{"port", port.port}, {"protocol", port.protocol}};
  if (!port.name.empty()) out["name"] = port.name;
  if (!port.app_protocol.empty()) out["appProtocol"] = port.app_protocol;
  return out;
}

json sorted_by_ip(std::vector<json> addresses) {
  std::sort(addresses.begin(), addresses.end(), [](const json& a, const json& b) {
    return a["ip"].get<std::string>() < b["ip"].get<std::string>();
  });
  return addresses;
}

}  // namespace

Object desired_endpoints(const Object& service, const std::vector<Object>& pods) {
  const api::EndpointService view = api::endpoint_service_of(service);
  std::map<std::vector<api::ResolvedPort>, Subset> subsets;
  // A service without ports lists its pods only when headless, as Kubernetes does: there is
  // nothing to route to otherwise.
  if (!view.ports.empty() || view.headless) {
    for (const Object& object : pods) {
      const api::EndpointPod pod = api::endpoint_pod_of(object);
      const auto endpoint = api::endpoint_of(view, pod);
      if (!endpoint) continue;
      Subset& subset = subsets[endpoint->ports];
      switch (endpoint->listing()) {
        case api::EndpointsListing::kAddress:
          subset.addresses.push_back(endpoint_address(pod, *endpoint));
          break;
        case api::EndpointsListing::kNotReadyAddress:
          subset.not_ready.push_back(endpoint_address(pod, *endpoint));
          break;
        case api::EndpointsListing::kLeftOut:
          break;
      }
    }
  }
  json listed = json::array();
  for (auto& [ports, subset] : subsets) {
    if (subset.addresses.empty() && subset.not_ready.empty()) continue;
    json entry = json::object();
    if (!subset.addresses.empty()) entry["addresses"] = sorted_by_ip(std::move(subset.addresses));
    if (!subset.not_ready.empty())
      entry["notReadyAddresses"] = sorted_by_ip(std::move(subset.not_ready));
    if (!ports.empty()) {
      entry["ports"] = json::array();
      for (const auto& port : ports) entry["ports"].push_back(endpoints_port(port));
    }
    listed.push_back(std::move(entry));
  }
  Object endpoints = {
      {"apiVersion", "v1"},
      {"kind", "Endpoints"},
      {"metadata",
       {{"name", view.name}, {"namespace", view.ns}, {"labels", endpoint_labels(service)}}}};
  if (!listed.empty()) endpoints["subsets"] = std::move(listed);
  return endpoints;
}

std::optional<Object> endpoints_update(const Object& current, const Object& desired) {
  const json no_labels = json::object();
  const json* current_labels = api::find_path(current, "metadata.labels");
  const json* desired_labels = api::find_path(desired, "metadata.labels");
  const bool same_labels = (current_labels ? *current_labels : no_labels) ==
                           (desired_labels ? *desired_labels : no_labels);
  const bool same_subsets =
      current.value("subsets", json::array()) == desired.value("subsets", json::array());
  if (same_labels && same_subsets) return std::nullopt;
  Object next = current;
  next["metadata"]["labels"] = desired_labels ? *desired_labels : no_labels;
  if (desired.contains("subsets"))
    next["subsets"] = desired["subsets"];
  else
    next.erase("subsets");
  return next;
}

}  // namespace kinda::controller
