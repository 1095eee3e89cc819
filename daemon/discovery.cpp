#include "daemon/discovery.hpp"

#include "api/resources.hpp"

namespace kinda::daemon {
namespace {

using nlohmann::json;

json resource_list(const std::string& group) {
  json resources = json::array();
  for (const auto& r : api::all_resources()) {
    if (r.group != group) continue;
    json verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
    json entry = {{"name", r.plural},
                  {"singularName", r.singular},
                  {"namespaced", r.namespaced},
                  {"kind", r.kind},
                  {"verbs", verbs}};
    if (!r.short_names.empty()) entry["shortNames"] = r.short_names;
    resources.push_back(entry);
    if (r.plural == "pods" || r.plural == "statefulsets" || r.plural == "namespaces" ||
        r.plural == "nodes")
      resources.push_back({{"name", r.plural + "/status"},
                           {"singularName", ""},
                           {"namespaced", r.namespaced},
                           {"kind", r.kind},
                           {"verbs", {"get", "patch", "update"}}});
    if (r.plural == "pods")
      resources.push_back({{"name", "pods/log"},
                           {"singularName", ""},
                           {"namespaced", true},
                           {"kind", "Pod"},
                           {"verbs", {"get"}}});
    if (r.plural == "pods")
      resources.push_back({{"name", "pods/eviction"},
                           {"singularName", ""},
                           {"namespaced", true},
                           {"kind", "Eviction"},
                           {"group", "policy"},
                           {"version", "v1"},
                           {"verbs", {"create"}}});
    if (r.plural == "statefulsets")
      resources.push_back({{"name", "statefulsets/scale"},
                           {"singularName", ""},
                           {"namespaced", true},
                           {"kind", "Scale"},
                           {"group", "autoscaling"},
                           {"version", "v1"},
                           {"verbs", {"get", "patch", "update"}}});
  }
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", group.empty() ? "v1" : group + "/v1"},
          {"resources", resources}};
}

}  // namespace

json version_info() {
  return {{"major", "1"},
          {"minor", "32"},
          {"gitVersion", "v1.32.0-kinda"},
          {"platform", "linux/amd64"},
          {"goVersion", "n/a"},
          {"compiler", "kinda"}};
}

std::optional<json> discovery_document(const std::string& path) {
  if (path == "/api")
    return json{{"kind", "APIVersions"},
                {"versions", {"v1"}},
                {"serverAddressByClientCIDRs", json::array()}};
  if (path == "/api/v1") return resource_list("");
  if (path == "/apis/apps/v1") return resource_list("apps");
  if (path == "/apis")
    return json{{"kind", "APIGroupList"},
                {"apiVersion", "v1"},
                {"groups",
                 {{{"name", "apps"},
                   {"versions", {{{"groupVersion", "apps/v1"}, {"version", "v1"}}}},
                   {"preferredVersion", {{"groupVersion", "apps/v1"}, {"version", "v1"}}}}}}};
  return std::nullopt;
}

}  // namespace kinda::daemon
