#include "apiserver/registry/admission.hpp"

#include "api/object.hpp"
#include "api/quantity.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

constexpr const char* kDefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
constexpr const char* kBetaDefaultClassAnnotation =
    "storageclass.beta.kubernetes.io/is-default-class";
constexpr const char* kBetaClassAnnotation = "volume.beta.kubernetes.io/storage-class";

std::string annotation_of(const Object& object, const char* key) {
  const json* annotations = api::find_path(object, "metadata.annotations");
  if (!annotations || !annotations->is_object()) return "";
  auto it = annotations->find(key);
  return it != annotations->end() && it->is_string() ? it->get<std::string>() : "";
}

const Object* named(const std::vector<Object>& objects, const std::string& name) {
  for (const auto& o : objects)
    if (api::name_of(o) == name) return &o;
  return nullptr;
}

Error forbidden(const api::ResourceInfo& r, const std::string& name, const std::string& why) {
  return Error{403, "Forbidden", r.plural + " \"" + name + "\" is forbidden: " + why, {}};
}

// GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName.
std::string claim_class(const Object& claim) {
  if (const json* a = api::find_path(claim, "metadata.annotations");
      a && a->is_object() && a->contains(kBetaClassAnnotation))
    return annotation_of(claim, kBetaClassAnnotation);
  return api::string_at(claim, "spec.storageClassName");
}

std::optional<int64_t> requested_bytes(const Object& claim, const char* dotted) {
  const json* size = api::find_path(claim, dotted);
  return size ? api::memory_bytes(*size) : std::nullopt;
}

// The global default PriorityClass: the one with the lowest value of those marked (as the
// Priority plugin picks when several are).
const Object* global_default_class(const std::vector<Object>& classes) {
  const Object* chosen = nullptr;
  for (const auto& pc : classes)
    if (api::bool_at(pc, "globalDefault") &&
        (!chosen || api::int_at(pc, "value") < api::int_at(*chosen, "value")))
      chosen = &pc;
  return chosen;
}

}  // namespace

std::string default_service_account(Object& pod) {
  if (!pod.contains("spec") || !pod["spec"].is_object()) pod["spec"] = json::object();
  json& spec = pod["spec"];
  std::string name = api::string_at(pod, "spec.serviceAccountName");
  if (name.empty()) name = api::string_at(pod, "spec.serviceAccount");
  if (name.empty()) name = "default";
  spec["serviceAccountName"] = name;
  spec["serviceAccount"] = name;  // the deprecated alias, kept equal as the API's conversion does
  return name;
}

std::optional<std::string> resolve_priority(Object& pod, const std::vector<Object>& classes) {
  if (!pod.contains("spec") || !pod["spec"].is_object()) return std::nullopt;
  json& spec = pod["spec"];
  const std::string name = api::string_at(pod, "spec.priorityClassName");
  long long priority = 0;  // DefaultPriorityWhenNoDefaultClassExists
  std::string preemption = "PreemptLowerPriority";
  const Object* pc = nullptr;
  if (name.empty()) {
    pc = global_default_class(classes);
    if (pc) spec["priorityClassName"] = api::name_of(*pc);
  } else {
    pc = named(classes, name);
    if (!pc) return "no PriorityClass with name " + name + " was found";
  }
  if (pc) {
    priority = api::int_at(*pc, "value");
    preemption = api::string_at(*pc, "preemptionPolicy", "PreemptLowerPriority");
  }
  if (const json& given = spec.value("priority", json());
      given.is_number_integer() && given.get<long long>() != priority)
    return "the integer value of priority (" + std::to_string(given.get<long long>()) +
           ") must not be provided in pod spec; priority admission controller computed " +
           std::to_string(priority) + " from the given PriorityClass name";
  spec["priority"] = priority;
  if (pc) {
    if (const json& given = spec.value("preemptionPolicy", json());
        given.is_string() && given.get<std::string>() != preemption)
      return "the string value of PreemptionPolicy (" + given.get<std::string>() +
             ") must not be provided in pod spec; priority admission controller computed " +
             preemption + " from the given PriorityClass name";
    spec["preemptionPolicy"] = preemption;
  }
  return std::nullopt;
}

std::optional<std::string> check_global_default(const Object& pc, const Object* old,
                                                const std::vector<Object>& classes) {
  if (!api::bool_at(pc, "globalDefault")) return std::nullopt;
  for (const auto& other : classes)
    if (api::bool_at(other, "globalDefault") && api::name_of(other) != api::name_of(pc) &&
        (!old || api::name_of(*old) != api::name_of(other)))
      return "PriorityClass " + api::name_of(other) +
             " is already marked as default. Only one default can exist";
  return std::nullopt;
}

std::string default_storage_class(const std::vector<Object>& classes) {
  const Object* chosen = nullptr;
  for (const auto& sc : classes) {
    if (annotation_of(sc, kDefaultClassAnnotation) != "true" &&
        annotation_of(sc, kBetaDefaultClassAnnotation) != "true")
      continue;
    // Several defaults: the newest wins (ties by name), as GetDefaultClass picks since 1.26.
    const std::string created = api::string_at(sc, "metadata.creationTimestamp");
    const std::string chosen_created =
        chosen ? api::string_at(*chosen, "metadata.creationTimestamp") : "";
    if (!chosen || created > chosen_created ||
        (created == chosen_created && api::name_of(sc) < api::name_of(*chosen)))
      chosen = &sc;
  }
  return chosen ? api::name_of(*chosen) : "";
}

void admit_claim_class(Object& claim, const std::vector<Object>& classes) {
  if (!claim.contains("spec") || !claim["spec"].is_object()) return;
  const json& given = claim["spec"].value("storageClassName", json());
  if (!given.is_null()) return;  // "" asks for no class: only volumes without one bind
  if (!annotation_of(claim, kBetaClassAnnotation).empty()) return;
  if (auto name = default_storage_class(classes); !name.empty())
    claim["spec"]["storageClassName"] = name;
}

std::optional<Error> check_claim_resize(const Object& old, const Object& claim,
                                        const std::vector<Object>& classes) {
  const char* kRequest = "spec.resources.requests.storage";
  auto before = requested_bytes(old, kRequest), after = requested_bytes(claim, kRequest);
  if (!before || !after || *after == *before) return std::nullopt;
  const auto& r = *api::find_resource("persistentvolumeclaims");
  if (*after < *before) {
    // RecoverVolumeExpansionFailure (beta, on in 1.32): down to what the volume has, no lower.
    auto capacity = requested_bytes(old, "status.capacity.storage");
    if (!capacity || *after < *capacity)
      return Error::invalid("PersistentVolumeClaim", api::name_of(claim),
                            {{kRequest, "Forbidden: field can not be less than status.capacity",
                              "FieldValueForbidden"}});
    return std::nullopt;
  }
  if (api::string_at(old, "status.phase") != "Bound")
    return forbidden(r, api::name_of(claim), "Only bound persistent volume claims can be expanded");
  const Object* sc = named(classes, claim_class(claim));
  if (!sc || !api::bool_at(*sc, "allowVolumeExpansion"))
    return forbidden(r, api::name_of(claim),
                     "only dynamically provisioned pvc can be resized and the storageclass "
                     "that provisions the pvc must support resize");
  return std::nullopt;
}

std::string unenforced_kind_warning(const api::ResourceInfo& r) {
  if (r.group == "rbac.authorization.k8s.io")
    return "kinda stores RBAC objects but does not enforce them: its single admin user may do "
           "everything, and pods' service account tokens are not checked against roles";
  if (r.plural == "networkpolicies")
    return "kinda stores NetworkPolicies but does not enforce them: traffic between pods is not "
           "filtered";
  return "";
}

Status admit(const storage::Store& store, const api::ResourceInfo& r, Object& object,
             const Object* old, const WriteOptions& options) {
  const std::string name = api::name_of(object);
  if (r.plural == "pods" && !old) {
    const std::string ns = api::namespace_of(object);
    // Namespace lifecycle runs first: a missing namespace is the 404, not a missing account.
    if (!store.get("namespaces", "", ns)) return Ok{};
    const std::string account = default_service_account(object);
    if (!store.get("serviceaccounts", ns, account))
      return forbidden(r, name,
                       "error looking up service account " + ns + "/" + account +
                           ": serviceaccount \"" + account + "\" not found");
    if (auto refused = resolve_priority(object, store.list("priorityclasses")))
      return forbidden(r, name, *refused);
  } else if (r.plural == "priorityclasses") {
    if (auto refused = check_global_default(object, old, store.list("priorityclasses")))
      return forbidden(r, name, *refused);
  } else if (r.plural == "persistentvolumeclaims") {
    if (!old)
      admit_claim_class(object, store.list("storageclasses"));
    else if (auto refused = check_claim_resize(*old, object, store.list("storageclasses")))
      return *refused;
  }
  if (options.warnings)
    if (auto warning = unenforced_kind_warning(r); !warning.empty())
      options.warnings->push_back(warning);
  return Ok{};
}

}  // namespace kinda::apiserver
