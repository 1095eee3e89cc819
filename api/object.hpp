// Small accessors over Kubernetes objects held as JSON, so callers never repeat the
// "metadata may be missing" dance.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace kinda::api {

using Object = nlohmann::json;

std::string name_of(const Object& o);
std::string namespace_of(const Object& o);
std::string uid_of(const Object& o);
std::string resource_version_of(const Object& o);
bool is_terminating(const Object& o);  // metadata.deletionTimestamp set
// The uid of the controller in metadata.ownerReferences (controller: true), "" when none.
std::string controller_uid(const Object& o);
// Walks a dotted path ("status.podIP"); nullptr when any step is missing.
const nlohmann::json* find_path(const Object& o, const std::string& dotted);
std::string string_at(const Object& o, const std::string& dotted, const std::string& fallback = "");
long long int_at(const Object& o, const std::string& dotted, long long fallback = 0);
bool bool_at(const Object& o, const std::string& dotted, bool fallback = false);

// Pod helpers.
bool pod_is_ready(const Object& pod);      // condition Ready == "True"
std::string pod_phase(const Object& pod);  // status.phase, "Pending" when unset
// Succeeded or Failed: the pod has run to its end and none of its containers will start again.
bool pod_finished(const Object& pod);
// True when one of the pod's volumes is the PersistentVolumeClaim `claim`.
bool pod_uses_claim(const Object& pod, const std::string& claim);
// kubernetes.io/pvc-protection's rule: a claim's deletion waits for a pod that uses it, has been
// scheduled (spec.nodeName set) and has not finished. A never-scheduled pod does not hold it.
bool pod_protects_claim(const Object& pod, const std::string& claim);
// "<set>-<n>" → n, nullopt when the name has no numeric suffix after the set's name.
std::optional<int> ordinal_of(const std::string& set_name, const std::string& pod_name);

}  // namespace kinda::api
