// The store's schema history: an ordered list of migrations, each applied once, in its own
// transaction, with PRAGMA user_version recording how many have been applied. Opening a database
// written by a newer kinda fails instead of guessing at an unknown schema.
#pragma once

#include <string>
#include <vector>

#include "api/error.hpp"
#include "storage/sqlite.hpp"

namespace kinda::storage {

struct Migration {
  std::string description;
  std::string sql;
};

// The object store's migrations, oldest first. Append only: a released entry never changes.
const std::vector<Migration>& schema_migrations();

// Applies the migrations `db` has not seen yet; returns how many it applied. Each runs in a
// BEGIN IMMEDIATE transaction that re-reads user_version, so two processes opening the same new
// file never apply one twice.
Result<int> migrate(sqlite::Database& db, const std::vector<Migration>& migrations);

}  // namespace kinda::storage
