#include "apiserver/registry/object_service.hpp"

#include <random>
#include <set>

#include "api/decoding.hpp"
#include "api/defaults.hpp"
#include "api/kind_types.hpp"
#include "api/labels.hpp"
#include "api/managed_fields.hpp"
#include "api/object.hpp"
#include "api/patch.hpp"
#include "api/server_side_apply.hpp"
#include "api/timestamps.hpp"
#include "api/validation.hpp"
#include "api/yaml_reader.hpp"
#include "apiserver/registry/admission.hpp"
#include "apiserver/registry/dependents.hpp"
#include "apiserver/registry/node_ports.hpp"
#include "storage/object_meta.hpp"

namespace kinda::apiserver {
namespace {

// apps/v1 DaemonSets carry their templateGeneration as this annotation (the DaemonSet strategy
// sets it to 1 on create and bumps it when the pod template changes); the controller labels its
// pods pod-template-generation with it.
void set_template_generation(json& ds, const json* old) {
  constexpr const char* kKey = "deprecated.daemonset.template.generation";
  long long generation = 1;
  if (old) {
    const auto* annotations = api::find_path(*old, "metadata.annotations");
    if (annotations && annotations->is_object() && annotations->contains(kKey) &&
        (*annotations)[kKey].is_string()) {
      try {
        generation = std::stoll((*annotations)[kKey].get<std::string>());
      } catch (...) {
        generation = 1;
      }
    }
    const auto* before = api::find_path(*old, "spec.template");
    const auto* after = api::find_path(ds, "spec.template");
    if (!before || !after || *before != *after) ++generation;
  }
  auto& meta = ds["metadata"];
  if (!meta.contains("annotations") || !meta["annotations"].is_object())
    meta["annotations"] = json::object();
  meta["annotations"][kKey] = std::to_string(generation);
}

using nlohmann::json;

std::string random_suffix(size_t n) {
  static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  static std::mt19937 rng{std::random_device{}()};
  std::string s;
  for (size_t i = 0; i < n; ++i) s += alphabet[rng() % (sizeof alphabet - 1)];
  return s;
}

// Fields the server owns: a client's full replacement must not drop them by leaving them out.
void keep_server_fields(const Object& old, Object& obj) {
  auto& meta = obj["metadata"];
  const auto& old_meta = old["metadata"];
  for (const char* key : {"uid", "creationTimestamp", "deletionTimestamp",
                          "deletionGracePeriodSeconds", "generation"})
    if (old_meta.contains(key))
      meta[key] = old_meta[key];
    else
      meta.erase(key);
  for (const char* key : {"ownerReferences", "finalizers", "managedFields"})
    if (!meta.contains(key) && old_meta.contains(key)) meta[key] = old_meta[key];
  if (old.contains("status"))
    obj["status"] = old["status"];
  else
    obj.erase("status");
}

// ?fieldValidation on a client's object; the daemon's own writes (no option) skip it.
Status check_fields(const api::ResourceInfo& r, Object& obj, const WriteOptions& options) {
  if (!options.field_validation) return Ok{};
  std::vector<std::string> scratch;
  return api::enforce_field_validation(*options.field_validation, r.kind, obj,
                                       options.warnings ? *options.warnings : scratch);
}

// managedFields come back from clients (kubectl edit, kubectl's client-side-apply upgrade); they
// must at least be a list of entries, as decoding into Go types demands.
Status check_managed_fields(const api::ResourceInfo& r, const Object& obj) {
  const auto* entries = api::find_path(obj, "metadata.managedFields");
  if (!entries || entries->is_null()) return Ok{};
  bool ok = entries->is_array();
  if (ok)
    for (const auto& entry : *entries) ok = ok && entry.is_object();
  if (ok) return Ok{};
  return Error::bad_request(r.kind + " in version \"" + r.version + "\" cannot be handled as a " +
                            r.kind + ": metadata.managedFields must be a list of objects");
}

// Records the write in metadata.managedFields when the request named a field manager.
void record_manager(const api::ResourceInfo& r, const Object& before, Object& after,
                    const WriteOptions& options) {
  if (options.field_manager.empty()) return;
  api::record_update(
      api::KindTypes::get().for_kind(r.kind), before, after,
      {options.field_manager, "Update", options.subresource, r.api_version(), api::now_rfc3339()});
}

// What the store says of a stale write; a dry run must refuse the same writes.
Error stale(const std::string& resource, const std::string& name) {
  return Error::conflict("Operation cannot be fulfilled on " + resource + " \"" + name +
                         "\": the object has been modified; please apply your changes to the "
                         "latest version and try again");
}

}  // namespace

std::string new_uid() {
  static std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[40];
  snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
           static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
           static_cast<unsigned>(b >> 48), static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

Status ObjectService::check_namespace(const api::ResourceInfo& r, const std::string& ns) const {
  if (!r.namespaced) return Ok{};
  auto found = store_.get("namespaces", "", ns);
  if (!found) return Error::not_found("namespaces", ns);
  if (api::is_terminating(*found) && r.plural != "events")
    return Error{403,
                 "Forbidden",
                 r.singular + " cannot be created in namespace \"" + ns +
                     "\" because it is being terminated",
                 {}};
  return Ok{};
}

std::vector<FieldCause> ObjectService::allocate_node_ports(Object& service, const Object& previous,
                                                           const WriteOptions& options) const {
  auto causes = assign_node_ports(
      service, previous,
      node_ports_held(store_.list("services"), api::namespace_of(service), api::name_of(service)));
  if (causes.empty() && options.warnings && api::string_at(service, "spec.type") == "LoadBalancer")
    options.warnings->push_back(load_balancer_warning(service));
  return causes;
}

std::string ObjectService::allocate_service_ip() const {
  std::set<std::string> used;
  for (const auto& svc : store_.list("services"))
    used.insert(api::string_at(svc, "spec.clusterIP"));
  std::string prefix = "127." + std::to_string(pod_octet_) + ".255.";
  for (int i = 1; i < 255; ++i)
    if (!used.count(prefix + std::to_string(i))) return prefix + std::to_string(i);
  return "";
}

Result<Object> ObjectService::create(const api::ResourceInfo& r, const std::string& ns, Object obj,
                                     const WriteOptions& options) {
  if (!obj.is_object()) return Error::bad_request("the request body must be a JSON object");
  if (auto decoded = api::decode_object(r, obj); !decoded) return decoded.error();
  if (obj.contains("kind") && obj["kind"] != r.kind)
    return Error::bad_request("the kind " + obj["kind"].dump() + " does not match the " + r.plural +
                              " endpoint");
  if (auto checked = check_fields(r, obj, options); !checked) return checked.error();
  if (auto checked = check_managed_fields(r, obj); !checked) return checked.error();
  obj["apiVersion"] = r.api_version();
  obj["kind"] = r.kind;
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = json::object();
  auto& meta = obj["metadata"];
  if (r.namespaced) {
    std::string given = meta.value("namespace", "");
    if (!given.empty() && !ns.empty() && given != ns)
      return Error::bad_request(
          "the namespace of the provided object does not match the namespace sent on the request");
    meta["namespace"] = given.empty() ? (ns.empty() ? "default" : ns) : given;
  } else {
    meta.erase("namespace");
  }
  if (meta.value("name", "").empty() && !meta.value("generateName", "").empty())
    meta["name"] = meta["generateName"].get<std::string>() + random_suffix(5);

  // The uid is known before defaulting: a Job's generated selector and labels carry it.
  const std::string uid = new_uid();
  meta["uid"] = uid;
  api::apply_defaults(r, obj);
  if (auto admitted = admit(store_, r, obj, nullptr, options); !admitted) return admitted.error();
  auto causes = api::validate_object(r, obj);
  if (causes.empty() && r.plural == "services")
    causes = allocate_node_ports(obj, Object(), options);
  if (!causes.empty()) return Error::invalid(r.kind, meta.value("name", ""), causes);
  if (auto st = check_namespace(r, meta.value("namespace", "")); !st) return st.error();

  meta["uid"] = uid;
  meta["creationTimestamp"] = api::now_rfc3339();
  meta["generation"] = 1;
  if (r.plural == "daemonsets") set_template_generation(obj, nullptr);
  meta.erase("resourceVersion");
  meta.erase("deletionTimestamp");
  meta.erase("deletionGracePeriodSeconds");

  if (r.plural == "pods") {
    obj["status"] = {{"phase", "Pending"}, {"qosClass", "BestEffort"}};
  } else if (r.plural == "namespaces") {
    obj["status"] = {{"phase", "Active"}};
    obj["spec"] = {{"finalizers", {"kubernetes"}}};
  } else if (r.plural == "persistentvolumeclaims" || r.plural == "persistentvolumes") {
    obj["status"] = {{"phase", "Pending"}};
  } else if (r.plural == "services") {
    auto& spec = obj["spec"];
    if (spec.value("type", "") != "ExternalName" && spec.value("clusterIP", "").empty()) {
      auto ip = allocate_service_ip();
      if (ip.empty()) return Error::internal("no free service address left");
      spec["clusterIP"] = ip;
    }
    if (spec.contains("clusterIP")) spec["clusterIPs"] = json::array({spec["clusterIP"]});
    obj["status"] = {{"loadBalancer", json::object()}};
  } else if (r.plural == "statefulsets") {
    obj["status"] = {{"replicas", 0}, {"availableReplicas", 0}};
  } else {
    obj.erase("status");
  }
  record_manager(r, Object(), obj, options);
  if (options.dry_run) {
    auto key = storage::object_key(obj);
    if (!key) return key.error();
    if (store_.get(r.plural, key->ns, key->name)) return Error::already_exists(r.plural, key->name);
    return obj;
  }
  auto created = store_.create(r.plural, std::move(obj));
  // The serviceaccounts controller's "default" account, there as soon as the namespace is.
  if (created && r.plural == "namespaces") ensure_default_service_account(api::name_of(*created));
  return created;
}

void ObjectService::ensure_default_service_account(const std::string& ns) {
  const auto& accounts = *api::find_resource("serviceaccounts");
  if (store_.get(accounts.plural, ns, "default")) return;
  (void)create(accounts, ns, json{{"metadata", {{"name", "default"}, {"namespace", ns}}}});
}

Result<Object> ObjectService::update(const api::ResourceInfo& r, const std::string& ns,
                                     const std::string& name, Object obj,
                                     const WriteOptions& options) {
  if (!obj.is_object()) return Error::bad_request("the request body must be a JSON object");
  if (auto decoded = api::decode_object(r, obj); !decoded) return decoded.error();
  if (auto checked = check_fields(r, obj, options); !checked) return checked.error();
  if (auto checked = check_managed_fields(r, obj); !checked) return checked.error();
  auto old = store_.get(r.plural, r.namespaced ? ns : "", name);
  if (!old) return old.error();
  obj["apiVersion"] = r.api_version();
  obj["kind"] = r.kind;
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = json::object();
  auto& meta = obj["metadata"];
  if (meta.value("name", name) != name)
    return Error::bad_request("the name of the object (" + meta.value("name", "") +
                              ") does not match the name on the URL (" + name + ")");
  meta["name"] = name;
  if (r.namespaced) meta["namespace"] = ns;
  std::string given_uid = meta.value("uid", "");
  if (!given_uid.empty() && given_uid != api::uid_of(*old))
    return Error::conflict("Precondition failed: UID in precondition: " + given_uid +
                           ", UID in object meta: " + api::uid_of(*old));
  keep_server_fields(*old, obj);
  if (r.plural == "pods") {
    // Also what admission set at creation (service account, priority), so a replacement that
    // leaves them out is no change to them.
    for (const char* key : {"nodeName", "hostname", "subdomain", "serviceAccountName",
                            "serviceAccount", "priorityClassName", "priority", "preemptionPolicy"})
      if (!obj["spec"].contains(key) && (*old)["spec"].contains(key))
        obj["spec"][key] = (*old)["spec"][key];
  } else if (r.plural == "persistentvolumeclaims" && obj["spec"].is_object()) {
    for (const char* key : {"storageClassName", "volumeName"})
      if (!obj["spec"].contains(key) && (*old)["spec"].contains(key))
        obj["spec"][key] = (*old)["spec"][key];
  } else if (r.plural == "services") {
    for (const char* key : {"clusterIP", "clusterIPs"})
      if (!obj["spec"].contains(key) && (*old)["spec"].contains(key))
        obj["spec"][key] = (*old)["spec"][key];
  } else if (r.plural == "namespaces") {
    obj["spec"] = (*old)["spec"];
  }
  api::apply_defaults(r, obj);
  if (auto admitted = admit(store_, r, obj, &*old, options); !admitted) return admitted.error();
  auto causes = api::validate_update(r, *old, obj);
  if (causes.empty() && r.plural == "services") causes = allocate_node_ports(obj, *old, options);
  if (!causes.empty()) return Error::invalid(r.kind, name, causes);
  if (obj.value("spec", json()) != old->value("spec", json()))
    meta["generation"] = api::int_at(*old, "metadata.generation", 1) + 1;
  if (r.plural == "daemonsets") set_template_generation(obj, &*old);
  record_manager(r, *old, obj, options);

  // A write that changes nothing keeps its resourceVersion, so `apply` can say "unchanged".
  Object comparable = obj;
  comparable["metadata"]["resourceVersion"] = api::resource_version_of(*old);
  if (comparable == *old) {
    if (auto rv = obj["metadata"].value("resourceVersion", "");
        !rv.empty() && rv != api::resource_version_of(*old))
      return stale(r.plural, name);
    return *old;
  }
  return store_update(r, std::move(obj), *old, options);
}

Result<Object> ObjectService::store_update(const api::ResourceInfo& r, Object obj,
                                           const Object& old, const WriteOptions& options) {
  if (!options.dry_run) return store_.update(r.plural, std::move(obj));
  const std::string rv = api::resource_version_of(obj);
  if (!rv.empty() && rv != api::resource_version_of(old)) return stale(r.plural, api::name_of(old));
  obj["metadata"]["resourceVersion"] = api::resource_version_of(old);
  return obj;
}

Result<Object> ObjectService::update_status(const api::ResourceInfo& r, Object obj,
                                            const WriteOptions& options) {
  auto old = store_.get(r.plural, api::namespace_of(obj), api::name_of(obj));
  if (!old) return old.error();
  Object next = *old;
  next["status"] = obj.value("status", json::object());
  record_manager(r, *old, next, options);
  if (next == *old) return *old;
  next["metadata"]["resourceVersion"] = api::resource_version_of(obj);
  if (api::resource_version_of(obj).empty()) next["metadata"].erase("resourceVersion");
  return store_update(r, std::move(next), *old, options);
}

Result<Object> ObjectService::patched(const api::ResourceInfo& r, const std::string& ns,
                                      const std::string& name, const std::string& content_type,
                                      const std::string& body, Object& old) {
  // As the API server: an unknown patch type is refused before the object is looked up.
  auto type = api::patch_type_of(content_type);
  if (!type) return type.error();
  auto found = store_.get(r.plural, r.namespaced ? ns : "", name);
  if (!found) return found.error();
  old = *found;
  return api::apply_patch(*type, old, body);
}

Result<Object> ObjectService::patch(const api::ResourceInfo& r, const std::string& ns,
                                    const std::string& name, const std::string& content_type,
                                    const std::string& body, const WriteOptions& options,
                                    bool* created) {
  if (created) *created = false;
  if (api::is_apply_patch(content_type)) return apply(r, ns, name, body, options, created);
  if (options.force)
    return Error::invalid(
        "PatchOptions", "",
        {{"force", "Forbidden: may not be specified for non-apply patch", "FieldValueForbidden"}});
  Object old;
  auto next = patched(r, ns, name, content_type, body, old);
  if (!next) return next.error();
  // A patch is a precondition on resourceVersion only when it sets one itself.
  json patch = json::parse(body, nullptr, false);
  // A patch that leaves metadata of another type is refused, not replaced by an empty map (which
  // would quietly drop the object's labels and annotations).
  if (auto decoded = api::decode_object(r, *next); !decoded) return decoded.error();
  if (!(*next)["metadata"].is_object()) (*next)["metadata"] = json::object();
  if (!api::find_path(patch, "metadata.resourceVersion"))
    (*next)["metadata"]["resourceVersion"] = api::resource_version_of(old);
  return update(r, ns, name, std::move(*next), options);
}

Result<Object> ObjectService::apply(const api::ResourceInfo& r, const std::string& ns,
                                    const std::string& name, const std::string& body,
                                    const WriteOptions& options, bool* created) {
  if (options.field_manager.empty())
    return Error::invalid(
        "PatchOptions", "",
        {{"fieldManager", "Required value: is required for apply patch", "FieldValueRequired"}});
  std::vector<Object> docs;
  try {
    docs = api::read_yaml_documents(body);
  } catch (const std::exception& e) {
    return Error::bad_request(std::string("error decoding YAML: ") + e.what());
  }
  if (docs.size() != 1 || !docs[0].is_object())
    return Error::bad_request("the applied configuration must be a single YAML or JSON object");
  Object config = std::move(docs[0]);
  if (!config.contains("metadata")) config["metadata"] = json::object();
  if (auto decoded = api::decode_object(r, config); !decoded) return decoded.error();
  if (config.value("apiVersion", "") != r.api_version() || config.value("kind", "") != r.kind)
    return Error::bad_request("the applied configuration's apiVersion and kind (" +
                              config.value("apiVersion", "") + ", " + config.value("kind", "") +
                              ") do not match the endpoint's (" + r.api_version() + ", " + r.kind +
                              ")");
  if (auto checked = check_fields(r, config, options); !checked) return checked.error();
  if (config["metadata"].value("name", name) != name)
    return Error::bad_request("the name of the object (" + config["metadata"].value("name", "") +
                              ") does not match the name on the URL (" + name + ")");
  config["metadata"]["name"] = name;
  if (r.namespaced) config["metadata"]["namespace"] = ns;

  auto live = store_.get(r.plural, r.namespaced ? ns : "", name);
  if (!live && live.error().code != 404) return live.error();
  api::ApplyOptions apply{{options.field_manager, "Apply", "", r.api_version(), api::now_rfc3339()},
                          options.force};
  auto merged = api::server_side_apply(api::KindTypes::get().for_kind(r.kind),
                                       live ? *live : Object(), std::move(config), apply);
  if (!merged) return merged.error();
  // The merged object is written as any other; the manager's entry is already in it.
  WriteOptions write;
  write.dry_run = options.dry_run;
  write.warnings = options.warnings;
  if (!live) {
    if (created) *created = true;
    return create(r, ns, std::move(*merged), write);
  }
  return update(r, ns, name, std::move(*merged), write);
}

Result<Object> ObjectService::patch_status(const api::ResourceInfo& r, const std::string& ns,
                                           const std::string& name, const std::string& content_type,
                                           const std::string& body, const WriteOptions& options) {
  Object old;
  auto next = patched(r, ns, name, content_type, body, old);
  if (!next) return next.error();
  Object status_only = std::move(old);
  status_only["status"] = next->value("status", json::object());
  return update_status(r, std::move(status_only), options);
}

Result<Object> ObjectService::remove(const api::ResourceInfo& r, const std::string& ns,
                                     const std::string& name, const DeleteOptions& options) {
  auto found = store_.get(r.plural, r.namespaced ? ns : "", name);
  if (!found) return found.error();
  Object obj = *found;
  auto& meta = obj["metadata"];
  WriteOptions write;
  write.dry_run = options.dry_run;
  // A dry run answers with what the deletion would leave: the terminating object, or the last
  // state of one that goes at once.
  auto mark = [&](Object next) { return store_update(r, std::move(next), *found, write); };

  if (r.plural == "pods") {
    // Pods always end through the pod manager, which stops the processes before the object goes,
    // so an identity never has two live copies.
    long long grace = options.grace_period_seconds.value_or(
        api::int_at(obj, "spec.terminationGracePeriodSeconds", 30));
    if (grace < 0) grace = 0;
    if (api::is_terminating(obj) && meta.value("deletionGracePeriodSeconds", grace) <= grace)
      return obj;
    meta["deletionTimestamp"] =
        api::format_rfc3339(api::Clock::now() + std::chrono::seconds(grace));
    meta["deletionGracePeriodSeconds"] = grace;
    return mark(std::move(obj));
  }
  if (r.plural == "persistentvolumeclaims") {
    for (const auto& pod : store_.list("pods", ns))
      if (api::pod_protects_claim(pod, name)) {
        // kubernetes.io/pvc-protection: the claim goes once no pod uses it.
        if (api::is_terminating(obj)) return obj;
        meta["deletionTimestamp"] = api::now_rfc3339();
        meta["finalizers"] = json::array({"kubernetes.io/pvc-protection"});
        return mark(std::move(obj));
      }
    return options.dry_run ? obj : finalize(r, obj);
  }
  if (r.plural == "namespaces") {
    if (api::is_terminating(obj)) return obj;
    meta["deletionTimestamp"] = api::now_rfc3339();
    obj["status"]["phase"] = "Terminating";
    return mark(std::move(obj));
  }
  if (options.dry_run) return obj;
  // What becomes of the objects it owns: see apiserver/registry/dependents.hpp.
  if (options.propagation_policy == "Orphan") {
    if (auto orphaned = orphan_dependents(store_, obj); !orphaned) return orphaned.error();
  } else if (options.propagation_policy == "Foreground" && has_blocking_dependents(store_, obj)) {
    if (deleting_in_foreground(obj)) return obj;
    return store_.update(r.plural, marked_for_foreground_deletion(std::move(obj)));
  }
  return finalize(r, obj);
}

Result<std::vector<Object>> ObjectService::remove_collection(const api::ResourceInfo& r,
                                                             const std::string& ns,
                                                             const ListOptions& list,
                                                             const DeleteOptions& options) {
  auto matching = this->list(r, ns, list);
  if (!matching) return matching.error();
  std::vector<Object> removed;
  for (const auto& obj : *matching) {
    auto gone = remove(r, api::namespace_of(obj), api::name_of(obj), options);
    if (!gone && gone.error().code == 404) continue;  // went meanwhile (a pod's claim, say)
    if (!gone) return gone.error();
    removed.push_back(std::move(*gone));
  }
  return removed;
}

Result<Object> ObjectService::finalize(const api::ResourceInfo& r, const Object& object) {
  return store_.remove(r.plural, r.namespaced ? api::namespace_of(object) : "",
                       api::name_of(object));
}

Result<Object> ObjectService::get(const api::ResourceInfo& r, const std::string& ns,
                                  const std::string& name) const {
  return store_.get(r.plural, r.namespaced ? ns : "", name);
}

Result<bool> ObjectService::matches(const Object& object, const ListOptions& options) {
  if (!options.label_selector.empty()) {
    auto selector = api::Selector::parse(options.label_selector);
    if (!selector) return selector.error();
    if (!selector->matches(api::labels_of(object))) return false;
  }
  std::string_view fields = options.field_selector;
  while (!fields.empty()) {
    auto comma = fields.find(',');
    std::string term(fields.substr(0, comma));
    fields = comma == std::string_view::npos ? std::string_view{} : fields.substr(comma + 1);
    bool negate = false;
    size_t op = term.find("!=");
    size_t value_at;
    if (op != std::string::npos)
      negate = true, value_at = op + 2;
    else if ((op = term.find("==")) != std::string::npos)
      value_at = op + 2;
    else if ((op = term.find('=')) != std::string::npos)
      value_at = op + 1;
    else
      return Error::bad_request("invalid field selector term \"" + term + "\"");
    const auto* v = api::find_path(object, term.substr(0, op));
    std::string actual = !v ? "" : v->is_string() ? v->get<std::string>() : v->dump();
    if ((actual == term.substr(value_at)) == negate) return false;
  }
  return true;
}

Result<std::vector<Object>> ObjectService::list(const api::ResourceInfo& r, const std::string& ns,
                                                const ListOptions& options) const {
  std::vector<Object> out;
  for (auto& obj : store_.list(r.plural, r.namespaced ? ns : "")) {
    auto ok = matches(obj, options);
    if (!ok) return ok.error();
    if (*ok) out.push_back(std::move(obj));
  }
  return out;
}

Result<std::vector<std::string>> ObjectService::list_text(const api::ResourceInfo& r,
                                                          const std::string& ns,
                                                          const ListOptions& options) const {
  auto texts = store_.list_text(r.plural, r.namespaced ? ns : "");
  if (options.label_selector.empty() && options.field_selector.empty()) return texts;
  std::vector<std::string> out;
  for (auto& text : texts) {
    auto ok = matches(Object::parse(text), options);
    if (!ok) return ok.error();
    if (*ok) out.push_back(std::move(text));
  }
  return out;
}

}  // namespace kinda::apiserver
