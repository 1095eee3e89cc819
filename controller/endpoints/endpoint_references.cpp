#include "controller/endpoints/endpoint_references.hpp"

#include "api/object.hpp"
#include "controller/endpoints/endpoints_plan.hpp"

namespace kinda::controller {

using nlohmann::json;

json pod_reference(const api::EndpointPod& pod) {
  return {{"kind", "Pod"}, {"namespace", pod.ns}, {"name", pod.name}, {"uid", pod.uid}};
}

json endpoint_labels(const json& service) {
  json labels = json::object();
  if (const json* own = api::find_path(service, "metadata.labels"); own && own->is_object())
    labels = *own;
  if (api::string_at(service, "spec.clusterIP") == "None")
    labels[kHeadlessLabel] = "";
  else
    labels.erase(kHeadlessLabel);
  return labels;
}

}  // namespace kinda::controller
