#include "db/postgres_connection.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <pqxx/pqxx>
#include <string>
#include <utility>

namespace enhancer {
namespace {

// The first line of a statement, enough to tell which one failed without flooding the log.
std::string Abbreviate(std::string_view sql) {
  while (!sql.empty() && (sql.front() == ' ' || sql.front() == '\n')) sql.remove_prefix(1);
  size_t end = sql.find('\n');
  if (end == std::string_view::npos) end = sql.size();
  constexpr size_t kMaxChars = 80;
  return std::string(sql.substr(0, std::min(end, kMaxChars)));
}

// libpq's messages span lines ("ERROR:  ...\nDETAIL:  ...\n"); a Status message is one line.
std::string OneLine(std::string_view text) {
  if (text.starts_with("ERROR:  ")) text.remove_prefix(8);
  std::string line;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !line.empty()) line += ' ';
    space = false;
    line += c;
  }
  return line;
}

// Server notices (NOTICE, WARNING) would otherwise go to stderr; nothing here acts on them.
class DropNotices final : public pqxx::errorhandler {
 public:
  explicit DropNotices(pqxx::connection_base& conn) : pqxx::errorhandler(conn) {}
  bool operator()(const char[]) noexcept override { return false; }
};

// The code for an error the server reported, by SQLSTATE class (first two characters) and code.
Status StatusOfSqlState(const std::string& state, std::string message) {
  if (state == "23505") return AlreadyExistsError(std::move(message));
  if (state == "57014") return DeadlineExceededError(std::move(message));  // query_canceled
  if (state == "53300") return UnavailableError(std::move(message));       // too_many_connections
  const std::string_view klass = std::string_view(state).substr(0, 2);
  if (klass == "23" || klass == "22") return InvalidArgumentError(std::move(message));
  if (klass == "08" || klass == "40" || state == "55P03" || state == "57P01" || state == "57P02" ||
      state == "57P03") {
    // Connection exceptions, rollbacks (serialization, deadlock), lock_not_available, and the
    // server shutting down or starting: all pass when tried again.
    return UnavailableError(std::move(message));
  }
  if (klass == "53") return ResourceExhaustedError(std::move(message));  // disk full, memory
  return InternalError(std::move(message));
}

}  // namespace

int64_t PostgresRow::Int64(size_t column) const {
  const std::optional<std::string>& field = fields_.at(column);
  if (!field) return 0;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(field->data(), field->data() + field->size(), value);
  assert(ec == std::errc() && end == field->data() + field->size());
  (void)end;
  (void)ec;
  return value;
}

struct PostgresConnection::Impl {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<DropNotices> notices;  // declared after conn: unregisters before it closes
  std::unique_ptr<pqxx::work> txn;       // set inside Transaction()
};

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::Open(const PostgresTarget& target) {
  auto impl = std::make_unique<Impl>();
  try {
    impl->conn = std::make_unique<pqxx::connection>(target.conninfo());
    impl->notices = std::make_unique<DropNotices>(*impl->conn);
  } catch (const std::exception& e) {
    // libpq says why ("Connection refused", "password authentication failed for user ...") but
    // not always where; the message names the server and database itself.
    return UnavailableError("cannot connect to PostgreSQL at " + target.Describe() + ": " +
                            target.Redact(OneLine(e.what())));
  }
  return std::unique_ptr<PostgresConnection>(new PostgresConnection(target, std::move(impl)));
}

PostgresConnection::PostgresConnection(const PostgresTarget& target, std::unique_ptr<Impl> impl)
    : target_(target), impl_(std::move(impl)) {}

PostgresConnection::~PostgresConnection() {
  // An unfinished transaction rolls back when it goes; pqxx reports, never throws, from there.
  impl_->txn.reset();
  impl_->notices.reset();
}

Status PostgresConnection::StatusOfCurrentException(std::string_view context) {
  std::string prefix = std::string(context) + ": ";
  Status status;
  try {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    broken_ = true;
    commit_in_doubt_ = true;
    status = UnavailableError(
        prefix + "connection to " + target_.Describe() +
        " lost during COMMIT; the change may or may not have been applied: " + OneLine(e.what()));
  } catch (const pqxx::too_many_connections& e) {
    // pqxx files this under broken_connection, but the session (if there is one) is fine; the
    // server is only full for now. The is_open() check below still catches a real loss.
    status = UnavailableError(prefix + OneLine(e.what()));
  } catch (const pqxx::broken_connection& e) {
    broken_ = true;
    status = UnavailableError(prefix + "lost the connection to " + target_.Describe() + ": " +
                              OneLine(e.what()));
  } catch (const pqxx::transaction_rollback& e) {
    // Serialization failure, deadlock, or a statement whose outcome is unknown: the server rolled
    // the transaction back, and running it again may succeed.
    status = UnavailableError(prefix + OneLine(e.what()));
  } catch (const pqxx::sql_error& e) {
    status = StatusOfSqlState(e.sqlstate(), prefix + OneLine(e.what()));
  } catch (const std::exception& e) {
    status = InternalError(prefix + OneLine(e.what()));
  } catch (...) {
    status = InternalError(prefix + "unknown exception");
  }
  // However the failure was reported (a server shutting down sends an SQL error, 57P01, before
  // it closes the socket), a session the server closed is of no further use.
  if (!impl_->conn->is_open() && !broken_) {
    broken_ = true;
    status = UnavailableError(prefix + "lost the connection to " + target_.Describe() + ": " +
                              status.message().substr(prefix.size()));
  }
  return Status(status.code(), target_.Redact(status.message()));
}

Status PostgresConnection::Transaction(const std::function<Status()>& work) {
  if (impl_->txn != nullptr) return InternalError("a PostgreSQL transaction is already open");
  if (broken_) return UnavailableError("lost the connection to " + target_.Describe());
  try {
    impl_->txn = std::make_unique<pqxx::work>(*impl_->conn);
  } catch (...) {
    return StatusOfCurrentException("beginning a transaction");
  }
  Status status = work();
  if (!status.ok()) {
    try {
      impl_->txn->abort();
    } catch (...) {
      // The rollback failing means the session is gone, which rolls back as well; the caller
      // wants the first error, and this one only marks the connection broken.
      (void)StatusOfCurrentException("rolling back");
    }
    impl_->txn.reset();
    return status;
  }
  try {
    impl_->txn->commit();
  } catch (...) {
    status = StatusOfCurrentException("committing");
  }
  impl_->txn.reset();
  return status;
}

Result<PostgresRows> PostgresConnection::Query(std::string_view sql,
                                               const std::vector<PostgresParam>& params) {
  if (impl_->txn == nullptr) {
    Result<PostgresRows> rows = PostgresRows{};
    Status status = Transaction([&]() -> Status {
      rows = Query(sql, params);
      return rows.error();
    });
    if (!status.ok()) return status;
    return rows;
  }
  if (broken_) return UnavailableError("lost the connection to " + target_.Describe());
  // pqxx sends a null pointer as SQL NULL.
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PostgresParam& param : params) values.push_back(param ? param->c_str() : nullptr);
  try {
    pqxx::result result =
        impl_->txn->exec_params(std::string(sql), pqxx::prepare::make_dynamic_params(values));
    PostgresRows rows;
    rows.reserve(result.size());
    for (const pqxx::row& row : result) {
      std::vector<std::optional<std::string>> fields;
      fields.reserve(row.size());
      for (const pqxx::field& field : row) {
        if (field.is_null()) {
          fields.emplace_back(std::nullopt);
        } else {
          fields.emplace_back(std::string(field.c_str(), field.size()));
        }
      }
      rows.emplace_back(std::move(fields));
    }
    return rows;
  } catch (...) {
    return StatusOfCurrentException("running \"" + Abbreviate(sql) + "\"");
  }
}

Status PostgresConnection::Exec(std::string_view sql) {
  if (impl_->txn == nullptr) {
    return Transaction([&] { return Exec(sql); });
  }
  if (broken_) return UnavailableError("lost the connection to " + target_.Describe());
  try {
    impl_->txn->exec(std::string(sql));
    return OkStatus();
  } catch (...) {
    return StatusOfCurrentException("running \"" + Abbreviate(sql) + "\"");
  }
}

bool PostgresConnection::LooksAlive() {
  if (broken_) return false;
  // Reads whatever the server already sent, without waiting. A server ending the session sends
  // its reason (which libpq hands to the notice handler, as it arrives while idle) and then
  // closes the socket; the close shows up on the read after the one that took the reason.
  constexpr int kReads = 2;
  for (int i = 0; i < kReads && !broken_; ++i) {
    try {
      impl_->conn->get_notifs();
    } catch (...) {
      broken_ = true;
    }
    if (!impl_->conn->is_open()) broken_ = true;
  }
  return !broken_;
}

}  // namespace enhancer
