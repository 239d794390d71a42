#include "queue/embedded_queue.h"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <utility>

#include "db/migration.h"
#include "db/sqlite_migrator.h"

namespace enhancer {
namespace {

using std::chrono::seconds;

// SQS's limits, so a program that works on the embedded queue works on SQS.
constexpr size_t kMaxBodyBytes = 256 * 1024;
constexpr int kMaxBatch = 10;
constexpr seconds kMaxWait{20};
constexpr seconds kMaxDelay{900};
constexpr seconds kMaxVisibility{12 * 60 * 60};
constexpr int kMaxReceiveCountLimit = 1000;
constexpr size_t kHandleRandomHexDigits = 32;  // 128 bits

// The queue's own schema, versioned like the repository's. Times are Unix milliseconds:
// visibility arithmetic is integer addition and comparison.
constexpr Migration kQueueMigrations[] = {
    {1, "0001_create_messages", R"sql(
CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so an old handle cannot match a new message
  body TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  receipt_handle TEXT                    -- of the newest receive; NULL before the first
);
CREATE INDEX messages_visible_at_idx ON messages (visible_at);
CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY,
  body TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL,
  dead_lettered_at INTEGER NOT NULL
);
)sql"},
};

int64_t ToMillis(seconds s) { return std::chrono::duration_cast<Millis>(s).count(); }

Status CheckRange(std::string_view what, seconds value, seconds max) {
  if (value < seconds(0) || value > max) {
    return InvalidArgumentError(std::string(what) + " must be between 0 and " +
                                std::to_string(max.count()) + " seconds, got " +
                                std::to_string(value.count()));
  }
  return OkStatus();
}

// "<message id>.<32 hex digits>": the id finds the row, the random part proves the receive.
std::optional<int64_t> MessageIdOfHandle(std::string_view handle) {
  size_t dot = handle.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 18 || handle[0] == '0') {
    return std::nullopt;
  }
  if (handle.size() - dot - 1 != kHandleRandomHexDigits) return std::nullopt;
  int64_t id = 0;
  for (char c : handle.substr(0, dot)) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  for (char c : handle.substr(dot + 1)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return id;
}

// Reads one integer from a query that returns exactly one row.
Result<int64_t> QueryInt(SqliteConnection& db, std::string_view sql,
                         std::initializer_list<int64_t> params) {
  Result<SqliteStatement> select = db.Prepare(sql);
  if (!select) return select.error();
  int index = 1;
  for (int64_t param : params) select->Bind(index++, param);
  Result<bool> row = select->Step();
  if (!row) return row.error();
  if (!*row) return InternalError("\"" + std::string(sql) + "\" returned no row");
  return select->ColumnInt64(0);
}

}  // namespace

Status EmbeddedQueueOptions::Validate() const {
  if (path.empty()) return InvalidArgumentError("embedded queue: path is empty");
  if (max_receive_count < 1 || max_receive_count > kMaxReceiveCountLimit) {
    return InvalidArgumentError("embedded queue: max_receive_count must be between 1 and " +
                                std::to_string(kMaxReceiveCountLimit) + ", got " +
                                std::to_string(max_receive_count));
  }
  if (poll_interval <= Millis(0)) {
    return InvalidArgumentError("embedded queue: poll_interval must be positive, got " +
                                std::to_string(poll_interval.count()) + " ms");
  }
  return OkStatus();
}

Result<std::unique_ptr<Queue>> OpenEmbeddedQueue(const EmbeddedQueueOptions& options) {
  Result<std::unique_ptr<EmbeddedQueue>> queue = EmbeddedQueue::Open(options);
  if (!queue) return queue.error();
  return std::unique_ptr<Queue>(*std::move(queue));
}

Result<std::unique_ptr<EmbeddedQueue>> EmbeddedQueue::Open(const EmbeddedQueueOptions& options) {
  ENHANCER_RETURN_IF_ERROR(options.Validate());
  Result<std::unique_ptr<SqliteConnection>> db = SqliteConnection::Open(options.path);
  if (!db) return db.error();
  const Clock& clock = options.clock != nullptr ? *options.clock : Clock::Real();
  ENHANCER_RETURN_IF_ERROR(ApplyMigrations(**db, kQueueMigrations, clock));
  return std::unique_ptr<EmbeddedQueue>(new EmbeddedQueue(std::move(*db), options));
}

EmbeddedQueue::EmbeddedQueue(std::unique_ptr<SqliteConnection> db,
                             const EmbeddedQueueOptions& options)
    : options_(options),
      clock_(options.clock != nullptr ? *options.clock : Clock::Real()),
      db_(std::move(db)) {}

EmbeddedQueue::~EmbeddedQueue() = default;

std::string EmbeddedQueue::Describe() const { return "sqlite:" + options_.path + " (embedded)"; }

void EmbeddedQueue::NotifyReceivers() {
  {
    std::lock_guard lock(wake_mu_);
    ++wake_generation_;
  }
  wake_.notify_all();
}

std::string EmbeddedQueue::NewReceiptHandle(int64_t id) {
  std::string handle = std::to_string(id) + ".";
  char hex[9];
  for (size_t i = 0; i < kHandleRandomHexDigits / 8; ++i) {
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(random_()));
    handle += hex;
  }
  return handle;
}

Result<std::string> EmbeddedQueue::Send(std::string_view body, seconds delay) {
  if (body.empty()) return InvalidArgumentError("message body is empty");
  if (body.size() > kMaxBodyBytes) {
    return InvalidArgumentError("message body is " + std::to_string(body.size()) +
                                " bytes, more than the limit of " + std::to_string(kMaxBodyBytes));
  }
  ENHANCER_RETURN_IF_ERROR(CheckRange("delay", delay, kMaxDelay));

  int64_t id = 0;
  {
    std::lock_guard lock(db_mu_);
    const int64_t now = ToUnixMillis(clock_.Now());
    Result<SqliteStatement> insert = db_->Prepare(
        "INSERT INTO messages (body, sent_at, visible_at, receive_count) VALUES (?, ?, ?, 0)");
    if (!insert) return insert.error();
    insert->Bind(1, body).Bind(2, now).Bind(3, now + ToMillis(delay));
    Status status = insert->Run();
    if (!status.ok()) return status.WithContext("sending to " + Describe());
    id = db_->LastInsertRowId();
  }
  if (delay == seconds(0)) NotifyReceivers();
  return std::to_string(id);
}

Result<std::vector<QueueMessage>> EmbeddedQueue::ReceiveOnce(int max_messages, seconds visibility) {
  std::lock_guard lock(db_mu_);
  // Idle long polls look first without the write lock, so they do not queue up behind senders
  // (or each other, across processes) just to find nothing.
  Result<int64_t> visible =
      QueryInt(*db_, "SELECT EXISTS (SELECT 1 FROM messages WHERE visible_at <= ?)",
               {ToUnixMillis(clock_.Now())});
  if (!visible) return visible.error().WithContext("receiving from " + Describe());
  if (*visible == 0) return std::vector<QueueMessage>{};

  std::vector<QueueMessage> leased;
  Status status = db_->Transaction(TransactionMode::kImmediate, [&]() -> Status {
    const int64_t now = ToUnixMillis(clock_.Now());
    Result<SqliteStatement> select = db_->Prepare(
        "SELECT id, body, receive_count FROM messages WHERE visible_at <= ? AND id > ? "
        "ORDER BY id LIMIT ?");
    Result<SqliteStatement> lease = db_->Prepare(
        "UPDATE messages SET receive_count = receive_count + 1, visible_at = ?, "
        "receipt_handle = ? WHERE id = ?");
    Result<SqliteStatement> bury = db_->Prepare(
        "INSERT INTO dead_letters (id, body, sent_at, receive_count, dead_lettered_at) "
        "SELECT id, body, sent_at, receive_count, ? FROM messages WHERE id = ?");
    Result<SqliteStatement> remove = db_->Prepare("DELETE FROM messages WHERE id = ?");
    for (auto* s : {&select, &lease, &bury, &remove}) {
      if (!*s) return s->error();
    }

    // A cursor on id, so a message leased with visibility 0 (visible again at once) is not
    // picked twice in one batch, and dead-lettered ones make room for the next.
    int64_t after_id = 0;
    while (static_cast<int>(leased.size()) < max_messages) {
      struct Candidate {
        int64_t id;
        std::string body;
        int receive_count;
      };
      std::vector<Candidate> candidates;
      select->Reset();
      select->Bind(1, now)
          .Bind(2, after_id)
          .Bind(3, max_messages - static_cast<int>(leased.size()));
      while (true) {
        Result<bool> row = select->Step();
        if (!row) return row.error();
        if (!*row) break;
        candidates.push_back({select->ColumnInt64(0), select->ColumnText(1),
                              static_cast<int>(select->ColumnInt64(2))});
      }
      if (candidates.empty()) break;
      for (Candidate& c : candidates) {
        after_id = c.id;
        if (c.receive_count >= options_.max_receive_count) {
          bury->Reset();
          bury->Bind(1, now).Bind(2, c.id);
          ENHANCER_RETURN_IF_ERROR(bury->Run());
          remove->Reset();
          remove->Bind(1, c.id);
          ENHANCER_RETURN_IF_ERROR(remove->Run());
          continue;
        }
        QueueMessage message;
        message.id = std::to_string(c.id);
        message.receipt_handle = NewReceiptHandle(c.id);
        message.body = std::move(c.body);
        message.receive_count = c.receive_count + 1;
        lease->Reset();
        lease->Bind(1, now + ToMillis(visibility)).Bind(2, message.receipt_handle).Bind(3, c.id);
        ENHANCER_RETURN_IF_ERROR(lease->Run());
        leased.push_back(std::move(message));
      }
    }
    return OkStatus();
  });
  if (!status.ok()) return status.WithContext("receiving from " + Describe());
  return leased;
}

Result<std::vector<QueueMessage>> EmbeddedQueue::Receive(int max_messages, seconds wait,
                                                         seconds visibility, std::stop_token stop) {
  if (max_messages < 1 || max_messages > kMaxBatch) {
    return InvalidArgumentError("max_messages must be between 1 and " + std::to_string(kMaxBatch) +
                                ", got " + std::to_string(max_messages));
  }
  ENHANCER_RETURN_IF_ERROR(CheckRange("wait", wait, kMaxWait));
  ENHANCER_RETURN_IF_ERROR(CheckRange("visibility", visibility, kMaxVisibility));

  // The wait is real time even under a fake clock: it bounds how long the caller is parked,
  // while the clock decides which messages are visible.
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (!stop.stop_requested()) {
    uint64_t generation;
    {
      std::lock_guard lock(wake_mu_);
      generation = wake_generation_;
    }
    Result<std::vector<QueueMessage>> messages = ReceiveOnce(max_messages, visibility);
    if (!messages || !messages->empty()) return messages;

    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    std::unique_lock lock(wake_mu_);
    wake_.wait_until(lock, stop, std::min(deadline, now + options_.poll_interval),
                     [&] { return wake_generation_ != generation; });
  }
  return std::vector<QueueMessage>{};
}

Status EmbeddedQueue::WithCurrentLease(const std::string& receipt_handle, std::string_view action,
                                       const std::function<Status(std::optional<int64_t>)>& body) {
  std::optional<int64_t> id = MessageIdOfHandle(receipt_handle);
  if (!id) return InvalidArgumentError("malformed receipt handle \"" + receipt_handle + "\"");
  const std::string message = "message " + std::to_string(*id);

  std::lock_guard lock(db_mu_);
  Status status = db_->Transaction(TransactionMode::kImmediate, [&]() -> Status {
    Result<SqliteStatement> select =
        db_->Prepare("SELECT receipt_handle FROM messages WHERE id = ?");
    if (!select) return select.error();
    select->Bind(1, *id);
    Result<bool> row = select->Step();
    if (!row) return row.error();
    if (*row) {
      if (select->ColumnText(0) != receipt_handle) {
        return InvalidArgumentError("stale receipt handle: " + message +
                                    " has been received again since");
      }
      return body(*id);
    }
    Result<int64_t> buried =
        QueryInt(*db_, "SELECT COUNT(*) FROM dead_letters WHERE id = ?", {*id});
    if (!buried) return buried.error();
    if (*buried > 0) {
      return InvalidArgumentError("stale receipt handle: " + message +
                                  " was moved to the dead-letter table");
    }
    // AUTOINCREMENT records the highest id ever issued: anything above was never a message.
    Result<int64_t> newest = QueryInt(
        *db_, "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'messages'", {});
    if (!newest) return newest.error();
    if (*id > *newest) {
      return InvalidArgumentError("unknown receipt handle \"" + receipt_handle + "\"");
    }
    return body(std::nullopt);
  });
  if (!status.ok() && status.code() != StatusCode::kInvalidArgument) {
    return status.WithContext(std::string(action) + " " + message + " in " + Describe());
  }
  return status;
}

Status EmbeddedQueue::Delete(const std::string& receipt_handle) {
  return WithCurrentLease(receipt_handle, "deleting", [&](std::optional<int64_t> id) -> Status {
    if (!id) return OkStatus();  // deleted before: deleting is idempotent
    Result<SqliteStatement> remove = db_->Prepare("DELETE FROM messages WHERE id = ?");
    if (!remove) return remove.error();
    remove->Bind(1, *id);
    return remove->Run();
  });
}

Status EmbeddedQueue::ChangeVisibility(const std::string& receipt_handle, seconds timeout) {
  ENHANCER_RETURN_IF_ERROR(CheckRange("visibility timeout", timeout, kMaxVisibility));
  Status status = WithCurrentLease(
      receipt_handle, "changing visibility of", [&](std::optional<int64_t> id) -> Status {
        // As SQS: a deleted message's visibility cannot change.
        if (!id) return InvalidArgumentError("the message of this receipt handle was deleted");
        Result<SqliteStatement> update =
            db_->Prepare("UPDATE messages SET visible_at = ? WHERE id = ?");
        if (!update) return update.error();
        update->Bind(1, ToUnixMillis(clock_.Now()) + ToMillis(timeout)).Bind(2, *id);
        return update->Run();
      });
  if (status.ok() && timeout == seconds(0)) NotifyReceivers();
  return status;
}

Result<QueueStats> EmbeddedQueue::Stats() {
  std::lock_guard lock(db_mu_);
  QueueStats stats;
  // One statement reads one snapshot, so the four numbers agree with each other.
  Status status = [&]() -> Status {
    Result<SqliteStatement> select = db_->Prepare(
        "SELECT "
        "COALESCE(SUM(CASE WHEN visible_at <= ?1 THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN visible_at > ?1 AND receive_count > 0 THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN visible_at > ?1 AND receive_count = 0 THEN 1 ELSE 0 END), 0), "
        "(SELECT COUNT(*) FROM dead_letters) "
        "FROM messages");
    if (!select) return select.error();
    select->Bind(1, ToUnixMillis(clock_.Now()));
    Result<bool> row = select->Step();
    if (!row) return row.error();
    stats.visible = select->ColumnInt64(0);
    stats.in_flight = select->ColumnInt64(1);
    stats.delayed = select->ColumnInt64(2);
    stats.dead_lettered = select->ColumnInt64(3);
    return OkStatus();
  }();
  if (!status.ok()) return status.WithContext("reading stats of " + Describe());
  return stats;
}

Result<int64_t> EmbeddedQueue::RedriveDeadLetters() {
  int64_t moved = 0;
  {
    std::lock_guard lock(db_mu_);
    Status status = db_->Transaction(TransactionMode::kImmediate, [&]() -> Status {
      Result<SqliteStatement> restore = db_->Prepare(
          "INSERT INTO messages (id, body, sent_at, visible_at, receive_count, receipt_handle) "
          "SELECT id, body, sent_at, ?, 0, NULL FROM dead_letters");
      if (!restore) return restore.error();
      restore->Bind(1, ToUnixMillis(clock_.Now()));
      ENHANCER_RETURN_IF_ERROR(restore->Run());
      moved = db_->Changes();
      return db_->Exec("DELETE FROM dead_letters");
    });
    if (!status.ok()) return status.WithContext("redriving dead letters of " + Describe());
  }
  if (moved > 0) NotifyReceivers();
  return moved;
}

}  // namespace enhancer
