// SqliteConnection: one open SQLite database file, with prepared statements and transactions
// that report failures as Status.
//
// Every connection is opened the same way: WAL journal (readers never block the one writer,
// other processes may open the same file), a busy timeout (a locked database is waited for,
// then reported as Unavailable) and foreign keys enforced.
//
// Error codes: SQLITE_BUSY/LOCKED and a file that cannot be opened -> Unavailable (retry);
// a UNIQUE or PRIMARY KEY violation -> AlreadyExists; other constraint violations (CHECK,
// NOT NULL, FOREIGN KEY) -> InvalidArgument; a full disk -> ResourceExhausted; anything else
// -> Internal. Messages carry SQLite's own text and what was being done.
//
// Thread-safety: a SqliteConnection and its statements are NOT thread-safe; the owner serialises
// all use (the repository and the queue each hold a mutex). Statements must be destroyed before
// the connection that prepared them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace enhancer {

struct SqliteOptions {
  // How long a statement waits for another connection's lock before failing with Unavailable.
  std::chrono::milliseconds busy_timeout{5000};
  // Create the folder that holds the file when it is missing.
  bool create_parent_dir = true;
};

// A prepared statement. Move-only; finalized on destruction.
//
// Bind errors (an index out of range, a value too large) are kept and returned by the next
// Step() or Run(), so binds can be chained without checking each one.
class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  SqliteStatement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  SqliteStatement& BindNull(int index);
  // Binds NULL for an empty string: optional text columns (error, source_hash) store NULL.
  SqliteStatement& BindTextOrNull(int index, std::string_view text);

  // Advances to the next row: true when a row is available, false when the statement is done.
  Result<bool> Step();
  // Steps until the statement is done, ignoring any rows.
  Status Run();
  // Makes the statement ready to run again; bindings are kept.
  void Reset();

  // Columns are 0-based, as in SQLite. Valid only after Step() returned true.
  int64_t ColumnInt64(int column) const;
  // NULL reads as "".
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class SqliteConnection;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string sql);
  void NoteBindResult(int rc, int index);

  sqlite3* db_ = nullptr;         // not owned
  sqlite3_stmt* stmt_ = nullptr;  // owned
  std::string sql_;               // for error context
  Status bind_error_;
};

enum class TransactionMode {
  kDeferred,   // takes the write lock at the first write; for read-only transactions
  kImmediate,  // takes the write lock at BEGIN: no deadlock when a read is followed by a write
};

class SqliteConnection {
 public:
  // Opens (creating if needed) the database file at `path` (":memory:" works too).
  // Errors: Unavailable (cannot open, or locked past the busy timeout), Internal.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                        const SqliteOptions& options = {});

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();

  // Runs one or more statements that return no rows the caller needs (DDL, PRAGMAs).
  Status Exec(std::string_view sql);

  Result<SqliteStatement> Prepare(std::string_view sql);

  // Runs `body` inside BEGIN ... COMMIT; rolls back when `body` or the COMMIT fails, and returns
  // that Status. Not re-entrant: `body` must not start another transaction.
  Status Transaction(TransactionMode mode, const std::function<Status()>& body);

  // Row id of the last INSERT on this connection.
  int64_t LastInsertRowId() const;
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  int64_t Changes() const;

  const std::string& path() const { return path_; }

 private:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;  // owned
  std::string path_;
};

}  // namespace enhancer
