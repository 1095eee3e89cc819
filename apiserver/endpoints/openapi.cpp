#include "apiserver/endpoints/openapi.hpp"

#include <cstdio>
#include <map>
#include <set>

#include "api/kind_types.hpp"
#include "api/resources.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

constexpr const char* kMetaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1.";
const std::set<std::string> kMetaStructs = {"ObjectMeta", "OwnerReference", "ManagedFieldsEntry",
                                            "LabelSelector", "LabelSelectorRequirement"};

// The Go package of a struct of the table, as the API server names schemas.
std::string schema_name(const std::string& type) {
  if (kMetaStructs.count(type)) return kMetaPackage + type;
  if (type.starts_with("Deployment") || type == "RollingUpdateDeployment" ||
      type.starts_with("ReplicaSet"))
    return "io.k8s.api.apps.v1." + type;
  if (type.starts_with("StatefulSet") || type.starts_with("RollingUpdateStatefulSet") ||
      type == "ControllerRevision" || type.starts_with("DaemonSet") ||
      type == "RollingUpdateDaemonSet")
    return "io.k8s.api.apps.v1." + type;
  if (type.starts_with("PodDisruptionBudget")) return "io.k8s.api.policy.v1." + type;
  if (type == "Job" || type == "CronJob" || type.starts_with("JobSpec") ||
      type.starts_with("CronJobSpec") || type.starts_with("PodFailurePolicy") ||
      type.starts_with("SuccessPolicy") || type == "JobTemplateSpec")
    return "io.k8s.api.batch.v1." + type;
  if (type.starts_with("Lease")) return "io.k8s.api.coordination.v1." + type;
  static const std::set<std::string> kRbac = {
      "Role",        "ClusterRole",        "PolicyRule", "AggregationRule",
      "RoleBinding", "ClusterRoleBinding", "Subject",    "RoleRef"};
  if (kRbac.count(type.ends_with("List") ? type.substr(0, type.size() - 4) : type))
    return "io.k8s.api.rbac.v1." + type;
  if (type.starts_with("NetworkPolicy") || type == "IPBlock")
    return "io.k8s.api.networking.v1." + type;
  if (type.starts_with("PriorityClass")) return "io.k8s.api.scheduling.v1." + type;
  if (type.starts_with("StorageClass")) return "io.k8s.api.storage.v1." + type;
  if (type.starts_with("EndpointSlice")) return "io.k8s.api.discovery.v1." + type;
  if (type.starts_with("Discovery"))
    return "io.k8s.api.discovery.v1." + type.substr(std::string_view("Discovery").size());
  return "io.k8s.api.core.v1." + type;
}

json schema_ref(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

json scalar_schema(const std::string& element) {
  if (element == "integer") return {{"type", "integer"}, {"format", "int64"}};
  if (element == "number") return {{"type", "number"}, {"format", "double"}};
  if (element == "boolean") return {{"type", "boolean"}};
  if (element == "time") return {{"type", "string"}, {"format", "date-time"}};
  if (element == "quantity") return schema_ref("io.k8s.apimachinery.pkg.api.resource.Quantity");
  if (element == "int-or-string")
    return schema_ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
  if (element == "object")
    return {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  return {{"type", "string"}};
}

json element_schema(const std::string& element) {
  if (api::KindTypes::get().find(element)) return schema_ref(schema_name(element));
  return scalar_schema(element);
}

json field_schema(const api::FieldType& field) {
  json item = element_schema(field.element);
  switch (field.shape) {
    case api::FieldType::Shape::kValue:
      return item;
    case api::FieldType::Shape::kMap:
      return {{"type", "object"}, {"additionalProperties", item}};
    case api::FieldType::Shape::kList:
      break;
  }
  json list = {{"type", "array"}, {"items", item}};
  switch (field.merge) {
    case api::ListMerge::kAtomic:
      list["x-kubernetes-list-type"] = "atomic";
      break;
    case api::ListMerge::kScalarSet:
      list["x-kubernetes-list-type"] = "set";
      list["x-kubernetes-patch-strategy"] = "merge";
      break;
    case api::ListMerge::kByKey:
      list["x-kubernetes-list-type"] = "map";
      list["x-kubernetes-list-map-keys"] = {field.merge_key};
      list["x-kubernetes-patch-merge-key"] = field.merge_key;
      list["x-kubernetes-patch-strategy"] = field.retain_keys ? "merge,retainKeys" : "merge";
      break;
  }
  return list;
}

json gvk(const std::string& group, const std::string& version, const std::string& kind) {
  return {{"group", group}, {"version", version}, {"kind", kind}};
}

json struct_schema(const api::StructType& type) {
  json properties = json::object();
  for (const auto& [name, field] : type.fields) properties[name] = field_schema(field);
  json schema = {{"type", "object"}, {"properties", properties}};
  if (type.name == "LabelSelector") schema["x-kubernetes-map-type"] = "atomic";
  return schema;
}

// Adds the schema of `type` and of every struct it reaches to `schemas`.
void add_schemas(const std::string& type, json& schemas) {
  const api::StructType* s = api::KindTypes::get().find(type);
  if (!s || schemas.contains(schema_name(type))) return;
  schemas[schema_name(type)] = struct_schema(*s);
  for (const auto& [name, field] : s->fields) add_schemas(field.element, schemas);
}

json parameter(const std::string& name, const std::string& in, const std::string& description,
               const json& schema = {{"type", "string"}}) {
  json p = {{"name", name}, {"in", in}, {"description", description}, {"schema", schema}};
  if (in == "path") p["required"] = true;
  return p;
}

json write_parameters(bool patch) {
  json params = {
      parameter("dryRun", "query",
                "When present, indicates that modifications should not be persisted. Valid "
                "values are: - All: all dry run stages will be processed"),
      parameter("fieldManager", "query",
                "fieldManager is a name associated with the actor or entity that is making "
                "these changes."),
      parameter("fieldValidation", "query",
                "fieldValidation instructs the server on how to handle objects in the request "
                "containing unknown or duplicate fields. Valid values are: Ignore, Warn "
                "(the default) and Strict.")};
  if (patch)
    params.push_back(parameter("force", "query",
                               "Force is going to \"force\" Apply requests: the applier takes "
                               "the fields other managers own.",
                               {{"type", "boolean"}}));
  return params;
}

json list_parameters() {
  const json boolean = {{"type", "boolean"}}, integer = {{"type", "integer"}};
  return {
      parameter("allowWatchBookmarks", "query", "requests watch events with type BOOKMARK",
                boolean),
      parameter("continue", "query", "not issued by this server; lists are never chunked"),
      parameter("fieldSelector", "query", "restricts the list by the objects' fields"),
      parameter("labelSelector", "query", "restricts the list by the objects' labels"),
      parameter("limit", "query", "ignored: lists are never chunked", integer),
      parameter("resourceVersion", "query", "what state to read or watch from"),
      parameter("resourceVersionMatch", "query", "NotOlderThan or Exact"),
      parameter("sendInitialEvents", "query",
                "a watch starts with the current state and a BOOKMARK marking its end", boolean),
      parameter("timeoutSeconds", "query", "ends a watch after this many seconds", integer),
      parameter("watch", "query", "watch for changes instead of listing", boolean)};
}

json content(const json& schema, std::initializer_list<const char*> types) {
  json c = json::object();
  for (const char* t : types) c[t] = {{"schema", schema}};
  return c;
}

json operation(const std::string& id, const std::string& action, const json& kind, json parameters,
               const json& response, int success = 200) {
  json op = {{"operationId", id},
             {"parameters", std::move(parameters)},
             {"responses",
              {{std::to_string(success),
                {{"description", success == 201 ? "Created" : "OK"},
                 {"content", content(response, {"application/json", "application/yaml"})}}},
               {"401", {{"description", "Unauthorized"}}}}},
             {"x-kubernetes-action", action},
             {"x-kubernetes-group-version-kind", kind}};
  return op;
}

// The operations of one resource: collection, object, all-namespaces list and /status.
void add_paths(const api::ResourceInfo& r, json& paths) {
  const std::string group_id = r.group.empty() ? "CoreV1" : "AppsV1";
  const std::string scope = r.namespaced ? "Namespaced" : "";
  const std::string base =
      r.group_prefix() + (r.namespaced ? "/namespaces/{namespace}/" : "/") + r.plural;
  const json kind = gvk(r.group, r.version, r.kind);
  const json object = schema_ref(schema_name(r.kind));
  const json list = schema_ref(schema_name(r.kind + "List"));
  const json status = schema_ref(std::string(kMetaPackage) + "Status");
  const json patch_body = schema_ref(std::string(kMetaPackage) + "Patch");
  json ns_param = json::array();
  if (r.namespaced)
    ns_param.push_back(parameter("namespace", "path", "object name and auth scope"));
  json name_params = ns_param;
  name_params.push_back(parameter("name", "path", "name of the " + r.kind));

  auto with = [](json params, const json& more) {
    for (const auto& p : more) params.push_back(p);
    return params;
  };
  json& collection = paths[base];
  collection["get"] = operation("list" + group_id + scope + r.kind, "list", kind,
                                with(ns_param, list_parameters()), list);
  collection["post"] = operation("create" + group_id + scope + r.kind, "post", kind,
                                 with(ns_param, write_parameters(false)), object, 201);
  collection["post"]["requestBody"] = {
      {"content", content(object, {"application/json", "application/yaml"})}, {"required", true}};
  if (r.plural != "namespaces")
    collection["delete"] =
        operation("deletecollection" + group_id + scope + r.kind, "deletecollection", kind,
                  with(ns_param, list_parameters()), status);

  auto object_ops = [&](const std::string& path, const std::string& suffix) {
    json& item = paths[path];
    item["get"] =
        operation("read" + group_id + scope + r.kind + suffix, "get", kind, name_params, object);
    item["put"] = operation("replace" + group_id + scope + r.kind + suffix, "put", kind,
                            with(name_params, write_parameters(false)), object);
    item["put"]["requestBody"] = {
        {"content", content(object, {"application/json", "application/yaml"})}, {"required", true}};
    item["patch"] = operation("patch" + group_id + scope + r.kind + suffix, "patch", kind,
                              with(name_params, write_parameters(true)), object);
    // No strategic-merge-patch+json here on purpose (see openapi.hpp): kubectl then computes
    // its patches from its built-in types. The server accepts it all the same.
    item["patch"]["requestBody"] = {
        {"content",
         content(patch_body, {"application/apply-patch+yaml", "application/json-patch+json",
                              "application/merge-patch+json"})},
        {"required", true}};
  };
  object_ops(base + "/{name}", "");
  paths[base + "/{name}"]["delete"] =
      operation("delete" + group_id + scope + r.kind, "delete", kind,
                with(name_params, write_parameters(false)), object);
  if (r.plural == "pods" || r.plural == "statefulsets" || r.plural == "services" ||
      r.plural == "persistentvolumeclaims" || r.plural == "namespaces" || r.plural == "nodes" ||
      r.plural == "daemonsets" || r.plural == "poddisruptionbudgets" || r.plural == "jobs" ||
      r.plural == "cronjobs" || r.plural == "deployments" || r.plural == "replicasets")
    object_ops(base + "/{name}/status", "Status");
  if (r.namespaced)
    paths[r.group_prefix() + "/" + r.plural]["get"] = operation(
        "list" + group_id + r.kind + "ForAllNamespaces", "list", kind, list_parameters(), list);
}

json list_schema(const api::ResourceInfo& r) {
  return {{"type", "object"},
          {"required", {"items"}},
          {"properties",
           {{"apiVersion", {{"type", "string"}}},
            {"kind", {{"type", "string"}}},
            {"metadata", schema_ref(std::string(kMetaPackage) + "ListMeta")},
            {"items", {{"type", "array"}, {"items", schema_ref(schema_name(r.kind))}}}}},
          {"x-kubernetes-group-version-kind", {gvk(r.group, r.version, r.kind + "List")}}};
}

void add_common_schemas(json& schemas) {
  const std::string meta = kMetaPackage;
  schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {
      {"type", "string"},
      {"description", "A fixed-point number: 10Gi, 500m, 2 (a string or a number in JSON)."}};
  schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = {{"type", "string"},
                                                                {"format", "int-or-string"}};
  schemas[meta + "ListMeta"] = {
      {"type", "object"},
      {"properties",
       {{"continue", {{"type", "string"}}},
        {"remainingItemCount", {{"type", "integer"}, {"format", "int64"}}},
        {"resourceVersion", {{"type", "string"}}},
        {"selfLink", {{"type", "string"}}}}}};
  schemas[meta + "Patch"] = {
      {"type", "object"},
      {"description",
       "The body of a PATCH request: a JSON, merge or strategic merge patch, or "
       "an applied configuration."}};
  schemas[meta + "Status"] = {
      {"type", "object"},
      {"properties",
       {{"apiVersion", {{"type", "string"}}},
        {"kind", {{"type", "string"}}},
        {"code", {{"type", "integer"}, {"format", "int32"}}},
        {"details", {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}},
        {"message", {{"type", "string"}}},
        {"metadata", schema_ref(meta + "ListMeta")},
        {"reason", {{"type", "string"}}},
        {"status", {{"type", "string"}}}}},
      {"x-kubernetes-group-version-kind", {gvk("", "v1", "Status")}}};
}

std::string group_version_path(const api::ResourceInfo& r) {
  return r.group.empty() ? "api/v1" : "apis/" + r.group + "/" + r.version;
}

std::map<std::string, json> build_v3_documents() {
  std::map<std::string, json> docs;
  for (const auto& r : api::all_resources()) {
    json& doc = docs[group_version_path(r)];
    if (doc.is_null()) {
      doc = {{"openapi", "3.0.0"},
             {"info", {{"title", "Kubernetes"}, {"version", "v1.32.0-kinda"}}},
             {"paths", json::object()},
             {"components", {{"schemas", json::object()}}}};
      add_common_schemas(doc["components"]["schemas"]);
    }
    add_paths(r, doc["paths"]);
    json& schemas = doc["components"]["schemas"];
    add_schemas(r.kind, schemas);
    schemas[schema_name(r.kind)]["x-kubernetes-group-version-kind"] = {
        gvk(r.group, r.version, r.kind)};
    schemas[schema_name(r.kind + "List")] = list_schema(r);
  }
  return docs;
}

const std::map<std::string, json>& v3_documents() {
  static const std::map<std::string, json> docs = build_v3_documents();
  return docs;
}

// kubectl caches a group-version's document by its URL, so the URL names the content.
std::string content_hash(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(h));
  return buf;
}

// Protocol buffers' wire format, as much as a document of strings and messages needs.
std::string varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

std::string length_delimited(int field, const std::string& bytes) {
  return varint(static_cast<uint64_t>(field) << 3 | 2) + varint(bytes.size()) + bytes;
}

}  // namespace

json openapi_v3_index() {
  json paths = json::object();
  for (const auto& [gv, doc] : v3_documents())
    paths[gv] = {{"serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + content_hash(doc.dump())}};
  return {{"paths", paths}};
}

std::optional<json> openapi_v3_document(const std::string& group_version) {
  auto it = v3_documents().find(group_version);
  if (it == v3_documents().end()) return std::nullopt;
  return it->second;
}

json openapi_v2_document() {
  return {{"swagger", "2.0"},
          {"info", {{"title", "Kubernetes"}, {"version", "v1.32.0-kinda"}}},
          {"paths", json::object()},
          {"definitions", json::object()}};
}

std::string openapi_v2_protobuf() {
  // openapi.v2.Document: swagger = 1, info = 2 (title = 1, version = 2), paths = 8,
  // definitions = 9; the last two present and empty, as in the JSON form.
  std::string info = length_delimited(1, "Kubernetes") + length_delimited(2, "v1.32.0-kinda");
  return length_delimited(1, "2.0") + length_delimited(2, info) + length_delimited(8, "") +
         length_delimited(9, "");
}

std::optional<Response> openapi_response(const Request& request) {
  if (request.path == "/openapi/v3") return Response::json(openapi_v3_index());
  if (request.path.starts_with("/openapi/v3/")) {
    auto doc = openapi_v3_document(request.path.substr(std::string("/openapi/v3/").size()));
    if (!doc) return std::nullopt;
    return Response::json(*doc);
  }
  if (request.path == "/openapi/v2") {
    if (request.accept.find("protobuf") != std::string::npos)
      return Response{200, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
                      openapi_v2_protobuf()};
    return Response::json(openapi_v2_document());
  }
  return std::nullopt;
}

}  // namespace kinda::apiserver
