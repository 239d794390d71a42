// ConsumerOptions: how the worker loop receives, extends, retries and shuts down. Defaults,
// limits and validation live here and nowhere else.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>

#include "core/clock.h"
#include "core/status.h"

namespace enhancer {

struct ConsumerOptions {
  // Limits, shared by Validate() and its messages.
  static constexpr int kMaxConcurrency = 256;
  static constexpr int kMinWaitSeconds = 1;
  static constexpr int kMaxWaitSeconds = 20;  // SQS's longest long poll
  static constexpr std::chrono::seconds kMinVisibility{1};
  static constexpr std::chrono::seconds kMaxVisibility{12 * 60 * 60};  // SQS's longest lease
  static constexpr std::chrono::seconds kDefaultMaxJobTime{15 * 60};

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
  // The longest a message is kept invisible in all, counted from its receive. The heartbeat
  // stops renewing it then, so a stuck job's message comes back to the queue, and the job's
  // stop_token is requested. At least `visibility`; at most 12 h (SQS's own limit). Unset:
  // kDefaultMaxJobTime, or `visibility` when that is longer (see EffectiveMaxJobTime()).
  std::optional<std::chrono::seconds> max_job_time;
  // A transiently failed message is retried after base_backoff * 2^(receive count - 1),
  // at most max_backoff (it stays leased meanwhile; no thread waits for it).
  std::chrono::seconds base_backoff{5};
  std::chrono::seconds max_backoff{300};
  // Pause after a failed receive (queue unreachable) before the next try; a stop cuts it short.
  std::chrono::milliseconds receive_error_pause{1000};
  // On Stop(), how long handlers in progress may still run before their stop_token is requested.
  std::chrono::milliseconds shutdown_grace{30000};
  // Source of "now" for max_job_time; nullptr means Clock::Real(). Not owned; must outlive the
  // consumer. Tests pass a FakeClock.
  const Clock* clock = nullptr;

  // InvalidArgument naming the first field out of its range.
  Status Validate() const;

  // max_job_time, or its default.
  std::chrono::seconds EffectiveMaxJobTime() const {
    return max_job_time.value_or(std::max(kDefaultMaxJobTime, visibility));
  }
};

}  // namespace enhancer
