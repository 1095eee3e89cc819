#include "apiserver/endpoints/discovery.hpp"

#include <algorithm>
#include <vector>

#include "api/resources.hpp"
#include "apiserver/transport/media_types.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

struct Subresource {
  const char* name;
  const char* kind;   // the kind the subresource answers with
  const char* group;  // "" (same as the parent) unless the kind lives elsewhere
  const char* version;
  std::vector<std::string> verbs;
};

const std::vector<std::string> kReadWrite = {"get", "patch", "update"};

// What the API server says of each resource beyond the resource table: the routes kinda serves.
std::vector<Subresource> subresources_of(const std::string& plural) {
  std::vector<Subresource> out;
  if (plural == "pods" || plural == "statefulsets" || plural == "services" ||
      plural == "persistentvolumeclaims" || plural == "namespaces" || plural == "nodes" ||
      plural == "daemonsets" || plural == "poddisruptionbudgets" || plural == "jobs" ||
      plural == "cronjobs" || plural == "deployments" || plural == "replicasets")
    out.push_back({"status", "", "", "", kReadWrite});
  if (plural == "pods") {
    out.push_back({"log", "Pod", "", "", {"get"}});
    out.push_back({"eviction", "Eviction", "policy", "v1", {"create"}});
  }
  if (plural == "statefulsets" || plural == "deployments" || plural == "replicasets")
    out.push_back({"scale", "Scale", "autoscaling", "v1", kReadWrite});
  return out;
}

std::vector<std::string> verbs_of(const api::ResourceInfo& r) {
  // Namespaces have no deletecollection in Kubernetes either; the router serves it elsewhere.
  if (r.plural == "namespaces")
    return {"create", "delete", "get", "list", "patch", "update", "watch"};
  return {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
}

std::vector<std::string> categories_of(const api::ResourceInfo& r) {
  if (r.plural == "pods" || r.plural == "services" || r.plural == "statefulsets" ||
      r.plural == "daemonsets" || r.plural == "jobs" || r.plural == "cronjobs" ||
      r.plural == "deployments" || r.plural == "replicasets")
    return {"all"};
  return {};
}

std::string group_version(const std::string& group) {
  return group.empty() ? "v1" : group + "/v1";
}

json resource_list(const std::string& group) {
  json resources = json::array();
  for (const auto& r : api::all_resources()) {
    if (r.group != group) continue;
    json entry = {{"name", r.plural},
                  {"singularName", r.singular},
                  {"namespaced", r.namespaced},
                  {"kind", r.kind},
                  {"verbs", verbs_of(r)}};
    if (!r.short_names.empty()) entry["shortNames"] = r.short_names;
    if (auto categories = categories_of(r); !categories.empty()) entry["categories"] = categories;
    resources.push_back(entry);
    for (const auto& sub : subresources_of(r.plural)) {
      json s = {{"name", r.plural + "/" + sub.name},
                {"singularName", ""},
                {"namespaced", r.namespaced},
                {"kind", *sub.kind ? sub.kind : r.kind.c_str()},
                {"verbs", sub.verbs}};
      if (*sub.group) s["group"] = sub.group;
      if (*sub.version) s["version"] = sub.version;
      resources.push_back(s);
    }
  }
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", group_version(group)},
          {"resources", resources}};
}

json group_entry(const std::string& group) {
  json version = {{"groupVersion", group_version(group)}, {"version", "v1"}};
  return {{"name", group}, {"versions", json::array({version})}, {"preferredVersion", version}};
}

// The groups other than the core group that kinda serves resources of.
std::vector<std::string> named_groups() {
  std::vector<std::string> groups;
  for (const auto& r : api::all_resources())
    if (!r.group.empty() && std::find(groups.begin(), groups.end(), r.group) == groups.end())
      groups.push_back(r.group);
  return groups;
}

json response_kind(const std::string& group, const std::string& version, const std::string& kind) {
  return {{"group", group}, {"version", version}, {"kind", kind}};
}

json aggregated_group(const std::string& group) {
  json resources = json::array();
  for (const auto& r : api::all_resources()) {
    if (r.group != group) continue;
    json entry = {{"resource", r.plural},
                  {"responseKind", response_kind(r.group, r.version, r.kind)},
                  {"scope", r.namespaced ? "Namespaced" : "Cluster"},
                  {"singularResource", r.singular},
                  {"verbs", verbs_of(r)}};
    if (!r.short_names.empty()) entry["shortNames"] = r.short_names;
    if (auto categories = categories_of(r); !categories.empty()) entry["categories"] = categories;
    json subs = json::array();
    for (const auto& sub : subresources_of(r.plural)) {
      json kind = *sub.kind ? response_kind(sub.group, sub.version, sub.kind)
                            : response_kind(r.group, r.version, r.kind);
      subs.push_back({{"subresource", sub.name}, {"responseKind", kind}, {"verbs", sub.verbs}});
    }
    if (!subs.empty()) entry["subresources"] = subs;
    resources.push_back(entry);
  }
  json metadata = {{"creationTimestamp", nullptr}};
  if (!group.empty()) metadata["name"] = group;
  return {{"metadata", metadata},
          {"versions",
           json::array({{{"version", "v1"}, {"resources", resources}, {"freshness", "Current"}}})}};
}

// What one media range of an Accept header asks of discovery; nullopt for other profiles (a
// Table, a future discovery version) and types kinda does not produce.
std::optional<DiscoveryFormat> format_of(const MediaRange& range) {
  if (!range.accepts_json()) return std::nullopt;
  const std::string g = range.param("g"), v = range.param("v"), as = range.param("as");
  if (as.empty() && g.empty()) return DiscoveryFormat::kLegacy;
  if (g == "apidiscovery.k8s.io" && as == "APIGroupDiscoveryList") {
    if (v == "v2") return DiscoveryFormat::kAggregatedV2;
    if (v == "v2beta1") return DiscoveryFormat::kAggregatedV2Beta1;
  }
  return std::nullopt;
}

}  // namespace

DiscoveryFormat negotiate_discovery(std::string_view accept) {
  for (const auto& range : parse_accept(accept))
    if (auto format = format_of(range)) return *format;
  return DiscoveryFormat::kLegacy;
}

std::string discovery_content_type(DiscoveryFormat format) {
  switch (format) {
    case DiscoveryFormat::kLegacy:
      break;
    case DiscoveryFormat::kAggregatedV2:
      return "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    case DiscoveryFormat::kAggregatedV2Beta1:
      return "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
  }
  return "application/json";
}

json version_info() {
  return {{"major", "1"},       {"minor", "32"},           {"gitVersion", "v1.32.0-kinda"},
          {"gitCommit", ""},    {"gitTreeState", "clean"}, {"buildDate", "1970-01-01T00:00:00Z"},
          {"goVersion", "n/a"}, {"compiler", "kinda"},     {"platform", "linux/amd64"}};
}

std::optional<json> discovery_document(const std::string& path) {
  if (path == "/api")
    return json{{"kind", "APIVersions"},
                {"versions", {"v1"}},
                {"serverAddressByClientCIDRs", json::array()}};
  if (path == "/api/v1") return resource_list("");
  json groups = json::array();
  for (const auto& group : named_groups()) {
    if (path == "/apis/" + group) {
      json doc = {{"kind", "APIGroup"}, {"apiVersion", "v1"}};
      doc.update(group_entry(group));
      return doc;
    }
    if (path == "/apis/" + group + "/v1") return resource_list(group);
    groups.push_back(group_entry(group));
  }
  if (path == "/apis")
    return json{{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
  return std::nullopt;
}

json aggregated_discovery(const std::string& path, DiscoveryFormat format) {
  json items = json::array();
  if (path == "/api") {
    items.push_back(aggregated_group(""));
  } else {
    for (const auto& group : named_groups()) items.push_back(aggregated_group(group));
  }
  return {
      {"kind", "APIGroupDiscoveryList"},
      {"apiVersion", format == DiscoveryFormat::kAggregatedV2Beta1 ? "apidiscovery.k8s.io/v2beta1"
                                                                   : "apidiscovery.k8s.io/v2"},
      {"metadata", json::object()},
      {"items", items}};
}

std::optional<Response> discovery_response(const Request& request) {
  if (request.path == "/api" || request.path == "/apis") {
    DiscoveryFormat format = negotiate_discovery(request.accept);
    if (format != DiscoveryFormat::kLegacy) {
      Response r = Response::json(aggregated_discovery(request.path, format));
      r.content_type = discovery_content_type(format);
      return r;
    }
  }
  if (auto doc = discovery_document(request.path)) return Response::json(*doc);
  return std::nullopt;
}

}  // namespace kinda::apiserver
