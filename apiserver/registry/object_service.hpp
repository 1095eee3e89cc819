// The API server's object semantics on top of the store: defaulting, validation, uid and
// timestamps, generation, optimistic concurrency, graceful deletion of pods, claims in use and
// namespaces, subresources (status, scale) and patches. Controllers and HTTP routes both use it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/error.hpp"
#include "api/field_validation.hpp"
#include "api/resources.hpp"
#include "storage/store.hpp"

namespace kinda::apiserver {

using Object = nlohmann::json;

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
};

struct DeleteOptions {
  std::optional<long long> grace_period_seconds;
  std::string propagation_policy;  // "", "Background", "Foreground", "Orphan"
  bool dry_run = false;            // ?dryRun=All: answer as if deleted, change nothing
};

// What an API request asks of a write beyond the object. Controllers pass none: their writes
// skip the field check and record no manager.
struct WriteOptions {
  bool dry_run = false;  // ?dryRun=All: validate and answer as if written, store nothing
  // ?fieldValidation (Warn when absent); unset for the daemon's own writes.
  std::optional<api::FieldValidation> field_validation;
  std::string field_manager;  // ?fieldManager, recorded in metadata.managedFields
  std::string subresource;    // "status" or "scale": what the manager's entry says it wrote
  bool force = false;         // ?force for apply: take fields other managers own
  std::vector<std::string>* warnings = nullptr;  // Warn's findings, for Warning headers
};

class ObjectService {
 public:
  ObjectService(storage::Store& store, int pod_octet) : store_(store), pod_octet_(pod_octet) {}

  Result<Object> create(const api::ResourceInfo& r, const std::string& ns, Object object,
                        const WriteOptions& options = {});
  // Full replacement from a client (PUT). Status is kept; server-owned metadata is kept, and so
  // are managedFields unless the object sets them.
  Result<Object> update(const api::ResourceInfo& r, const std::string& ns, const std::string& name,
                        Object object, const WriteOptions& options = {});
  // Writes only .status (PUT …/status, and controllers).
  Result<Object> update_status(const api::ResourceInfo& r, Object object,
                               const WriteOptions& options = {});
  // PATCH with a JSON, merge or strategic merge patch (by Content-Type; others are 415), or an
  // applied configuration (application/apply-patch+yaml: server-side apply, which creates the
  // object when it does not exist; `created` says so).
  Result<Object> patch(const api::ResourceInfo& r, const std::string& ns, const std::string& name,
                       const std::string& content_type, const std::string& body,
                       const WriteOptions& options = {}, bool* created = nullptr);
  // PATCH …/status: the patch applies to the whole object, only its status is written.
  Result<Object> patch_status(const api::ResourceInfo& r, const std::string& ns,
                              const std::string& name, const std::string& content_type,
                              const std::string& body, const WriteOptions& options = {});
  Result<Object> remove(const api::ResourceInfo& r, const std::string& ns, const std::string& name,
                        const DeleteOptions& options);
  // DELETE of a collection: every object the list options match, as remove() each; returns
  // them as they are after their deletion began.
  Result<std::vector<Object>> remove_collection(const api::ResourceInfo& r, const std::string& ns,
                                                const ListOptions& list,
                                                const DeleteOptions& options);
  Result<Object> get(const api::ResourceInfo& r, const std::string& ns,
                     const std::string& name) const;
  Result<std::vector<Object>> list(const api::ResourceInfo& r, const std::string& ns,
                                   const ListOptions& options) const;
  // The matching objects' stored JSON text (see Store::list_text); only selectors need a parse.
  Result<std::vector<std::string>> list_text(const api::ResourceInfo& r, const std::string& ns,
                                             const ListOptions& options) const;
  // True when the object matches the list options (used by watches too).
  static Result<bool> matches(const Object& object, const ListOptions& options);

  // Removes the object from the store for good (pod manager and controllers, after cleanup).
  Result<Object> finalize(const api::ResourceInfo& r, const Object& object);

  storage::Store& store() { return store_; }
  // Creates the namespace's "default" ServiceAccount unless it has one (every namespace gets it
  // when created; the daemon calls this for the namespaces it starts with).
  void ensure_default_service_account(const std::string& ns);

 private:
  Result<Object> apply(const api::ResourceInfo& r, const std::string& ns, const std::string& name,
                       const std::string& body, const WriteOptions& options, bool* created);
  // Writes `object` unless the options ask for a dry run, which answers what would be stored.
  Result<Object> store_update(const api::ResourceInfo& r, Object object, const Object& old,
                              const WriteOptions& options);
  // The object (into `old`) and the result of applying a patch of `content_type` to it.
  Result<Object> patched(const api::ResourceInfo& r, const std::string& ns, const std::string& name,
                         const std::string& content_type, const std::string& body, Object& old);
  Status check_namespace(const api::ResourceInfo& r, const std::string& ns) const;
  std::string allocate_service_ip() const;
  // spec.ports[].nodePort (node_ports.hpp) and, for a LoadBalancer, the Warning that kinda has
  // none; the causes of a 422 when a given port is out of range or taken.
  std::vector<FieldCause> allocate_node_ports(Object& service, const Object& previous,
                                              const WriteOptions& options) const;

  storage::Store& store_;
  int pod_octet_;
};

// A fresh uid (RFC 4122 version 4).
std::string new_uid();

}  // namespace kinda::apiserver
