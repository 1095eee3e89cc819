// The objects a new cluster has before anyone applies anything, as kube-apiserver's bootstrap
// (the RBAC bootstrap policy and the scheduling bootstrap priority classes), kind's default
// StorageClass and kube-controller-manager's serviceaccounts controller make them: the cluster
// roles manifests bind to (cluster-admin, admin, edit, view) with cluster-admin bound to
// system:masters, system-cluster-critical and system-node-critical, the default class
// "standard", and a "default" ServiceAccount in every namespace. Ones already there are kept.
#pragma once

#include <string>
#include <vector>

#include "apiserver/registry/object_service.hpp"

namespace kinda::apiserver {

struct BuiltinObject {
  const char* plural;
  Object object;
};
// What ensure_builtin_objects creates, namespaces' accounts aside.
std::vector<BuiltinObject> builtin_objects();

// Returns what could not be created, for the daemon's log.
std::vector<std::string> ensure_builtin_objects(ObjectService& objects);

}  // namespace kinda::apiserver
