#include "storage/store.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "storage/migrations.hpp"
#include "storage/object_meta.hpp"
#include "storage/sqlite.hpp"

namespace kinda::storage {

namespace {

using sqlite::Transaction;

// Another process holding the write lock (a second daemon start, an operator's sqlite3 shell) is
// waited for this long before a write fails.
constexpr int kBusyTimeoutMs = 5000;

// Every statement the store runs, prepared once at open and reused.
enum Query : size_t {
  kSelectObject,
  kInsertObject,
  kUpdateObject,
  kDeleteObject,
  kListAll,
  kListNamespace,
  kAppendRevision,
  kEventsAll,
  kEventsOfResource,
  kCompactLog,
  kReadMeta,
  kWriteMeta,
  kObjectAtRevision,
  kQueryCount,
};

constexpr std::array<const char*, kQueryCount> kQuerySql = {
    "SELECT data FROM objects WHERE resource = ?1 AND namespace = ?2 AND name = ?3",
    "INSERT INTO objects (resource, namespace, name, uid, resource_version, data) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "UPDATE objects SET uid = ?4, resource_version = ?5, data = ?6 "
    "WHERE resource = ?1 AND namespace = ?2 AND name = ?3",
    "DELETE FROM objects WHERE resource = ?1 AND namespace = ?2 AND name = ?3",
    "SELECT data FROM objects WHERE resource = ?1 ORDER BY namespace, name",
    "SELECT data FROM objects WHERE resource = ?1 AND namespace = ?2 ORDER BY name",
    "INSERT INTO revisions (revision, resource, namespace, name, type, data) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT revision, type, resource, data FROM revisions WHERE revision > ?1 ORDER BY revision",
    "SELECT revision, type, resource, data FROM revisions "
    "WHERE resource = ?2 AND revision > ?1 ORDER BY revision",
    "DELETE FROM revisions WHERE revision < ?1",
    "SELECT value FROM meta WHERE key = ?1",
    "UPDATE meta SET value = ?2 WHERE key = ?1",
    "SELECT type, data FROM revisions WHERE resource = ?1 AND namespace = ?2 AND name = ?3 "
    "AND revision <= ?4 ORDER BY revision DESC LIMIT 1",
};

// Keys of the meta table.
constexpr const char* kRevision = "revision";
constexpr const char* kOldestRetained = "oldest_retained";

EventType event_type_from(const std::string& text) {
  if (text == "ADDED") return EventType::Added;
  if (text == "MODIFIED") return EventType::Modified;
  if (text == "DELETED") return EventType::Deleted;
  throw std::logic_error("revision log holds unknown event type " + text);
}

template <class T>
T value_or_throw(Result<T> result) {
  if (!result) throw std::runtime_error(result.error().message);
  return std::move(*result);
}

std::string uid_of(const Object& object) {
  auto metadata = object.find("metadata");
  if (metadata == object.end()) return "";
  auto uid = metadata->find("uid");
  return uid != metadata->end() && uid->is_string() ? uid->get<std::string>() : "";
}

// Kubernetes drops old revisions in batches rather than one per write; a tenth of the retention
// (at most 1000) keeps the overshoot small while paying for a DELETE only now and then.
int64_t compaction_batch(size_t retention) {
  return static_cast<int64_t>(std::clamp<size_t>(retention / 10, 1, 1000));
}

}  // namespace

const char* to_string(EventType type) {
  switch (type) {
    case EventType::Added:
      return "ADDED";
    case EventType::Modified:
      return "MODIFIED";
    case EventType::Deleted:
      return "DELETED";
  }
  return "UNKNOWN";
}

struct Store::Impl {
  struct Listener {
    int64_t after_revision;  // changes up to here were committed before it subscribed
    std::shared_ptr<std::function<void(const WatchEvent&)>> callback;
  };

  explicit Impl(sqlite::Database database) : db(std::move(database)) {}

  sqlite::Database db;
  std::vector<sqlite::Statement> queries;
  size_t log_retention = kDefaultLogRetention;
  int64_t last_committed = 0;
  uint64_t next_listener_id = 1;
  std::map<uint64_t, Listener> listeners;
  std::deque<WatchEvent> undelivered;
  bool delivering = false;

  sqlite::StatementUse use(Query query) { return queries[query].use(); }

  Result<int64_t> read_meta(const char* key) {
    auto q = use(kReadMeta);
    q.bind(1, key);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return Error::internal(std::string("the store's meta table lacks ") + key);
    return q.column_int64(0);
  }

  Status write_meta(const char* key, int64_t value) {
    auto q = use(kWriteMeta);
    q.bind(1, key).bind(2, value);
    return q.run();
  }

  Result<std::optional<Object>> load(const std::string& resource, const ObjectKey& key) {
    auto q = use(kSelectObject);
    q.bind(1, resource).bind(2, key.ns).bind(3, key.name);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return std::optional<Object>();
    return std::optional<Object>(Object::parse(q.column_text(0)));
  }

  // Writes one change inside `tx`, commits it and tells the subscribers. `object` is the new
  // state, or for a deletion the last state; either way it gets the change's revision.
  Result<Object> commit(Transaction tx, EventType type, const std::string& resource,
                        const ObjectKey& key, Object object, Object previous) {
    auto last = read_meta(kRevision);
    if (!last) return last.error();
    const int64_t revision = *last + 1;
    set_resource_version(object, revision);
    const std::string data = object.dump();

    Status written = write_object(type, resource, key, revision, uid_of(object), data);
    if (!written) return written.error();
    if (auto appended = append_revision(type, resource, key, revision, data); !appended)
      return appended.error();
    if (auto counted = write_meta(kRevision, revision); !counted) return counted.error();
    if (auto compacted = compact_if_due(revision); !compacted) return compacted.error();
    if (auto committed = tx.commit(); !committed) return committed.error();

    last_committed = revision;
    // Every statement is reset by now, so listeners may write to the store themselves.
    deliver(WatchEvent{revision, type, resource, object, std::move(previous)});
    return object;
  }

  Status append_revision(EventType type, const std::string& resource, const ObjectKey& key,
                         int64_t revision, const std::string& data) {
    auto q = use(kAppendRevision);
    q.bind(1, revision).bind(2, resource).bind(3, key.ns).bind(4, key.name);
    q.bind(5, to_string(type)).bind(6, data);
    return q.run();
  }

  Status write_object(EventType type, const std::string& resource, const ObjectKey& key,
                      int64_t revision, const std::string& uid, const std::string& data) {
    if (type == EventType::Deleted) {
      auto q = use(kDeleteObject);
      q.bind(1, resource).bind(2, key.ns).bind(3, key.name);
      return q.run();
    }
    auto q = use(type == EventType::Added ? kInsertObject : kUpdateObject);
    q.bind(1, resource).bind(2, key.ns).bind(3, key.name).bind(4, uid).bind(5, revision);
    q.bind(6, data);
    return q.run();
  }

  // Drops revisions older than the newest `log_retention` once the log has grown a batch past it,
  // and records where the log now starts so events_since() can tell "too old" from "nothing".
  Status compact_if_due(int64_t revision) {
    auto oldest = read_meta(kOldestRetained);
    if (!oldest) return oldest.error();
    const auto retention = static_cast<int64_t>(log_retention);
    if (revision - *oldest + 1 <= retention + compaction_batch(log_retention)) return Ok{};
    const int64_t new_oldest = revision - retention + 1;
    auto q = use(kCompactLog);
    q.bind(1, new_oldest);
    if (auto dropped = q.run(); !dropped) return dropped.error();
    return write_meta(kOldestRetained, new_oldest);
  }

  // Events queue up while listeners run, so a listener that writes cannot make others see a newer
  // revision before an older one.
  void deliver(WatchEvent event) {
    undelivered.push_back(std::move(event));
    if (delivering) return;
    delivering = true;
    struct EndDelivery {
      bool& flag;
      ~EndDelivery() { flag = false; }
    } end_delivery{delivering};
    while (!undelivered.empty()) {
      const WatchEvent next = std::move(undelivered.front());
      undelivered.pop_front();
      std::vector<uint64_t> ids;
      for (const auto& [id, listener] : listeners) ids.push_back(id);
      for (uint64_t id : ids) {
        auto it = listeners.find(id);  // an earlier listener may have ended this subscription
        if (it == listeners.end() || next.revision <= it->second.after_revision) continue;
        auto callback = it->second.callback;  // alive even if the listener unsubscribes itself
        (*callback)(next);
      }
    }
  }
};

Subscription::Subscription(Subscription&& other) noexcept
    : store_(std::exchange(other.store_, nullptr)), id_(std::exchange(other.id_, 0)) {}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    if (store_) store_->unsubscribe(id_);
    store_ = std::exchange(other.store_, nullptr);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

Subscription::~Subscription() {
  if (store_) store_->unsubscribe(id_);
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& db_path) {
  if (db_path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(db_path.parent_path(), ec);
    if (ec)
      return Error::internal("cannot create " + db_path.parent_path().string() + ": " +
                             ec.message());
  }
  auto db = sqlite::Database::open(db_path);
  if (!db) return db.error();
  db->set_busy_timeout(kBusyTimeoutMs);
  auto mode = db->query_text("PRAGMA journal_mode=WAL");
  if (!mode) return mode.error();
  if (*mode != "wal")
    return Error::internal("cannot put " + db_path.string() + " in WAL mode (got " + *mode +
                           "); keep the cluster directory on a local filesystem");
  if (auto set = db->exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"); !set)
    return set.error();
  if (auto migrated = migrate(*db, schema_migrations()); !migrated) return migrated.error();

  auto impl = std::make_unique<Impl>(std::move(*db));
  for (const char* sql : kQuerySql) {
    auto statement = impl->db.prepare(sql);
    if (!statement) return statement.error();
    impl->queries.push_back(std::move(*statement));
  }
  auto revision = impl->read_meta(kRevision);
  if (!revision) return revision.error();
  impl->last_committed = *revision;
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

void Store::set_log_retention(size_t revisions) {
  impl_->log_retention = std::max<size_t>(revisions, 1);
}

Result<Object> Store::create(const std::string& resource, Object object) {
  auto key = object_key(object);
  if (!key) return key.error();
  auto tx = Transaction::begin(impl_->db, Transaction::Mode::Write);
  if (!tx) return tx.error();
  auto stored = impl_->load(resource, *key);
  if (!stored) return stored.error();
  if (*stored) return Error::already_exists(resource, key->name);
  stamp_identity(object);
  return impl_->commit(std::move(*tx), EventType::Added, resource, *key, std::move(object),
                       Object());
}

Result<Object> Store::update(const std::string& resource, Object object) {
  auto key = object_key(object);
  if (!key) return key.error();
  auto tx = Transaction::begin(impl_->db, Transaction::Mode::Write);
  if (!tx) return tx.error();
  auto stored = impl_->load(resource, *key);
  if (!stored) return stored.error();
  if (!*stored) return Error::not_found(resource, key->name);
  const std::string expected = resource_version_of(object);
  if (!expected.empty() && expected != resource_version_of(**stored))
    return Error::conflict("Operation cannot be fulfilled on " + resource + " \"" + key->name +
                           "\": the object has been modified; please apply your changes to the "
                           "latest version and try again");
  carry_identity(**stored, object);
  Object previous = **stored;
  return impl_->commit(std::move(*tx), EventType::Modified, resource, *key, std::move(object),
                       std::move(previous));
}

Result<Object> Store::remove(const std::string& resource, const std::string& ns,
                             const std::string& name, std::optional<std::string> expected_rv) {
  const ObjectKey key{ns, name};
  auto tx = Transaction::begin(impl_->db, Transaction::Mode::Write);
  if (!tx) return tx.error();
  auto stored = impl_->load(resource, key);
  if (!stored) return stored.error();
  if (!*stored) return Error::not_found(resource, name);
  const std::string current = resource_version_of(**stored);
  if (expected_rv && !expected_rv->empty() && *expected_rv != current)
    return Error::conflict("Operation cannot be fulfilled on " + resource + " \"" + name +
                           "\": the ResourceVersion in the precondition (" + *expected_rv +
                           ") does not match the ResourceVersion in record (" + current +
                           "). The object might have been modified");
  Object previous = **stored;
  return impl_->commit(std::move(*tx), EventType::Deleted, resource, key, std::move(**stored),
                       std::move(previous));
}

Result<Object> Store::get(const std::string& resource, const std::string& ns,
                          const std::string& name) const {
  auto stored = impl_->load(resource, ObjectKey{ns, name});
  if (!stored) return stored.error();
  if (!*stored) return Error::not_found(resource, name);
  return std::move(**stored);
}

std::vector<Object> Store::list(const std::string& resource, const std::string& ns) const {
  auto q = impl_->use(ns.empty() ? kListAll : kListNamespace);
  q.bind(1, resource);
  if (!ns.empty()) q.bind(2, ns);
  std::vector<Object> objects;
  while (value_or_throw(q.step())) objects.push_back(Object::parse(q.column_text(0)));
  return objects;
}

std::vector<std::string> Store::list_text(const std::string& resource,
                                          const std::string& ns) const {
  auto q = impl_->use(ns.empty() ? kListAll : kListNamespace);
  q.bind(1, resource);
  if (!ns.empty()) q.bind(2, ns);
  std::vector<std::string> texts;
  while (value_or_throw(q.step())) texts.emplace_back(q.column_text(0));
  return texts;
}

int64_t Store::revision() const {
  return value_or_throw(impl_->read_meta(kRevision));
}

Result<std::vector<WatchEvent>> Store::events_since(int64_t after_revision,
                                                    const std::string& resource) const {
  // One snapshot for both reads, so a compaction by another process cannot slip in between.
  auto tx = Transaction::begin(impl_->db, Transaction::Mode::Read);
  if (!tx) return tx.error();
  auto oldest = impl_->read_meta(kOldestRetained);
  if (!oldest) return oldest.error();
  if (after_revision < *oldest - 1)
    return Error::gone("too old resource version: " + std::to_string(after_revision) + " (" +
                       std::to_string(*oldest - 1) + ")");

  std::vector<WatchEvent> events;
  {
    auto q = impl_->use(resource.empty() ? kEventsAll : kEventsOfResource);
    q.bind(1, after_revision);
    if (!resource.empty()) q.bind(2, resource);
    while (true) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      events.push_back(WatchEvent{q.column_int64(0), event_type_from(q.column_text(1)),
                                  q.column_text(2), Object::parse(q.column_text(3)), Object()});
    }
  }
  if (auto done = tx->commit(); !done) return done.error();
  return events;
}

Result<std::vector<Object>> Store::list_at(int64_t revision, const std::string& resource,
                                           const std::string& ns) const {
  auto tx = Transaction::begin(impl_->db, Transaction::Mode::Read);
  if (!tx) return tx.error();
  auto newest = impl_->read_meta(kRevision);
  if (!newest) return newest.error();
  auto oldest = impl_->read_meta(kOldestRetained);
  if (!oldest) return oldest.error();
  const auto expired = [&] {
    return Error::gone("too old resource version: " + std::to_string(revision) + " (" +
                       std::to_string(*oldest - 1) + ")");
  };
  if (revision < *oldest - 1) return expired();

  // Every object as it is now, then each object changed since `revision` as it was then: absent
  // if its first change since was its creation, else its last state logged up to `revision`.
  using Key = std::pair<std::string, std::string>;  // namespace, name: list()'s order
  std::map<Key, Object> state;
  for (auto& object : list(resource, ns)) {
    auto key = object_key(object);
    if (key) state.emplace(Key{key->ns, key->name}, std::move(object));
  }
  std::map<Key, EventType> first_change;
  {
    auto q = impl_->use(kEventsOfResource);
    q.bind(1, revision).bind(2, resource);
    while (true) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      auto key = object_key(Object::parse(q.column_text(3)));
      if (key && (ns.empty() || key->ns == ns))
        first_change.emplace(Key{key->ns, key->name}, event_type_from(q.column_text(1)));
    }
  }
  for (const auto& [key, type] : first_change) {
    state.erase(key);
    if (type == EventType::Added) continue;
    auto q = impl_->use(kObjectAtRevision);
    q.bind(1, resource).bind(2, key.first).bind(3, key.second).bind(4, revision);
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return expired();  // it existed then, but its state then is compacted away
    if (event_type_from(q.column_text(0)) != EventType::Deleted)
      state.emplace(key, Object::parse(q.column_text(1)));
  }
  if (auto done = tx->commit(); !done) return done.error();
  std::vector<Object> objects;
  for (auto& [key, object] : state) objects.push_back(std::move(object));
  return objects;
}

Subscription Store::subscribe(std::function<void(const WatchEvent&)> listener) {
  const uint64_t id = impl_->next_listener_id++;
  impl_->listeners.emplace(
      id, Impl::Listener{
              impl_->last_committed,
              std::make_shared<std::function<void(const WatchEvent&)>>(std::move(listener))});
  return Subscription(this, id);
}

void Store::unsubscribe(uint64_t id) {
  impl_->listeners.erase(id);
}

}  // namespace kinda::storage
