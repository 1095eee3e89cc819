// The cluster's object store: Kubernetes objects (JSON) in SQLite (WAL mode), keyed by
// (resource, namespace, name). Every write is one transaction that takes the next revision number,
// stamps it into metadata.resourceVersion and appends the change to a revision log; the log feeds
// watches, in order, and survives restarts. The store knows nothing of controllers or validation.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::storage {

using Object = nlohmann::json;

enum class EventType { Added, Modified, Deleted };
const char* to_string(EventType type);  // "ADDED", "MODIFIED", "DELETED"

struct WatchEvent {
  int64_t revision = 0;
  EventType type = EventType::Added;
  std::string resource;  // plural, e.g. "pods"
  Object object;         // the object after the change (for Deleted: its last state, new rv)
  // The object before the change (null for Added), so a filtered watch can tell an object that
  // moved out of its selector (DELETED) from one that was never in it. Events read back from
  // the log (events_since) leave it null.
  Object previous;
};

class Store;

// Ends the subscription when destroyed. Must not outlive the Store that issued it.
class Subscription {
 public:
  Subscription() = default;
  Subscription(Store* store, uint64_t id) : store_(store), id_(id) {}
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription();

 private:
  Store* store_ = nullptr;
  uint64_t id_ = 0;
};

// Used from one thread. Several processes may open the same file: writers wait for each other
// (busy timeout), but only writes made through this Store reach its subscribers.
class Store {
 public:
  // How many of the newest revisions the log keeps for events_since() unless told otherwise.
  static constexpr size_t kDefaultLogRetention = 100000;

  // Opens (creating if needed) the database and its parent directory and applies pending schema
  // migrations.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& db_path);
  ~Store();

  // The log always keeps at least the newest `revisions` (at least 1) revisions; older ones are
  // dropped in batches during writes, after which events_since() from before them is Gone.
  void set_log_retention(size_t revisions);

  // Inserts a new object. AlreadyExists (409) when the key is taken. The object's
  // metadata.namespace (absent for cluster-scoped) and metadata.name form the key; no name is
  // BadRequest (400). Fills in metadata.uid and creationTimestamp unless the caller set them.
  Result<Object> create(const std::string& resource, Object object);
  // Replaces an existing object. When object.metadata.resourceVersion is set and differs from the
  // stored one the update fails with Conflict (409); NotFound (404) when absent. A uid or
  // creationTimestamp the update leaves out is kept from the stored object.
  Result<Object> update(const std::string& resource, Object object);
  // Removes an object; returns its last state stamped with the deletion's revision.
  // When expected_rv is given and differs: Conflict.
  Result<Object> remove(const std::string& resource, const std::string& ns, const std::string& name,
                        std::optional<std::string> expected_rv = std::nullopt);

  Result<Object> get(const std::string& resource, const std::string& ns,
                     const std::string& name) const;
  // All objects of a resource; ns empty = every namespace. Ordered by namespace, then name.
  // list() and revision() throw std::runtime_error only when the database itself fails (I/O).
  std::vector<Object> list(const std::string& resource, const std::string& ns = "") const;
  // The same objects as stored: each one's compact JSON text, as list() would parse it. Answers
  // that pass objects through unchanged skip the parse and the re-encoding (most of a list of
  // 1,000 pods' cost).
  std::vector<std::string> list_text(const std::string& resource, const std::string& ns = "") const;

  // The newest revision number (0 for an empty store).
  int64_t revision() const;
  // The changes after `after_revision`, oldest first, optionally of one resource only.
  // Gone (410) when the log no longer holds revisions that old (it is compacted).
  Result<std::vector<WatchEvent>> events_since(int64_t after_revision,
                                               const std::string& resource = "") const;

  // The objects of a resource as they were right after `revision` (ns empty = every namespace),
  // ordered as list(): the current state with the log's changes since then undone. Gone (410)
  // when the log no longer reaches back far enough to know.
  Result<std::vector<Object>> list_at(int64_t revision, const std::string& resource,
                                      const std::string& ns = "") const;

  // Calls `listener` synchronously after every change committed after this call, in revision
  // order. A listener may write to the store (its event is delivered after the current one reaches
  // every listener) and may end any subscription, its own included.
  Subscription subscribe(std::function<void(const WatchEvent&)> listener);

 private:
  friend class Subscription;
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  void unsubscribe(uint64_t id);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kinda::storage
