#include "controller/endpoints/endpoint_slice_plan.hpp"

#include <algorithm>
#include <map>

#include "api/endpoint_views.hpp"
#include "api/object.hpp"
#include "controller/endpoints/endpoint_references.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

json slice_endpoint(const api::EndpointPod& pod, const api::PodAsEndpoint& endpoint) {
  json out = {{"addresses", json::array({pod.ip})},
              {"conditions",
               {{"ready", endpoint.conditions.ready},
                {"serving", endpoint.conditions.serving},
                {"terminating", endpoint.conditions.terminating}}},
              {"targetRef", pod_reference(pod)}};
  if (!endpoint.hostname.empty()) out["hostname"] = endpoint.hostname;
  if (!pod.node_name.empty()) out["nodeName"] = pod.node_name;
  return out;
}

json slice_ports(const std::vector<api::ResolvedPort>& ports) {
  // discovery/v1 EndpointPort: name is always written, "" for an unnamed service port.
  json out = json::array();
  for (const auto& port : ports) {
    json entry = {{"name", port.name}, {"port", port.port}, {"protocol", port.protocol}};
    if (!port.app_protocol.empty()) entry["appProtocol"] = port.app_protocol;
    out.push_back(std::move(entry));
  }
  return out;
}

json slice_labels(const Object& service) {
  json labels = endpoint_labels(service);
  labels[kServiceNameLabel] = api::name_of(service);
  labels[kManagedByLabel] = kManagedByController;
  return labels;
}

json owner_reference(const Object& service) {
  return json::array({{{"apiVersion", "v1"},
                       {"kind", "Service"},
                       {"name", api::name_of(service)},
                       {"uid", api::uid_of(service)},
                       {"controller", true},
                       {"blockOwnerDeletion", true}}});
}

Object new_slice(const Object& service, json ports, json endpoints) {
  const std::string name = api::name_of(service);
  return {{"apiVersion", "discovery.k8s.io/v1"},
          {"kind", "EndpointSlice"},
          {"metadata",
           {{"generateName", name + "-"},
            {"namespace", api::namespace_of(service)},
            {"labels", slice_labels(service)},
            {"ownerReferences", owner_reference(service)}}},
          {"addressType", "IPv4"},
          {"endpoints", std::move(endpoints)},
          {"ports", std::move(ports)}};
}

const json& field_or_null(const Object& object, const std::string& dotted) {
  static const json kNull;
  const json* found = api::find_path(object, dotted);
  return found ? *found : kNull;
}

// What this controller writes of a slice; everything else (name, annotations, managedFields)
// is left as stored.
bool same_contents(const Object& stored, const Object& desired) {
  for (const char* path :
       {"addressType", "endpoints", "ports", "metadata.labels", "metadata.ownerReferences"})
    if (field_or_null(stored, path) != field_or_null(desired, path)) return false;
  return true;
}

Object with_contents(Object stored, const Object& desired) {
  for (const char* key : {"addressType", "endpoints", "ports"}) stored[key] = desired[key];
  for (const char* key : {"labels", "ownerReferences"})
    stored["metadata"][key] = desired["metadata"][key];
  return stored;
}

bool managed_by_us(const Object& slice, const Object& service) {
  return slice_label(slice, kManagedByLabel) == kManagedByController &&
         slice_label(slice, kServiceNameLabel) == api::name_of(service);
}

}  // namespace

std::string slice_label(const Object& slice, const std::string& key) {
  const json* labels = api::find_path(slice, "metadata.labels");
  if (!labels || !labels->is_object()) return "";
  const auto found = labels->find(key);
  return found != labels->end() && found->is_string() ? found->get<std::string>() : "";
}

std::vector<Object> desired_endpoint_slices(const Object& service,
                                            const std::vector<Object>& pods) {
  const api::EndpointService view = api::endpoint_service_of(service);
  std::vector<Object> slices;
  if (!api::has_pod_endpoints(view)) return slices;
  std::vector<const Object*> by_name;
  for (const Object& pod : pods) by_name.push_back(&pod);
  std::sort(by_name.begin(), by_name.end(),
            [](const Object* a, const Object* b) { return api::name_of(*a) < api::name_of(*b); });
  std::map<std::vector<api::ResolvedPort>, json> groups;
  for (const Object* object : by_name) {
    const api::EndpointPod pod = api::endpoint_pod_of(*object);
    if (const auto endpoint = api::endpoint_of(view, pod))
      groups[endpoint->ports].push_back(slice_endpoint(pod, *endpoint));
  }
  // With no endpoints at all the service still gets one empty slice, as upstream: consumers
  // tell "no endpoints" from "not synced yet" by it.
  if (groups.empty()) slices.push_back(new_slice(service, json::array(), json::array()));
  for (auto& [ports, endpoints] : groups)
    for (size_t first = 0; first < endpoints.size(); first += kMaxEndpointsPerSlice) {
      const size_t last = std::min(endpoints.size(), first + kMaxEndpointsPerSlice);
      json chunk(endpoints.begin() + static_cast<std::ptrdiff_t>(first),
                 endpoints.begin() + static_cast<std::ptrdiff_t>(last));
      slices.push_back(new_slice(service, slice_ports(ports), std::move(chunk)));
    }
  return slices;
}

SlicePlan plan_endpoint_slices(const Object& service, const std::vector<Object>& pods,
                               const std::vector<Object>& stored) {
  SlicePlan plan;
  std::vector<Object> desired = desired_endpoint_slices(service, pods);
  std::vector<Object> reusable;
  for (const Object& slice : stored) {
    if (!managed_by_us(slice, service)) continue;
    // addressType is immutable: a slice of another type cannot become one of ours.
    if (api::string_at(slice, "addressType") != "IPv4")
      plan.remove.push_back(slice);
    else
      reusable.push_back(slice);
  }
  std::sort(reusable.begin(), reusable.end(),
            [](const Object& a, const Object& b) { return api::name_of(a) < api::name_of(b); });
  std::vector<bool> used(reusable.size(), false);
  std::vector<const Object*> unplaced;
  // First the stored slices that already hold the same ports: most changes are an endpoint
  // coming or going, which then updates the one slice it belongs to.
  for (const Object& want : desired) {
    bool placed = false;
    for (size_t i = 0; i < reusable.size() && !placed; ++i) {
      if (used[i] || field_or_null(reusable[i], "ports") != want["ports"]) continue;
      used[i] = placed = true;
      if (!same_contents(reusable[i], want))
        plan.update.push_back(with_contents(reusable[i], want));
    }
    if (!placed) unplaced.push_back(&want);
  }
  // Then any stored slice left over takes a new port set, rather than one slice going and
  // another coming.
  for (const Object* want : unplaced) {
    const auto free = std::find(used.begin(), used.end(), false);
    if (free == used.end()) {
      plan.create.push_back(*want);
      continue;
    }
    const size_t i = static_cast<size_t>(free - used.begin());
    used[i] = true;
    plan.update.push_back(with_contents(reusable[i], *want));
  }
  for (size_t i = 0; i < reusable.size(); ++i)
    if (!used[i]) plan.remove.push_back(reusable[i]);
  return plan;
}

}  // namespace kinda::controller
