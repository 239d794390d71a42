#include "plan/gemini_call.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <optional>
#include <utility>

#include "plan/gemini_error.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;

constexpr int kMaxAttempts = 10;
// Less than this left before the deadline is not worth another exchange.
constexpr milliseconds kMinExchange{1000};
constexpr const char* kGenerate = "Gemini generateContent";

bool SleepUnlessStopped(milliseconds delay, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  // Nothing notifies cv: the wait ends at the deadline or, through the stop token, at once.
  cv.wait_for(lock, stop, delay, [] { return false; });
  return !stop.stop_requested();
}

std::string Seconds(milliseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", d.count() / 1000.0);
  return text;
}

Status Stopped() { return CancelledError(std::string(kGenerate) + " was stopped"); }

}  // namespace

Status GeminiRetryPolicy::Validate() const {
  if (timeout <= milliseconds::zero()) {
    return InvalidArgumentError("Gemini timeout must be positive");
  }
  if (max_attempts < 1 || max_attempts > kMaxAttempts) {
    return InvalidArgumentError("Gemini max_attempts must be between 1 and " +
                                std::to_string(kMaxAttempts) + ", got " +
                                std::to_string(max_attempts));
  }
  if (base_delay <= milliseconds::zero() || max_delay < base_delay) {
    return InvalidArgumentError("Gemini retry delays must satisfy 0 < base_delay <= max_delay");
  }
  if (deadline < kMinExchange) {
    return InvalidArgumentError("Gemini deadline must be at least " + Seconds(kMinExchange));
  }
  if (clock == nullptr) return InvalidArgumentError("Gemini calls need a clock");
  return OkStatus();
}

GeminiCall::GeminiCall(HttpClient& http, GeminiEndpoint endpoint, std::string model,
                       GeminiRetryPolicy policy)
    : http_(http),
      endpoint_(std::move(endpoint)),
      model_(std::move(model)),
      policy_(std::move(policy)),
      random_(std::random_device{}()) {}

TimePoint GeminiCall::Deadline() const { return policy_.clock->Now() + policy_.deadline; }

Result<std::string> GeminiCall::Generate(const std::string& body, TimePoint deadline,
                                         std::stop_token stop) {
  const Clock& clock = *policy_.clock;
  const std::string path = "models/" + model_ + ":generateContent";
  std::string last_failure;
  for (int attempt = 1;; ++attempt) {
    if (stop.stop_requested()) return Stopped();
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock.Now());
    if (left < kMinExchange) {
      return UnavailableError(std::string(kGenerate) + ": no answer before the " +
                              Seconds(policy_.deadline) + " deadline" +
                              (last_failure.empty() ? "" : "; last: " + last_failure));
    }
    Result<HttpResponse> response =
        http_.Send(endpoint_.Post(path, body, std::min(policy_.timeout, left)), stop);

    std::optional<milliseconds> asked_delay;
    if (!response) {
      const Status& error = response.error();
      if (error.code() != StatusCode::kUnavailable &&
          error.code() != StatusCode::kDeadlineExceeded) {
        return Redacted(error.WithContext(kGenerate));
      }
      last_failure = Redacted(error).ToString();
    } else if (response->status >= 200 && response->status < 300) {
      return std::move(response->body);
    } else {
      const GeminiError error =
          ParseGeminiError(response->status, response->body, endpoint_.api_key());
      if (!error.Retryable()) return GeminiErrorStatus(error, kGenerate);
      if (error.retry_delay && *error.retry_delay > policy_.max_delay) {
        // Holding a worker this long helps no one: the queue's own retry will come back later.
        return ResourceExhaustedError(std::string(kGenerate) + ": Gemini asks to wait " +
                                      Seconds(*error.retry_delay) + " (" + error.Describe() + ")");
      }
      asked_delay = error.retry_delay;
      last_failure = error.Describe();
    }

    if (attempt >= policy_.max_attempts) {
      return UnavailableError(std::string(kGenerate) + ": no answer after " +
                              std::to_string(attempt) + " attempts; last: " + last_failure);
    }
    const milliseconds delay = asked_delay ? *asked_delay : JitteredDelay(attempt);
    if (clock.Now() + delay + kMinExchange > deadline) {
      return UnavailableError(std::string(kGenerate) + ": no time left before the " +
                              Seconds(policy_.deadline) +
                              " deadline to retry; last: " + last_failure);
    }
    spdlog::warn("{}: {}; retry {} of {} in {}", kGenerate, last_failure, attempt,
                 policy_.max_attempts - 1, Seconds(delay));
    const bool slept = policy_.sleep ? policy_.sleep(delay, stop) : SleepUnlessStopped(delay, stop);
    if (!slept) return Stopped();
  }
}

milliseconds GeminiCall::JitteredDelay(int retry) {
  const int shift = std::min(retry - 1, 20);
  const milliseconds ceiling =
      std::min(policy_.max_delay, policy_.base_delay * (int64_t{1} << shift));
  std::lock_guard lock(random_mu_);
  std::uniform_int_distribution<int64_t> pick(0, ceiling.count());
  return milliseconds(pick(random_));
}

Status GeminiCall::Redacted(const Status& status) const {
  Status redacted(status.code(), RedactSecret(status.message(), endpoint_.api_key()));
  return status.field().empty() ? redacted : redacted.WithField(status.field());
}

}  // namespace enhancer
