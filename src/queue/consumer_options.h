// ConsumerOptions: how the worker loop receives, extends, retries and shuts down. Defaults,
// limits and validation live here and nowhere else.
#pragma once

#include <chrono>

#include "core/status.h"

namespace enhancer {

struct ConsumerOptions {
  // Limits, shared by Validate() and its messages.
  static constexpr int kMaxConcurrency = 256;
  static constexpr int kMinWaitSeconds = 1;
  static constexpr int kMaxWaitSeconds = 20;  // SQS's longest long poll
  static constexpr std::chrono::seconds kMinVisibility{1};
  static constexpr std::chrono::seconds kMaxVisibility{12 * 60 * 60};  // SQS's longest lease

  // Messages handled at once. Each worker thread leases one message only when it is free to
  // work on it, so no message sits leased in a local buffer.
  int concurrency = 1;
  // How long one receive waits for a message (long poll), in whole seconds as SQS counts them.
  int wait_seconds = 20;
  // How long a received message stays invisible to other consumers; the heartbeat renews it.
  std::chrono::seconds visibility{60};
  // How often a message in progress has its visibility renewed to `visibility` from then.
  // Must be shorter than `visibility`, or the lease could lapse between beats.
  std::chrono::seconds heartbeat_interval{20};
  // A transiently failed message is retried after base_backoff * 2^(receive count - 1),
  // at most max_backoff (it stays leased meanwhile; no thread waits for it).
  std::chrono::seconds base_backoff{5};
  std::chrono::seconds max_backoff{300};
  // Pause after a failed receive (queue unreachable) before the next try; a stop cuts it short.
  std::chrono::milliseconds receive_error_pause{1000};
  // On Stop(), how long handlers in progress may still run before their stop_token is requested.
  std::chrono::milliseconds shutdown_grace{30000};

  // InvalidArgument naming the first field out of its range.
  Status Validate() const;
};

}  // namespace enhancer
