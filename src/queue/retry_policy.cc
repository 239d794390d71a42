#include "queue/retry_policy.h"

#include <algorithm>

namespace enhancer {

MessageAction ActionFor(const Status& outcome) {
  if (outcome.ok() || !IsTransient(outcome.code())) return MessageAction::kDelete;
  return MessageAction::kRelease;
}

std::chrono::seconds RetryDelay(int receive_count, std::chrono::seconds base,
                                std::chrono::seconds max) {
  std::chrono::seconds delay = base;
  // Doubling stops at `max`, so no receive count can overflow.
  for (int i = 1; i < receive_count && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

}  // namespace enhancer
