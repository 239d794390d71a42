#include "db/sqlite_connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

namespace enhancer {
namespace {

// Extended result codes are switched on for every connection, so constraint kinds can be told
// apart; the primary code is the low byte.
Status StatusFromSqlite(int rc, std::string_view detail, std::string_view context) {
  std::string message = std::string(context) + ": " + std::string(detail);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
      return UnavailableError(std::move(message));
    case SQLITE_FULL:
      return ResourceExhaustedError(std::move(message));
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExistsError(std::move(message));
      }
      return InvalidArgumentError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

Status ErrorOf(sqlite3* db, int rc, std::string_view context) {
  return StatusFromSqlite(rc, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc), context);
}

// The first line of a statement, enough to tell which one failed without flooding the log.
std::string Abbreviate(std::string_view sql) {
  while (!sql.empty() && (sql.front() == ' ' || sql.front() == '\n')) sql.remove_prefix(1);
  size_t end = sql.find('\n');
  if (end == std::string_view::npos) end = sql.size();
  constexpr size_t kMaxChars = 80;
  return std::string(sql.substr(0, std::min(end, kMaxChars)));
}

}  // namespace

// ---- SqliteStatement ----

SqliteStatement::SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string sql)
    : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      sql_(std::move(other.sql_)),
      bind_error_(std::move(other.bind_error_)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    sql_ = std::move(other.sql_);
    bind_error_ = std::move(other.bind_error_);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::NoteBindResult(int rc, int index) {
  if (rc == SQLITE_OK || !bind_error_.ok()) return;
  bind_error_ = ErrorOf(
      db_, rc, "binding parameter " + std::to_string(index) + " of \"" + Abbreviate(sql_) + "\"");
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  NoteBindResult(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view text) {
  NoteBindResult(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  NoteBindResult(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

SqliteStatement& SqliteStatement::BindTextOrNull(int index, std::string_view text) {
  return text.empty() ? BindNull(index) : Bind(index, text);
}

Result<bool> SqliteStatement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return ErrorOf(db_, rc, "running \"" + Abbreviate(sql_) + "\"");
}

Status SqliteStatement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row) return row.error();
    if (!*row) return OkStatus();
  }
}

void SqliteStatement::Reset() {
  // The return value repeats the last step's error, which was already reported.
  sqlite3_reset(stmt_);
}

int64_t SqliteStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- SqliteConnection ----

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 const SqliteOptions& options) {
  const std::string context = "opening SQLite database " + path;
  if (options.create_parent_dir && path != ":memory:" && !path.empty()) {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return UnavailableError(context + ": cannot create folder " + parent.string() + ": " +
                              ec.message());
    }
  }

  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  // The handle exists even when opening failed, and must be closed either way.
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(raw, path));
  if (rc != SQLITE_OK) return ErrorOf(raw, rc, context);

  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
  // WAL lets readers run beside the writer (the API reads while workers write) and survives a
  // killed process: a transaction is either in the log with its commit record or not at all.
  Status status = connection->Exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;");
  if (!status.ok()) return status.WithContext(context);
  return connection;
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

Status SqliteConnection::Exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return OkStatus();
  Status status = StatusFromSqlite(rc, error != nullptr ? error : sqlite3_errstr(rc),
                                   "running \"" + Abbreviate(sql) + "\"");
  sqlite3_free(error);
  return status;
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, &tail);
  if (rc != SQLITE_OK) {
    return ErrorOf(db_, rc, "preparing \"" + Abbreviate(sql) + "\"");
  }
  SqliteStatement statement(db_, stmt, std::string(sql));
  if (stmt == nullptr) return InternalError("preparing an empty statement");
  std::string_view rest(tail, static_cast<size_t>(sql.data() + sql.size() - tail));
  if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    return InternalError("preparing \"" + Abbreviate(sql) + "\": more than one statement");
  }
  return statement;
}

Status SqliteConnection::Transaction(TransactionMode mode, const std::function<Status()>& body) {
  ENHANCER_RETURN_IF_ERROR(
      Exec(mode == TransactionMode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
  Status status = body();
  if (status.ok()) status = Exec("COMMIT");
  if (!status.ok() && !sqlite3_get_autocommit(db_)) {
    // The body's error is what the caller needs; a failed rollback leaves nothing more to do
    // than the automatic rollback SQLite performs when the connection closes.
    (void)Exec("ROLLBACK");
  }
  return status;
}

int64_t SqliteConnection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

}  // namespace enhancer
