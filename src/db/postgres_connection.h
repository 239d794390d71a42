// PostgresConnection: one session with a PostgreSQL server, running parameterised SQL inside
// transactions and reporting failures as Status. The only file that includes libpqxx.
//
// Error codes, chosen by what the caller should do:
//   connection refused, lost, or the server shutting down; serialization failure; deadlock;
//   lock timeout; too many connections                      -> Unavailable (retry the call)
//   unique violation                                         -> AlreadyExists
//   other constraint violations (CHECK, NOT NULL, FOREIGN KEY) and invalid input values
//                                                            -> InvalidArgument
//   disk full, out of memory                                 -> ResourceExhausted
//   a statement cancelled by statement_timeout               -> DeadlineExceeded
//   anything else (syntax errors, missing tables, ...)      -> Internal
// Messages carry the server's text and what was being done, never the password.
//
// Thread-safety: NOT thread-safe; one thread at a time (PostgresConnectionPool hands each
// connection to one caller at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "db/postgres_url.h"

namespace enhancer {

// A statement parameter in PostgreSQL's text form; nullopt is NULL. The server infers each
// parameter's type from where it is used ($1 compared with a BIGINT column is a BIGINT).
using PostgresParam = std::optional<std::string>;

// One row of a result, every field as text (NULL is nullopt).
class PostgresRow {
 public:
  explicit PostgresRow(std::vector<std::optional<std::string>> fields)
      : fields_(std::move(fields)) {}

  size_t size() const { return fields_.size(); }
  bool IsNull(size_t column) const { return !fields_.at(column).has_value(); }
  // NULL reads as "".
  std::string Text(size_t column) const { return fields_.at(column).value_or(""); }
  // NULL reads as 0. The column must hold an integer (asserted).
  int64_t Int64(size_t column) const;

 private:
  std::vector<std::optional<std::string>> fields_;
};

using PostgresRows = std::vector<PostgresRow>;

// The text form of a parameter.
inline PostgresParam PgParam(int64_t value) { return std::to_string(value); }
inline PostgresParam PgParam(std::string_view value) { return std::string(value); }
// Empty text becomes NULL: optional text columns (error, source_hash) store NULL.
inline PostgresParam PgTextOrNull(std::string_view value) {
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

class PostgresConnection {
 public:
  // Connects now. Unavailable when the server cannot be reached or refuses the login; the
  // message names target.Describe().
  static Result<std::unique_ptr<PostgresConnection>> Open(const PostgresTarget& target);

  ~PostgresConnection();
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // Runs `work` between BEGIN and COMMIT; a non-OK Status from `work`, or a failed COMMIT, rolls
  // everything back and is returned. Query() and Exec() inside `work` join this transaction.
  // Not reentrant: a nested call is Internal.
  Status Transaction(const std::function<Status()>& work);

  // Runs one statement with $1, $2, ... bound to `params` and returns its rows. Outside
  // Transaction() it runs in a transaction of its own.
  Result<PostgresRows> Query(std::string_view sql, const std::vector<PostgresParam>& params = {});

  // Runs one or more statements without parameters (a migration's script).
  Status Exec(std::string_view sql);

  // Cheaply checks, without a round trip, whether the server has closed this session (a restart,
  // pg_terminate_backend); reads only what already arrived. False after any broken() failure.
  bool LooksAlive();

  // True once the session is lost: the connection is useless and should be discarded.
  bool broken() const { return broken_; }
  // True when the session was lost while COMMIT was in flight, so the transaction may or may not
  // have been applied. A loss before COMMIT always rolls back, and a retry is then safe.
  bool commit_in_doubt() const { return commit_in_doubt_; }

  const PostgresTarget& target() const { return target_; }

 private:
  struct Impl;
  PostgresConnection(const PostgresTarget& target, std::unique_ptr<Impl> impl);

  // Converts the exception being handled into a Status, noting a lost session.
  Status StatusOfCurrentException(std::string_view context);

  PostgresTarget target_;
  std::unique_ptr<Impl> impl_;
  bool broken_ = false;
  bool commit_in_doubt_ = false;
};

}  // namespace enhancer
