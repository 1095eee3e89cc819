#include "apiserver/registry/builtin_objects.hpp"

#include "api/object.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

// The bootstrap policy's labels and annotation on what it reconciles.
json bootstrap_metadata(const std::string& name, json labels = json::object()) {
  labels["kubernetes.io/bootstrapping"] = "rbac-defaults";
  return {{"name", name},
          {"labels", labels},
          {"annotations", {{"rbac.authorization.kubernetes.io/autoupdate", "true"}}}};
}

json rule(json groups, json resources, json verbs) {
  return {{"apiGroups", groups}, {"resources", resources}, {"verbs", verbs}};
}

const json kRead = {"get", "list", "watch"};
const json kWrite = {"create", "delete", "deletecollection", "patch", "update"};

// The view/edit/admin roles aggregate their rules from the aggregate-to-* roles; kinda gives
// them the rules those roles carry for the kinds it serves.
json aggregated_role(const std::string& name, const json& rules) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
          {"kind", "ClusterRole"},
          {"metadata", bootstrap_metadata(name)},
          {"aggregationRule",
           {{"clusterRoleSelectors",
             {{{"matchLabels", {{"rbac.authorization.k8s.io/aggregate-to-" + name, "true"}}}}}}}},
          {"rules", rules}};
}

json view_rules() {
  return json::array(
      {rule({""},
            {"configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status",
             "pods", "pods/log", "pods/status", "services", "services/status", "serviceaccounts",
             "events", "namespaces", "namespaces/status"},
            kRead),
       rule({"apps"},
            {"controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets",
             "statefulsets/scale", "statefulsets/status"},
            kRead),
       rule({"batch"}, {"cronjobs", "jobs"}, kRead),
       rule({"discovery.k8s.io"}, {"endpointslices"}, kRead),
       rule({"networking.k8s.io"}, {"networkpolicies", "ingresses"}, kRead),
       rule({"coordination.k8s.io"}, {"leases"}, kRead)});
}

json edit_rules() {
  json rules = view_rules();
  rules.push_back(
      rule({""},
           {"configmaps", "endpoints", "persistentvolumeclaims", "pods", "pods/exec", "pods/attach",
            "pods/portforward", "secrets", "services", "serviceaccounts"},
           kWrite));
  rules.push_back(rule({""}, {"secrets"}, kRead));
  rules.push_back(rule(
      {"apps"}, {"daemonsets", "deployments", "replicasets", "statefulsets", "statefulsets/scale"},
      kWrite));
  rules.push_back(rule({"batch"}, {"cronjobs", "jobs"}, kWrite));
  rules.push_back(rule({"networking.k8s.io"}, {"networkpolicies", "ingresses"}, kWrite));
  rules.push_back(rule({"coordination.k8s.io"}, {"leases"}, kWrite));
  return rules;
}

json admin_rules() {
  json rules = edit_rules();
  rules.push_back(
      rule({"rbac.authorization.k8s.io"}, {"rolebindings", "roles"},
           {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}));
  return rules;
}

json priority_class(const std::string& name, long long value, const std::string& description) {
  return {{"apiVersion", "scheduling.k8s.io/v1"},
          {"kind", "PriorityClass"},
          {"metadata", {{"name", name}}},
          {"value", value},
          {"globalDefault", false},
          {"description", description},
          {"preemptionPolicy", "PreemptLowerPriority"}};
}

}  // namespace

std::vector<BuiltinObject> builtin_objects() {
  std::vector<BuiltinObject> objects;
  objects.push_back(
      {"clusterroles",
       {{"apiVersion", "rbac.authorization.k8s.io/v1"},
        {"kind", "ClusterRole"},
        {"metadata", bootstrap_metadata("cluster-admin")},
        {"rules", {rule({"*"}, {"*"}, {"*"}), {{"nonResourceURLs", {"*"}}, {"verbs", {"*"}}}}}}});
  objects.push_back({"clusterroles", aggregated_role("admin", admin_rules())});
  objects.push_back({"clusterroles", aggregated_role("edit", edit_rules())});
  objects.push_back({"clusterroles", aggregated_role("view", view_rules())});
  objects.push_back({"clusterrolebindings",
                     {{"apiVersion", "rbac.authorization.k8s.io/v1"},
                      {"kind", "ClusterRoleBinding"},
                      {"metadata", bootstrap_metadata("cluster-admin")},
                      {"roleRef",
                       {{"apiGroup", "rbac.authorization.k8s.io"},
                        {"kind", "ClusterRole"},
                        {"name", "cluster-admin"}}},
                      {"subjects",
                       {{{"apiGroup", "rbac.authorization.k8s.io"},
                         {"kind", "Group"},
                         {"name", "system:masters"}}}}}});
  objects.push_back(
      {"priorityclasses",
       priority_class("system-cluster-critical", 2000000000,
                      "Used for system critical pods that must run in the cluster, but can be "
                      "moved to another node if necessary.")});
  objects.push_back(
      {"priorityclasses",
       priority_class("system-node-critical", 2000001000,
                      "Used for system critical pods that must not be moved from their current "
                      "node.")});
  objects.push_back(
      {"storageclasses",
       {{"apiVersion", "storage.k8s.io/v1"},
        {"kind", "StorageClass"},
        {"metadata",
         {{"name", "standard"},
          {"annotations", {{"storageclass.kubernetes.io/is-default-class", "true"}}}}},
        {"provisioner", "rancher.io/local-path"},
        {"reclaimPolicy", "Delete"},
        {"volumeBindingMode", "WaitForFirstConsumer"}}});
  return objects;
}

std::vector<std::string> ensure_builtin_objects(ObjectService& objects) {
  std::vector<std::string> problems;
  for (auto& [plural, object] : builtin_objects()) {
    const auto& r = *api::find_resource(plural);
    if (objects.store().get(r.plural, "", api::name_of(object))) continue;
    if (auto created = objects.create(r, "", object); !created)
      problems.push_back("cannot create the built-in " + r.singular + " " + api::name_of(object) +
                         ": " + created.error().message);
  }
  for (const auto& ns : objects.store().list("namespaces"))
    if (!api::is_terminating(ns)) objects.ensure_default_service_account(api::name_of(ns));
  return problems;
}

}  // namespace kinda::apiserver
