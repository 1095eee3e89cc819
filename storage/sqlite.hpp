// A thin RAII layer over the SQLite C API: a Database owns its connection, a Statement its prepared
// statement, a StatementUse resets its statement when it goes out of scope, and a Transaction rolls
// back unless committed. Failures come back as kinda::Error values naming what was being done.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "api/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace kinda::storage::sqlite {

class Statement;

// One binding-and-stepping session of a Statement. Resetting on destruction matters in WAL mode:
// a statement left mid-result keeps a read snapshot open, which would pin old pages and hide newer
// commits from this connection.
class StatementUse {
 public:
  explicit StatementUse(Statement& statement);
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  ~StatementUse();

  StatementUse& bind(int index, std::string_view text);
  StatementUse& bind(int index, int64_t number);
  // true when a row is ready to read, false when the statement has finished.
  Result<bool> step();
  // Steps to completion, for statements that return no rows.
  Status run();

  int64_t column_int64(int column) const;
  std::string column_text(int column) const;

 private:
  Statement& statement_;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql) noexcept
      : db_(db), stmt_(stmt), sql_(std::move(sql)) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  StatementUse use() { return StatementUse(*this); }

 private:
  friend class StatementUse;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

class Database {
 public:
  // Opens (creating if needed) a database file for reading and writing.
  static Result<Database> open(const std::filesystem::path& path);
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return nothing worth reading.
  Status exec(const std::string& sql);
  Result<Statement> prepare(const std::string& sql);
  // Runs a single-value query such as "PRAGMA user_version".
  Result<int64_t> query_int64(const std::string& sql);
  Result<std::string> query_text(const std::string& sql);
  // Waits up to `milliseconds` for another connection's lock instead of failing at once.
  void set_busy_timeout(int milliseconds);

  // An InternalError naming `what` and SQLite's latest message on this connection.
  Error error(const std::string& what) const;

 private:
  explicit Database(sqlite3* db) noexcept : db_(db) {}
  sqlite3* db_ = nullptr;
};

// BEGIN … COMMIT; rolls back when destroyed uncommitted. Writers take the write lock up front
// (BEGIN IMMEDIATE), so two writers wait on the busy timeout instead of one failing halfway
// through; readers get one consistent snapshot across several statements.
class Transaction {
 public:
  enum class Mode { Read, Write };
  static Result<Transaction> begin(Database& db, Mode mode);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status commit();

 private:
  explicit Transaction(Database* db) noexcept : db_(db) {}
  Database* db_ = nullptr;  // null once committed or rolled back
};

}  // namespace kinda::storage::sqlite
