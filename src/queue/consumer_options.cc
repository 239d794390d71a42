#include "queue/consumer_options.h"

#include <string>

namespace enhancer {
namespace {

std::string SecondsText(std::chrono::seconds s) { return std::to_string(s.count()) + " s"; }
std::string MillisText(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

Status OutOfRange(const char* field, const std::string& value, const std::string& low,
                  const std::string& high) {
  return InvalidArgumentError(std::string("consumer: ") + field + " must be between " + low +
                              " and " + high + ", got " + value);
}

}  // namespace

Status ConsumerOptions::Validate() const {
  if (concurrency < 1 || concurrency > kMaxConcurrency) {
    return OutOfRange("concurrency", std::to_string(concurrency), "1",
                      std::to_string(kMaxConcurrency));
  }
  if (wait_seconds < kMinWaitSeconds || wait_seconds > kMaxWaitSeconds) {
    return OutOfRange("wait_seconds", std::to_string(wait_seconds), std::to_string(kMinWaitSeconds),
                      std::to_string(kMaxWaitSeconds));
  }
  if (visibility < kMinVisibility || visibility > kMaxVisibility) {
    return OutOfRange("visibility", SecondsText(visibility), SecondsText(kMinVisibility),
                      SecondsText(kMaxVisibility));
  }
  if (heartbeat_interval < kMinVisibility || heartbeat_interval >= visibility) {
    return InvalidArgumentError("consumer: heartbeat_interval must be at least " +
                                SecondsText(kMinVisibility) + " and shorter than visibility (" +
                                SecondsText(visibility) + "), got " +
                                SecondsText(heartbeat_interval));
  }
  if (const std::chrono::seconds job = EffectiveMaxJobTime();
      job < visibility || job > kMaxVisibility) {
    return OutOfRange("max_job_time", SecondsText(job),
                      "visibility (" + SecondsText(visibility) + ")", SecondsText(kMaxVisibility));
  }
  if (max_backoff < std::chrono::seconds(0) || max_backoff > kMaxVisibility) {
    return OutOfRange("max_backoff", SecondsText(max_backoff), SecondsText(std::chrono::seconds(0)),
                      SecondsText(kMaxVisibility));
  }
  if (base_backoff < std::chrono::seconds(0) || base_backoff > max_backoff) {
    return OutOfRange("base_backoff", SecondsText(base_backoff),
                      SecondsText(std::chrono::seconds(0)),
                      "max_backoff (" + SecondsText(max_backoff) + ")");
  }
  if (receive_error_pause <= std::chrono::milliseconds(0)) {
    return InvalidArgumentError("consumer: receive_error_pause must be positive, got " +
                                MillisText(receive_error_pause));
  }
  if (shutdown_grace < std::chrono::milliseconds(0)) {
    return InvalidArgumentError("consumer: shutdown_grace must not be negative, got " +
                                MillisText(shutdown_grace));
  }
  return OkStatus();
}

}  // namespace enhancer
