// readOnlyRootFilesystem of a container's securityContext. Such a container gets a mount
// namespace of its own (made from the pod's), so whatever runs in it later (exec, exec probes)
// must join that namespace through the container's pid, not the sandbox holder's.
#pragma once

#include <nlohmann/json.hpp>

namespace kinda::kubelet {

inline bool has_read_only_root(const nlohmann::json& container) {
  auto context = container.find("securityContext");
  if (context == container.end() || !context->is_object()) return false;
  auto flag = context->find("readOnlyRootFilesystem");
  return flag != context->end() && flag->is_boolean() && flag->get<bool>();
}

}  // namespace kinda::kubelet
