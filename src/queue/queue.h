// Queue: at-least-once delivery of small text messages (product ids), with SQS semantics.
//
// A received message is leased, not removed: it stays invisible for the visibility timeout and
// comes back, with its receive count raised, unless it is deleted with the receipt handle of that
// receive. A message received more than the queue's maximum number of times is moved to the
// dead-letter store instead of being delivered again. Implementations: the embedded queue
// (a SQLite file) and AWS SQS.
#pragma once

#include <chrono>
#include <cstdint>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace enhancer {

struct QueueMessage {
  std::string id;              // stable across receives
  std::string receipt_handle;  // valid for this receive only
  std::string body;
  int receive_count = 0;  // 1 on the first receive
};

// One entry of Queue::SendBatch.
struct SendEntry {
  std::string body;
  std::chrono::seconds delay{0};
};

// One entry of Queue::ChangeVisibilityBatch.
struct VisibilityChange {
  std::string receipt_handle;
  std::chrono::seconds timeout{0};  // visible again this long from now (0 = at once)
};

struct QueueStats {
  int64_t visible = 0;        // ready to be received now
  int64_t in_flight = 0;      // received, neither deleted nor timed out
  int64_t delayed = 0;        // sent with a delay that has not passed
  int64_t dead_lettered = 0;  // moved aside after too many receives
};

class Queue {
 public:
  virtual ~Queue() = default;

  // Adds a message, visible after `delay`. Returns its id.
  // Errors: InvalidArgument (body empty or too large), Unavailable.
  virtual Result<std::string> Send(std::string_view body,
                                   std::chrono::seconds delay = std::chrono::seconds(0)) = 0;

  // Send for several messages at once: each entry's message id, or why it was not sent, in the
  // same order. Any number of entries; an implementation with a batch API splits them into calls
  // of its own limit (SQS SendMessageBatch: 10). This default sends one at a time.
  virtual std::vector<Result<std::string>> SendBatch(const std::vector<SendEntry>& entries) {
    std::vector<Result<std::string>> results;
    results.reserve(entries.size());
    for (const SendEntry& entry : entries) results.push_back(Send(entry.body, entry.delay));
    return results;
  }

  // Leases up to `max_messages` (1-10) visible messages for `visibility`. Waits up to `wait` for
  // the first one (long poll), returning early with none when `stop` is requested. An empty vector
  // is not an error. Errors: InvalidArgument, Unavailable.
  virtual Result<std::vector<QueueMessage>> Receive(int max_messages, std::chrono::seconds wait,
                                                    std::chrono::seconds visibility,
                                                    std::stop_token stop) = 0;

  // Removes the message of this receipt handle. A handle from an older receive of a message that
  // has since been received again does not delete it: InvalidArgument ("stale receipt handle").
  // Deleting an already deleted message is OK.
  virtual Status Delete(const std::string& receipt_handle) = 0;

  // Makes the message visible again `timeout` from now (0 = at once). Errors as for Delete, except
  // that a deleted message cannot change: InvalidArgument (as SQS).
  virtual Status ChangeVisibility(const std::string& receipt_handle,
                                  std::chrono::seconds timeout) = 0;

  // ChangeVisibility for several leases at once: one Status per entry, in the same order, each
  // as ChangeVisibility would return it; when the call fails as a whole (queue unreachable)
  // every entry gets that error. Any number of entries; an implementation with a batch API
  // splits them into calls of its own limit (SQS: 10). This default issues one ChangeVisibility
  // per entry; queues with a batch API (SQS ChangeMessageVisibilityBatch) override it.
  virtual std::vector<Status> ChangeVisibilityBatch(const std::vector<VisibilityChange>& changes) {
    std::vector<Status> results;
    results.reserve(changes.size());
    for (const VisibilityChange& change : changes) {
      results.push_back(ChangeVisibility(change.receipt_handle, change.timeout));
    }
    return results;
  }

  virtual Result<QueueStats> Stats() = 0;

  // Where the queue lives, for the start-up log ("Queue URL: ..."). Holds no secret.
  virtual std::string Describe() const = 0;
};

}  // namespace enhancer
