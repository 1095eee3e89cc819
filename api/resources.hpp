// The resource types kinda serves: names, short names, API group/version and scope, as kubectl
// knows them. One table is the single source for the API router, the CLI and discovery.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kinda::api {

struct ResourceInfo {
  std::string plural;    // "statefulsets": the path segment and the storage key
  std::string singular;  // "statefulset"
  std::string kind;      // "StatefulSet"
  std::string group;     // "" for the core group, "apps"
  std::string version;   // "v1"
  bool namespaced = true;
  std::vector<std::string> short_names;  // "sts"

  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  // "/api/v1" or "/apis/apps/v1"
  std::string group_prefix() const;
  // Collection or object path; an empty namespace on a namespaced type means "all namespaces".
  std::string path(const std::string& ns, const std::string& name = "") const;
};

const std::vector<ResourceInfo>& all_resources();
// Accepts plural, singular, short name or kind, case-insensitively ("po", "Pod", "pods").
const ResourceInfo* find_resource(std::string_view name);
// The resource for an object's apiVersion and kind, or nullptr when kinda does not serve it.
const ResourceInfo* resource_for_kind(std::string_view api_version, std::string_view kind);

}  // namespace kinda::api
