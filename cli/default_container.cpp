#include "cli/default_container.hpp"

#include <iostream>

#include "api/object.hpp"

namespace kinda::cli {

std::string default_container(const nlohmann::json& pod, const std::string& requested) {
  if (!requested.empty()) return requested;
  const auto* containers = api::find_path(pod, "spec.containers");
  if (!containers || !containers->is_array() || containers->empty()) return "";
  // As kubectl: the annotation's container, silently, when the pod has one of that name; else the
  // first container, with the notice below. The key holds dots, so it is looked up directly
  // rather than by a dotted path.
  if (const auto* annotations = api::find_path(pod, "metadata.annotations");
      annotations && annotations->is_object()) {
    auto it = annotations->find("kubectl.kubernetes.io/default-container");
    if (it != annotations->end() && it->is_string()) {
      for (const auto& c : *containers)
        if (c.value("name", "") == it->get<std::string>()) return it->get<std::string>();
    }
  }
  std::string chosen = (*containers)[0].value("name", "");
  std::string all;
  size_t count = 0;
  for (const char* list : {"spec.containers", "spec.initContainers"}) {
    const auto* items = api::find_path(pod, list);
    if (!items || !items->is_array()) continue;
    for (const auto& c : *items) {
      all += (all.empty() ? "" : ", ") + c.value("name", "") +
             (std::string(list) == "spec.initContainers" ? " (init)" : "");
      ++count;
    }
  }
  if (count > 1) std::cerr << "Defaulted container \"" << chosen << "\" out of: " << all << "\n";
  return chosen;
}

}  // namespace kinda::cli
