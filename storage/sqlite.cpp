#include "storage/sqlite.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <utility>

namespace kinda::storage::sqlite {

namespace {

// A bind can only fail on a wrong index or a misused statement: a bug in this layer, not a runtime
// condition a caller could handle.
void check_bind(int rc, sqlite3* db, const std::string& sql) {
  if (rc != SQLITE_OK)
    throw std::logic_error("sqlite bind failed for `" + sql + "`: " + sqlite3_errmsg(db));
}

}  // namespace

StatementUse::StatementUse(Statement& statement) : statement_(statement) {}

StatementUse::~StatementUse() {
  sqlite3_reset(statement_.stmt_);
  sqlite3_clear_bindings(statement_.stmt_);
}

StatementUse& StatementUse::bind(int index, std::string_view text) {
  check_bind(sqlite3_bind_text(statement_.stmt_, index, text.data(), static_cast<int>(text.size()),
                               SQLITE_TRANSIENT),
             statement_.db_, statement_.sql_);
  return *this;
}

StatementUse& StatementUse::bind(int index, int64_t number) {
  check_bind(sqlite3_bind_int64(statement_.stmt_, index, number), statement_.db_, statement_.sql_);
  return *this;
}

Result<bool> StatementUse::step() {
  int rc = sqlite3_step(statement_.stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error::internal("database statement failed (" + statement_.sql_ +
                         "): " + sqlite3_errmsg(statement_.db_));
}

Status StatementUse::run() {
  while (true) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return Ok{};
  }
}

int64_t StatementUse::column_int64(int column) const {
  return sqlite3_column_int64(statement_.stmt_, column);
}

std::string StatementUse::column_text(int column) const {
  auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_.stmt_, column));
  int size = sqlite3_column_bytes(statement_.stmt_, column);
  return text ? std::string(text, static_cast<size_t>(size)) : std::string();
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      sql_(std::move(other.sql_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    sql_ = std::move(other.sql_);
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Result<Database> Database::open(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Database database(db);  // owns the handle even when opening failed, as SQLite requires
  if (rc != SQLITE_OK) return database.error("cannot open database " + path.string());
  sqlite3_extended_result_codes(db, 1);
  return database;
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

Status Database::exec(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Ok{};
  std::string text = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Error::internal("database statement failed (" + sql + "): " + text);
}

Result<Statement> Database::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return error("cannot prepare `" + sql + "`");
  return Statement(db_, stmt, sql);
}

Result<int64_t> Database::query_int64(const std::string& sql) {
  auto statement = prepare(sql);
  if (!statement) return statement.error();
  auto use = statement->use();
  auto row = use.step();
  if (!row) return row.error();
  if (!*row) return Error::internal("`" + sql + "` returned no row");
  return use.column_int64(0);
}

Result<std::string> Database::query_text(const std::string& sql) {
  auto statement = prepare(sql);
  if (!statement) return statement.error();
  auto use = statement->use();
  auto row = use.step();
  if (!row) return row.error();
  if (!*row) return Error::internal("`" + sql + "` returned no row");
  return use.column_text(0);
}

void Database::set_busy_timeout(int milliseconds) {
  sqlite3_busy_timeout(db_, milliseconds);
}

Error Database::error(const std::string& what) const {
  return Error::internal(what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

Result<Transaction> Transaction::begin(Database& db, Mode mode) {
  if (auto begun = db.exec(mode == Mode::Write ? "BEGIN IMMEDIATE" : "BEGIN"); !begun)
    return begun.error();
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  // ROLLBACK fails only when SQLite has already rolled back by itself (after an I/O error or a
  // full disk), which leaves nothing to undo.
  if (db_) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  auto committed = db_->exec("COMMIT");
  if (committed) db_ = nullptr;
  return committed;
}

}  // namespace kinda::storage::sqlite
