// EmbeddedQueue: the Queue in its own SQLite file, for one machine and no cloud account.
//
// It keeps SQS's semantics so the worker cannot tell it from SQS: a receive leases messages for
// a visibility timeout and issues a fresh receipt handle; only the newest handle of a message can
// delete it or change its visibility; a message that would be received more than
// `max_receive_count` times is moved to a dead-letter table instead (SQS's redrive policy).
//
// Every receive is one IMMEDIATE transaction, so receivers in any number of threads and
// processes never lease the same message twice. Messages and leases are durable: they survive
// closing, reopening and a killed process (WAL, one transaction per operation).
//
// Long polls wake at once for sends through the same EmbeddedQueue object and poll the file every
// `poll_interval` for sends from other processes (or other objects on the same file).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "db/sqlite_connection.h"
#include "queue/queue.h"

namespace enhancer {

struct EmbeddedQueueOptions {
  // The SQLite file, e.g. "data/queue.db"; created with its folder when missing. Not the
  // repository's file: the queue's write traffic should not contend with the API's.
  std::string path;
  // A message is dead-lettered instead of being delivered for the (max_receive_count + 1)th time.
  int max_receive_count = 5;
  // Source of "now" for visibility and delays; nullptr means Clock::Real(). Not owned; must
  // outlive the queue.
  const Clock* clock = nullptr;
  // How often a long poll re-reads the file, to see sends from other processes.
  std::chrono::milliseconds poll_interval{200};

  // InvalidArgument naming the first bad field.
  Status Validate() const;
};

// Opens (creating and migrating if needed) the queue file, as the Queue seam. Errors:
// InvalidArgument (options), Unavailable (cannot open, or locked), Internal.
Result<std::unique_ptr<Queue>> OpenEmbeddedQueue(const EmbeddedQueueOptions& options);

class EmbeddedQueue final : public Queue {
 public:
  // As OpenEmbeddedQueue(), for callers that need what only the embedded queue offers
  // (RedriveDeadLetters).
  static Result<std::unique_ptr<EmbeddedQueue>> Open(const EmbeddedQueueOptions& options);

  // No call may be in progress (a long poll included) when the queue is destroyed.
  ~EmbeddedQueue() override;

  Result<std::string> Send(std::string_view body,
                           std::chrono::seconds delay = std::chrono::seconds(0)) override;
  Result<std::vector<QueueMessage>> Receive(int max_messages, std::chrono::seconds wait,
                                            std::chrono::seconds visibility,
                                            std::stop_token stop) override;
  Status Delete(const std::string& receipt_handle) override;
  Status ChangeVisibility(const std::string& receipt_handle, std::chrono::seconds timeout) override;
  Result<QueueStats> Stats() override;
  // "sqlite:data/queue.db (embedded)"
  std::string Describe() const override;

  // Moves every dead-lettered message back to the queue, visible now, with its receive count
  // reset to 0; handles issued before are stale. Returns how many were moved. Errors: Unavailable.
  Result<int64_t> RedriveDeadLetters();

 private:
  EmbeddedQueue(std::unique_ptr<SqliteConnection> db, const EmbeddedQueueOptions& options);

  // One attempt: leases up to `max_messages` visible messages in one transaction.
  Result<std::vector<QueueMessage>> ReceiveOnce(int max_messages, std::chrono::seconds visibility);
  // In one IMMEDIATE transaction: checks that `receipt_handle` is its message's newest handle
  // (InvalidArgument when stale, malformed or never issued) and runs `body` with the message id,
  // or with nullopt when the message was deleted.
  Status WithCurrentLease(const std::string& receipt_handle, std::string_view action,
                          const std::function<Status(std::optional<int64_t> message_id)>& body);
  // A fresh, unguessable handle for one receive of message `id`. Expects db_mu_ held.
  std::string NewReceiptHandle(int64_t id);
  // Wakes this object's long polls: a message may have become visible.
  void NotifyReceivers();

  const EmbeddedQueueOptions options_;
  const Clock& clock_;

  std::mutex db_mu_;
  std::unique_ptr<SqliteConnection> db_;  // guarded by db_mu_
  std::random_device random_;             // guarded by db_mu_

  std::mutex wake_mu_;
  std::condition_variable_any wake_;
  uint64_t wake_generation_ = 0;  // guarded by wake_mu_; bumped by NotifyReceivers()
};

}  // namespace enhancer
