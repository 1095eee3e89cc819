#include "storage/migrations.hpp"

namespace kinda::storage {

const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> migrations = {
      {"objects, revision log and log bookkeeping", R"sql(
CREATE TABLE objects (
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  uid TEXT NOT NULL,
  resource_version INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (resource, namespace, name)
) WITHOUT ROWID;
CREATE TABLE revisions (
  revision INTEGER PRIMARY KEY,
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
  data TEXT NOT NULL
);
CREATE INDEX revisions_by_resource ON revisions (resource, revision);
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('revision', 0), ('oldest_retained', 1);
)sql"},
      // list_at() (resourceVersionMatch=Exact, filtered watches) looks up an object's state at a
      // past revision.
      {"revision log by object", R"sql(
CREATE INDEX revisions_by_object ON revisions (resource, namespace, name, revision);
)sql"},
  };
  return migrations;
}

Result<int> migrate(sqlite::Database& db, const std::vector<Migration>& migrations) {
  const auto target = static_cast<int64_t>(migrations.size());
  int applied = 0;
  while (true) {
    auto tx = sqlite::Transaction::begin(db, sqlite::Transaction::Mode::Write);
    if (!tx) return tx.error();
    auto version = db.query_int64("PRAGMA user_version");
    if (!version) return version.error();
    if (*version > target)
      return Error::internal("the database has schema version " + std::to_string(*version) +
                             " but this kinda knows only up to " + std::to_string(target) +
                             "; use a newer kinda for this cluster");
    if (*version == target) return applied;
    const Migration& next = migrations[static_cast<size_t>(*version)];
    if (auto done = db.exec(next.sql); !done)
      return Error::internal("schema migration " + std::to_string(*version + 1) + " (" +
                             next.description + ") failed: " + done.error().message);
    if (auto stamped = db.exec("PRAGMA user_version = " + std::to_string(*version + 1)); !stamped)
      return stamped.error();
    if (auto committed = tx->commit(); !committed) return committed.error();
    ++applied;
  }
}

}  // namespace kinda::storage
