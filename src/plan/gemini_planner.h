// GeminiPlanner: asks a Gemini model (generateContent, the preview inline, a JSON response
// schema) for N recipes. Throttling and server errors are retried with backoff; an answer that
// does not fit is asked for once more, and then the local RulePlanner plans instead, with the
// reason on Plan::note. The API key travels only in the x-goog-api-key header and never appears
// in a log line or an error message.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "net/http_client.h"
#include "plan/gemini_call.h"
#include "plan/gemini_endpoint.h"
#include "plan/planner.h"
#include "plan/rule_planner.h"

namespace enhancer {

struct GeminiAnswer;

struct GeminiPlannerOptions {
  std::string base_url = std::string(kGeminiDefaultBaseUrl);
  std::string api_key;                        // required; a secret
  std::string model = "gemini-flash-latest";  // "models/" prefix allowed
  std::chrono::milliseconds timeout{60000};   // one HTTP exchange (thinking models are slow)
  // Tries per question, the first included, for 429 (not a spent daily quota), 5xx, timeouts
  // and connection failures. 1-10.
  int max_attempts = 4;
  // Unset: the model's default (Google advises keeping Gemini 3 models at 1.0). Else 0-2.
  std::optional<double> temperature;
  // Before retry n (1-based) the planner waits a uniformly random time in
  // [0, min(max_delay, base_delay * 2^(n-1))], or exactly the RetryInfo delay Gemini names.
  std::chrono::milliseconds base_delay{1000};
  // Also the longest RetryInfo delay waited in the call; a longer one ends it (transient).
  std::chrono::milliseconds max_delay{30000};
  // The whole MakePlan: every try, wait and the second question. A wait that would end past
  // it is not started; each exchange's timeout is cut to what is left.
  std::chrono::milliseconds deadline{180000};
  const Clock* clock = &Clock::Real();  // not owned; outlives the planner
  GeminiSleepFunction sleep;            // empty: a real wait that a stop request ends at once

  // InvalidArgument naming the first field out of range (never quoting the key).
  Status Validate() const;
  // The retry fields above, as GeminiCall takes them.
  GeminiRetryPolicy RetryPolicy() const;
};

class GeminiPlanner final : public Planner {
 public:
  // Validates `options` (InvalidArgument). `http` is not owned and must outlive the planner.
  static Result<std::unique_ptr<GeminiPlanner>> Create(HttpClient& http,
                                                       GeminiPlannerOptions options);
  // The same, owning the client (what the application wires: MakeCurlHttpClient()).
  static Result<std::unique_ptr<GeminiPlanner>> Create(std::unique_ptr<HttpClient> http,
                                                       GeminiPlannerOptions options);

  // Thread-safe. Plan::planner is "gemini:<model>", or "local (gemini fallback)" with a note
  // saying why; Plan::tokens sums every answer received, Plan::model_version names the model
  // that answered. Errors:
  //   InvalidArgument     no preview, pixels that do not match its size, no JPEG, count
  //                       outside 1-10; or Gemini refused the request (400);
  //   FailedPrecondition  the key or account is refused (400 API_KEY_INVALID or
  //                       FAILED_PRECONDITION, 401, 403);
  //   NotFound            the model does not exist (404);
  //   ResourceExhausted   the daily quota is used up, or Gemini asks to wait longer than
  //                       max_delay;
  //   Unavailable         still throttled, failing or unreachable after max_attempts or at
  //                       the deadline;
  //   Cancelled           `stop` was requested.
  Result<Plan> MakePlan(const PlanRequest& request, std::stop_token stop) override;

  const GeminiPlannerOptions& options() const { return options_; }

 private:
  GeminiPlanner(HttpClient& http, std::unique_ptr<HttpClient> owned_http,
                GeminiPlannerOptions options);

  // One question, retried through throttling and server errors until an answer (possibly one
  // that does not fit) arrives.
  Result<GeminiAnswer> Ask(const std::string& body, int count, TimePoint deadline,
                           std::stop_token stop);

  const std::unique_ptr<HttpClient> owned_http_;  // may be null
  const GeminiPlannerOptions options_;
  const std::string model_;  // without "models/"
  GeminiCall call_;
  RulePlanner local_;
};

}  // namespace enhancer
