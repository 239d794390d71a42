// Retry policy: what the consumer does with a message once its handler has returned. The one
// place that maps a handler's Status to a queue action; handlers never touch the queue.
#pragma once

#include <chrono>

#include "core/status.h"

namespace enhancer {

enum class MessageAction {
  kDelete,   // done: succeeded, or failed for good (the handler has recorded why)
  kRelease,  // failed for now: make it visible again after a delay, for another try
};

// OK and permanent errors (InvalidArgument, NotFound, AlreadyExists, FailedPrecondition) delete;
// transient ones (Unavailable, DeadlineExceeded, ResourceExhausted, Cancelled, Internal) release.
MessageAction ActionFor(const Status& outcome);

// How long a released message stays invisible before its next try:
// min(max, base * 2^(receive_count - 1)). A receive_count below 1 counts as 1.
std::chrono::seconds RetryDelay(int receive_count, std::chrono::seconds base,
                                std::chrono::seconds max);

}  // namespace enhancer
