#include "api/resources.hpp"

#include <algorithm>
#include <cctype>

namespace kinda::api {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string ResourceInfo::group_prefix() const {
  return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
}

std::string ResourceInfo::path(const std::string& ns, const std::string& name) const {
  std::string p = group_prefix();
  if (namespaced && !ns.empty()) p += "/namespaces/" + ns;
  p += "/" + plural;
  if (!name.empty()) p += "/" + name;
  return p;
}

const std::vector<ResourceInfo>& all_resources() {
  static const std::vector<ResourceInfo> table = {
      {"namespaces", "namespace", "Namespace", "", "v1", false, {"ns"}},
      {"pods", "pod", "Pod", "", "v1", true, {"po"}},
      {"services", "service", "Service", "", "v1", true, {"svc"}},
      {"persistentvolumeclaims",
       "persistentvolumeclaim",
       "PersistentVolumeClaim",
       "",
       "v1",
       true,
       {"pvc"}},
      {"events", "event", "Event", "", "v1", true, {"ev"}},
      {"configmaps", "configmap", "ConfigMap", "", "v1", true, {"cm"}},
      {"secrets", "secret", "Secret", "", "v1", true, {}},
      {"statefulsets", "statefulset", "StatefulSet", "apps", "v1", true, {"sts"}},
      {"deployments", "deployment", "Deployment", "apps", "v1", true, {"deploy"}},
      {"replicasets", "replicaset", "ReplicaSet", "apps", "v1", true, {"rs"}},
      {"controllerrevisions", "controllerrevision", "ControllerRevision", "apps", "v1", true, {}},
      {"nodes", "node", "Node", "", "v1", false, {"no"}},
      {"leases", "lease", "Lease", "coordination.k8s.io", "v1", true, {}},
      {"endpoints", "endpoints", "Endpoints", "", "v1", true, {"ep"}},
      {"endpointslices", "endpointslice", "EndpointSlice", "discovery.k8s.io", "v1", true, {}},
      // Stored and served; kinda acts on none of them but ServiceAccounts, PriorityClasses and
      // the storage kinds (admission, the claim controller).
      {"serviceaccounts", "serviceaccount", "ServiceAccount", "", "v1", true, {"sa"}},
      {"roles", "role", "Role", "rbac.authorization.k8s.io", "v1", true, {}},
      {"rolebindings", "rolebinding", "RoleBinding", "rbac.authorization.k8s.io", "v1", true, {}},
      {"clusterroles", "clusterrole", "ClusterRole", "rbac.authorization.k8s.io", "v1", false, {}},
      {"clusterrolebindings",
       "clusterrolebinding",
       "ClusterRoleBinding",
       "rbac.authorization.k8s.io",
       "v1",
       false,
       {}},
      {"networkpolicies",
       "networkpolicy",
       "NetworkPolicy",
       "networking.k8s.io",
       "v1",
       true,
       {"netpol"}},
      {"priorityclasses",
       "priorityclass",
       "PriorityClass",
       "scheduling.k8s.io",
       "v1",
       false,
       {"pc"}},
      {"storageclasses", "storageclass", "StorageClass", "storage.k8s.io", "v1", false, {"sc"}},
      {"persistentvolumes", "persistentvolume", "PersistentVolume", "", "v1", false, {"pv"}},
      {"daemonsets", "daemonset", "DaemonSet", "apps", "v1", true, {"ds"}},
      {"poddisruptionbudgets",
       "poddisruptionbudget",
       "PodDisruptionBudget",
       "policy",
       "v1",
       true,
       {"pdb"}},
      {"jobs", "job", "Job", "batch", "v1", true, {}},
      {"cronjobs", "cronjob", "CronJob", "batch", "v1", true, {"cj"}},
  };
  return table;
}

const ResourceInfo* find_resource(std::string_view name) {
  for (const auto& r : all_resources()) {
    if (iequals(name, r.plural) || iequals(name, r.singular) || iequals(name, r.kind)) return &r;
    for (const auto& s : r.short_names)
      if (iequals(name, s)) return &r;
  }
  return nullptr;
}

const ResourceInfo* resource_for_kind(std::string_view api_version, std::string_view kind) {
  for (const auto& r : all_resources())
    if (r.kind == kind && r.api_version() == api_version) return &r;
  return nullptr;
}

}  // namespace kinda::api
