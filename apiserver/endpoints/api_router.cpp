#include "apiserver/endpoints/api_router.hpp"

#include <vector>

#include "api/json_limits.hpp"
#include "api/labels.hpp"
#include "api/object.hpp"
#include "api/patch.hpp"
#include "apiserver/endpoints/discovery.hpp"
#include "apiserver/endpoints/openapi.hpp"
#include "apiserver/endpoints/read_version.hpp"
#include "apiserver/endpoints/table_response.hpp"
#include "apiserver/endpoints/watch_handler.hpp"
#include "apiserver/endpoints/write_options.hpp"
#include "apiserver/registry/dependents.hpp"
#include "apiserver/registry/eviction.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

Reply answer(const Result<json>& result, int success_code = 200) {
  if (!result) return Reply{Response::error(result.error()), nullptr};
  return Reply{Response::json(*result, success_code), nullptr};
}

Reply fail(const Error& e) {
  return Reply{Response::error(e), nullptr};
}

Result<json> parse_body(const Request& request) {
  return api::parse_json_input(request.body, "the request body");
}

std::string selector_string(const json& label_selector) {
  std::string out;
  if (label_selector.contains("matchLabels"))
    for (auto& [k, v] : label_selector["matchLabels"].items())
      out += (out.empty() ? "" : ",") + k + "=" + v.get<std::string>();
  return out;
}

}  // namespace

Reply ApiRouter::handle(const Request& request) {
  auto segs = split_path(request.path);
  if (request.method == "GET") {
    if (request.path == "/version") return Reply{Response::json(version_info()), nullptr};
    if (request.path == "/healthz" || request.path == "/readyz" || request.path == "/livez")
      return Reply{Response{200, "text/plain", "ok"}, nullptr};
    if (request.path == "/kinda/status" && hooks_.cluster_status)
      return Reply{Response::json(hooks_.cluster_status()), nullptr};
    if (auto doc = discovery_response(request)) return Reply{std::move(*doc), nullptr};
    if (auto doc = openapi_response(request)) return Reply{std::move(*doc), nullptr};
  }
  if (request.method == "POST" && segs.size() == 4 && segs[0] == "kinda" && segs[1] == "nodes" &&
      hooks_.node_action)
    return answer(hooks_.node_action(segs[2], segs[3]));

  // /api/v1/... or /apis/<group>/<version>/...
  std::string group;
  size_t at;
  if (segs.size() >= 2 && segs[0] == "api" && segs[1] == "v1") {
    at = 2;
  } else if (segs.size() >= 3 && segs[0] == "apis") {
    group = segs[1];
    if (segs[2] != "v1")
      return fail(Error{404, "NotFound", "the server could not find the requested resource", {}});
    at = 3;
  } else {
    return fail(Error{404, "NotFound", "the server could not find the requested resource", {}});
  }
  std::vector<std::string> rest(segs.begin() + static_cast<long>(at), segs.end());
  auto find = [&](const std::string& plural) -> const api::ResourceInfo* {
    auto* r = api::find_resource(plural);
    return r && r->plural == plural && r->group == group ? r : nullptr;
  };
  if (rest.empty())
    return fail(Error{404, "NotFound", "the server could not find the requested resource", {}});

  // Namespaces are themselves a resource: /api/v1/namespaces[/{name}].
  if (rest[0] == "namespaces" && rest.size() <= 2 && group.empty())
    return handle_resource(request, *find("namespaces"), "", rest.size() == 2 ? rest[1] : "", "");
  if (rest[0] == "namespaces" && rest.size() == 3 && rest[2] == "status" && group.empty())
    return handle_resource(request, *find("namespaces"), "", rest[1], "status");
  if (rest[0] == "namespaces" && rest.size() >= 3) {
    const auto* r = find(rest[2]);
    if (!r)
      return fail(Error{404, "NotFound", "the server could not find the requested resource", {}});
    return handle_resource(request, *r, rest[1], rest.size() >= 4 ? rest[3] : "",
                           rest.size() >= 5 ? rest[4] : "");
  }
  // Other cluster-scoped resources (nodes): /api/v1/{plural}/{name}[/status].
  if (rest.size() >= 2 && rest.size() <= 3)
    if (const auto* r = find(rest[0]); r && !r->namespaced)
      return handle_resource(request, *r, "", rest[1], rest.size() == 3 ? rest[2] : "");
  if (rest.size() == 1) {
    const auto* r = find(rest[0]);
    if (!r)
      return fail(Error{404, "NotFound", "the server could not find the requested resource", {}});
    return handle_resource(request, *r, "", "", "");
  }
  return fail(Error{404, "NotFound", "the server could not find the requested resource", {}});
}

Reply ApiRouter::list_reply(const Request& request, const api::ResourceInfo& r,
                            const std::string& ns) {
  ListOptions options{request.param("labelSelector"), request.param("fieldSelector")};
  if (request.flag("watch"))
    return watch_reply(io_, objects_, r, ns, options, request, watch_settings());
  auto version = read_version_of(request, false);
  if (!version) return fail(version.error());
  auto table = table_request(request);
  if (!table) return fail(table.error());
  auto snapshot = list_snapshot(objects_, r, ns, options, *version);
  if (!snapshot) return fail(snapshot.error());
  if (*table)
    return table_list_reply(**table, table_rows_, r, ns, options, snapshot->items,
                            snapshot->revision);
  const auto* items = &snapshot->items;
  const int64_t rv = snapshot->revision;
  // The stored texts go out as they are: parsing 1,000 pods only to encode them again was most of
  // a list's time. The envelope is what json would give (keys in order, compact).
  std::string body = R"({"apiVersion":)" + json(r.api_version()).dump() + R"(,"items":[)";
  for (size_t i = 0; i < items->size(); ++i) {
    if (i > 0) body += ',';
    body += (*items)[i];
  }
  body += R"(],"kind":)" + json(r.kind + "List").dump() + R"(,"metadata":{"resourceVersion":)" +
          json(std::to_string(rv)).dump() + "}}";
  return Reply{Response{200, "application/json", std::move(body)}, nullptr};
}

WatchSettings ApiRouter::watch_settings() const {
  return WatchSettings{
      std::chrono::milliseconds(static_cast<long long>(60000 * hooks_.time_scale))};
}

Reply ApiRouter::handle_resource(const Request& request, const api::ResourceInfo& r,
                                 const std::string& ns, const std::string& name,
                                 const std::string& sub) {
  const std::string& m = request.method;
  WriteOptions write;
  std::vector<std::string> warnings;
  if (m != "GET") {
    auto options = write_options_of(request);
    if (!options) return fail(options.error());
    write = std::move(*options);
    write.warnings = &warnings;
  }
  if (name.empty()) {
    if (m == "GET") return list_reply(request, r, ns);
    if (m == "POST") {
      auto body = parse_body(request);
      if (!body) return fail(body.error());
      return with_warnings(answer(objects_.create(r, ns, std::move(*body), write), 201), warnings);
    }
    if (m == "DELETE" && r.plural != "namespaces") return delete_collection(request, r, ns);
    return fail(Error{405, "MethodNotAllowed", "method " + m + " is not supported here", {}});
  }
  if (sub == "scale" &&
      (r.plural == "statefulsets" || r.plural == "deployments" || r.plural == "replicasets"))
    return handle_scale(request, r, ns, name, write);
  if (sub == "exec" && r.plural == "pods" && (m == "GET" || m == "POST") && hooks_.pod_exec)
    return hooks_.pod_exec(ns, name, request);
  if (sub == "attach" && r.plural == "pods")
    return fail(
        Error::bad_request("kinda does not attach to a container's own stdio; use "
                           "kubectl logs -f to follow it, or kubectl exec"));
  if (sub == "portforward" && r.plural == "pods")
    return fail(Error::bad_request(
        "kinda does not forward ports: every pod has its own loopback address (status.podIP, "
        "also its DNS name), so connect to the pod's address and port directly"));
  if (sub == "eviction" && r.plural == "pods" && m == "POST")
    return handle_eviction(request, ns, name);
  if (sub == "log" && r.plural == "pods" && m == "GET" && hooks_.pod_log) {
    auto pod = objects_.get(r, ns, name);
    if (!pod) return fail(pod.error());
    api::PodLogRequest log{
        ns, name, request.param("container"), request.flag("follow"), request.flag("previous"), -1};
    if (auto tail = request.param("tailLines"); !tail.empty()) {
      try {
        log.tail_lines = std::stoll(tail);
      } catch (...) {
        return fail(Error::bad_request("invalid tailLines \"" + tail + "\""));
      }
    }
    return hooks_.pod_log(log);
  }
  if (!sub.empty() && sub != "status")
    return fail(Error{404, "NotFound", "the server could not find the requested resource", {}});

  if (m == "GET") {
    if (request.flag("watch")) {
      ListOptions options{request.param("labelSelector"), "metadata.name=" + name};
      return watch_reply(io_, objects_, r, ns, options, request, watch_settings());
    }
    auto version = read_version_of(request, false);
    if (!version) return fail(version.error());
    if (auto fresh = check_not_too_large(*version, objects_.store().revision()); !fresh)
      return fail(fresh.error());
    auto table = table_request(request);
    if (!table) return fail(table.error());
    if (*table) return table_object_reply(**table, r, objects_.get(r, ns, name));
    return answer(objects_.get(r, ns, name));
  }
  if (sub == "status") write.subresource = "status";
  if (m == "PUT") {
    auto body = parse_body(request);
    if (!body) return fail(body.error());
    if (sub == "status") {
      if (!body->is_object() || (body->contains("metadata") && !(*body)["metadata"].is_object()))
        return fail(Error::bad_request("the request body must be a JSON object with metadata"));
      (*body)["metadata"]["namespace"] = ns;
      (*body)["metadata"]["name"] = name;
      return answer(objects_.update_status(r, std::move(*body), write));
    }
    return with_warnings(answer(objects_.update(r, ns, name, std::move(*body), write)), warnings);
  }
  if (m == "PATCH") {
    if (sub == "status")
      return answer(objects_.patch_status(r, ns, name, request.content_type, request.body, write));
    bool created = false;
    auto patched = objects_.patch(r, ns, name, request.content_type, request.body, write, &created);
    return with_warnings(answer(patched, created ? 201 : 200), warnings);
  }
  if (m == "DELETE") {
    auto options = delete_options_of(request);
    if (!options) return fail(options.error());
    auto removed = objects_.remove(r, ns, name, *options);
    if (!removed) return fail(removed.error());
    return answer(deletion_answer(r, *removed));
  }
  return fail(Error{405, "MethodNotAllowed", "method " + m + " is not supported here", {}});
}

// policy/v1 (or v1beta1) Eviction: registry/eviction.cpp consults the pod's disruption budget.
Reply ApiRouter::handle_eviction(const Request& request, const std::string& ns,
                                 const std::string& name) {
  auto body = parse_body(request);
  if (!body) return fail(body.error());
  auto evicted = evict_pod(objects_, ns, name, *body, request.param("dryRun") == "All");
  if (!evicted) return fail(evicted.error());
  return Reply{Response::json(*evicted, 201), nullptr};
}

Reply ApiRouter::delete_collection(const Request& request, const api::ResourceInfo& r,
                                   const std::string& ns) {
  auto options = delete_options_of(request);
  if (!options) return fail(options.error());
  ListOptions list{request.param("labelSelector"), request.param("fieldSelector")};
  auto removed = objects_.remove_collection(r, ns, list, *options);
  if (!removed) return fail(removed.error());
  return answer(
      json{{"kind", r.kind + "List"},
           {"apiVersion", r.api_version()},
           {"metadata", {{"resourceVersion", std::to_string(objects_.store().revision())}}},
           {"items", *removed}});
}

Reply ApiRouter::handle_scale(const Request& request, const api::ResourceInfo& target,
                              const std::string& ns, const std::string& name, WriteOptions write) {
  auto sts = objects_.get(target, ns, name);
  if (!sts) return fail(sts.error());
  auto scale_of = [&](const json& set) {
    return json{{"kind", "Scale"},
                {"apiVersion", "autoscaling/v1"},
                {"metadata",
                 {{"name", name},
                  {"namespace", ns},
                  {"uid", api::uid_of(set)},
                  {"resourceVersion", api::resource_version_of(set)},
                  {"creationTimestamp", api::string_at(set, "metadata.creationTimestamp")}}},
                {"spec", {{"replicas", api::int_at(set, "spec.replicas", 1)}}},
                {"status",
                 {{"replicas", api::int_at(set, "status.replicas", 0)},
                  {"selector", selector_string(set["spec"].value("selector", json::object()))}}}};
  };
  if (request.method == "GET") return Reply{Response::json(scale_of(*sts)), nullptr};
  json replicas;
  std::string rv;
  if (request.method == "PUT") {
    auto body = parse_body(request);
    if (!body) return fail(body.error());
    const auto* r = api::find_path(*body, "spec.replicas");
    if (!r)
      return fail(Error::invalid("Scale", name,
                                 {{"spec.replicas", "Required value", "FieldValueRequired"}}));
    replicas = *r;
    rv = api::resource_version_of(*body);
  } else if (request.method == "PATCH") {
    auto type = api::patch_type_of(request.content_type);
    if (!type) return fail(type.error());
    auto scale = api::apply_patch(*type, scale_of(*sts), request.body);
    if (!scale) return fail(scale.error());
    const json* patched = api::find_path(*scale, "spec.replicas");
    replicas = patched ? *patched : json();
  } else {
    return fail(
        Error{405, "MethodNotAllowed", "method " + request.method + " is not supported here", {}});
  }
  if (!replicas.is_number_integer() || replicas.get<long long>() < 0)
    return fail(Error::invalid("Scale", name,
                               {{"spec.replicas", "Invalid value: " + replicas.dump() +
                                                      ": must be greater than or equal to 0"}}));
  json updated = *sts;
  updated["spec"]["replicas"] = replicas;
  if (!rv.empty()) updated["metadata"]["resourceVersion"] = rv;
  // The Scale's fields are checked above; what is written is the stored set with new replicas.
  write.field_validation.reset();
  write.subresource = "scale";
  auto result = objects_.update(target, ns, name, std::move(updated), write);
  if (!result) return fail(result.error());
  return Reply{Response::json(scale_of(*result)), nullptr};
}

}  // namespace kinda::apiserver
