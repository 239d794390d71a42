// GeminiCall: one generateContent question, sent until Gemini answers it. The retry rules every
// Gemini caller shares (the planner, the image renderer) live here: throttling (429, waiting
// exactly what RetryInfo names), 408 and 5xx, timeouts and lost connections are sent again after
// a jittered exponential backoff, within a number of attempts and a deadline; a spent daily quota
// and every other error end the call at once with the matching Status. The API key travels only
// in the x-goog-api-key header (GeminiEndpoint) and is redacted from every message.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <random>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "net/http_client.h"
#include "plan/gemini_endpoint.h"

namespace enhancer {

// Waits `delay` unless `stop` is requested first; returns false when stopped.
using GeminiSleepFunction = std::function<bool(std::chrono::milliseconds delay, std::stop_token)>;

struct GeminiRetryPolicy {
  std::chrono::milliseconds timeout{60000};  // one HTTP exchange
  // Tries per question, the first included. 1-10.
  int max_attempts = 4;
  // Before retry n (1-based) the call waits a uniformly random time in
  // [0, min(max_delay, base_delay * 2^(n-1))], or exactly the RetryInfo delay Gemini names.
  std::chrono::milliseconds base_delay{1000};
  // Also the longest RetryInfo delay waited; a longer one ends the call (ResourceExhausted).
  std::chrono::milliseconds max_delay{30000};
  // How long the caller's whole operation may take (every try, wait and question); the caller
  // turns it into the deadline it passes to Generate. At least 1 s.
  std::chrono::milliseconds deadline{180000};
  const Clock* clock = &Clock::Real();  // not owned; outlives the call
  GeminiSleepFunction sleep;            // empty: a real wait that a stop request ends at once

  // InvalidArgument naming the first field out of range ("Gemini timeout must be positive").
  Status Validate() const;
};

class GeminiCall {
 public:
  // `http` is not owned and must outlive this object; `model` is without "models/" and valid
  // (ValidateGeminiModelName); `policy` is valid (Validate()).
  GeminiCall(HttpClient& http, GeminiEndpoint endpoint, std::string model,
             GeminiRetryPolicy policy);

  // The policy's deadline from now, by its clock.
  TimePoint Deadline() const;

  // POSTs `body` to models/{model}:generateContent until an answer arrives and returns the body
  // of the first 2xx answer (whatever it holds). Each exchange's timeout is cut to what is left
  // before `deadline`; a wait that would end past it is not started. Thread-safe. Errors:
  //   InvalidArgument     Gemini refused the request (400), or it cannot be sent as given;
  //   FailedPrecondition  the key or account is refused (400 API_KEY_INVALID or
  //                       FAILED_PRECONDITION, 401, 403);
  //   NotFound            the model does not exist (404);
  //   ResourceExhausted   the daily quota is used up, or Gemini asks to wait longer than
  //                       max_delay;
  //   Unavailable         still throttled, failing or unreachable after max_attempts or at
  //                       the deadline;
  //   Cancelled           `stop` was requested.
  Result<std::string> Generate(const std::string& body, TimePoint deadline, std::stop_token stop);

  const GeminiRetryPolicy& policy() const { return policy_; }
  const std::string& model() const { return model_; }

 private:
  std::chrono::milliseconds JitteredDelay(int retry);
  Status Redacted(const Status& status) const;

  HttpClient& http_;
  const GeminiEndpoint endpoint_;
  const std::string model_;
  const GeminiRetryPolicy policy_;

  std::mutex random_mu_;
  std::mt19937_64 random_;  // guarded by random_mu_
};

}  // namespace enhancer
