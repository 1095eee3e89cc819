#include "storage/migrations.hpp"

#include <catch2/catch.hpp>

#include "storage/store.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

namespace kinda::storage {
namespace {

using testing::TempDir;

sqlite::Database open_raw(const TempDir& dir) {
  auto db = sqlite::Database::open(dir.db());
  REQUIRE(db.ok());
  return std::move(*db);
}

int64_t user_version(sqlite::Database& db) {
  auto version = db.query_int64("PRAGMA user_version");
  REQUIRE(version.ok());
  return *version;
}

const std::vector<Migration> kTwoSteps = {
    {"create t", "CREATE TABLE t (x INTEGER)"},
    {"seed t", "INSERT INTO t VALUES (1)"},
};

TEST_CASE("opening a new store applies every migration and records the schema version") {
  TempDir dir;
  REQUIRE(Store::open(dir.db()).ok());
  auto db = open_raw(dir);
  CHECK(user_version(db) == static_cast<int64_t>(schema_migrations().size()));
  auto mode = db.query_text("PRAGMA journal_mode");
  REQUIRE(mode.ok());
  CHECK(*mode == "wal");
}

TEST_CASE("reopening an existing store runs no migration again and keeps its data") {
  TempDir dir;
  {
    auto store = Store::open(dir.db());
    REQUIRE(store.ok());
    REQUIRE((*store)->create("namespaces", Object{{"metadata", {{"name", "default"}}}}).ok());
  }
  auto reopened = Store::open(dir.db());
  REQUIRE(reopened.ok());
  CHECK((*reopened)->get("namespaces", "", "default").ok());

  auto db = open_raw(dir);
  auto applied = migrate(db, schema_migrations());
  REQUIRE(applied.ok());
  CHECK(*applied == 0);
  CHECK(user_version(db) == static_cast<int64_t>(schema_migrations().size()));
}

TEST_CASE("migrations apply in order, each once, and only the new ones when the list grows") {
  TempDir dir;
  auto db = open_raw(dir);
  auto first = migrate(db, kTwoSteps);
  REQUIRE(first.ok());
  CHECK(*first == 2);
  CHECK(user_version(db) == 2);

  auto again = migrate(db, kTwoSteps);
  REQUIRE(again.ok());
  CHECK(*again == 0);

  auto grown = kTwoSteps;
  grown.push_back({"seed more", "INSERT INTO t VALUES (2)"});
  auto third = migrate(db, grown);
  REQUIRE(third.ok());
  CHECK(*third == 1);
  auto rows = db.query_int64("SELECT count(*) FROM t");
  REQUIRE(rows.ok());
  CHECK(*rows == 2);
}

TEST_CASE("a failing migration is rolled back and leaves the schema version where it was") {
  TempDir dir;
  auto db = open_raw(dir);
  auto broken = kTwoSteps;
  broken.push_back({"half done", "INSERT INTO t VALUES (3); INSERT INTO nowhere VALUES (1)"});
  auto result = migrate(db, broken);
  REQUIRE_FALSE(result.ok());
  CHECK_THAT(result.error().message, Catch::Matchers::Contains("schema migration 3 (half done)"));
  CHECK(user_version(db) == 2);
  auto rows = db.query_int64("SELECT count(*) FROM t");
  REQUIRE(rows.ok());
  CHECK(*rows == 1);
}

TEST_CASE("a database written by a newer kinda is refused") {
  TempDir dir;
  {
    auto db = open_raw(dir);
    REQUIRE(db.exec("PRAGMA user_version = 99").ok());
  }
  auto store = Store::open(dir.db());
  REQUIRE_FALSE(store.ok());
  CHECK_THAT(store.error().message, Catch::Matchers::Contains("schema version 99"));
}

}  // namespace
}  // namespace kinda::storage
