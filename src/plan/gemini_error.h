// GeminiError: what a Gemini error answer says ({"error": {"code", "message", "status",
// "details"}}), and the decision it implies: retry, wait, or stop.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace enhancer {

struct GeminiError {
  int http_status = 0;
  std::string status;   // "RESOURCE_EXHAUSTED", ...; empty when the body is not Google's format
  std::string message;  // Google's message, one line, the API key redacted
  std::string reason;   // google.rpc.ErrorInfo reason, e.g. "API_KEY_INVALID"; may be empty
  std::optional<std::chrono::milliseconds> retry_delay;  // google.rpc.RetryInfo, when given
  bool daily_quota = false;  // a google.rpc.QuotaFailure violation of a per-day quota

  // Worth sending the same request again later in this call: 408, 429 (but not a spent daily
  // quota) and 5xx.
  bool Retryable() const;

  // "HTTP 404 NOT_FOUND: models/x is not found ..." (no key, at most one line).
  std::string Describe() const;
};

// Reads an error answer. Never fails: a body that is not Google's format still gives the HTTP
// status and a short excerpt of the body. `api_key` is replaced by "[redacted]" wherever it
// appears (Google's DebugInfo can quote the key it refused).
GeminiError ParseGeminiError(int http_status, std::string_view body, std::string_view api_key);

// The Status for an error that is not (or no longer) retried, with `what` as context
// ("Gemini generateContent"):
//   400 FAILED_PRECONDITION, an API key Google refuses (400 API_KEY_INVALID), 401 and 403
//       -> FailedPrecondition (the account or key must be fixed first);
//   404 -> NotFound; other 4xx -> InvalidArgument;
//   429 with a spent daily quota -> ResourceExhausted saying so; other 429 -> ResourceExhausted;
//   408 and 5xx -> Unavailable.
Status GeminiErrorStatus(const GeminiError& error, std::string_view what);

// "17s", "0.5s", "1.250s" (protobuf Duration in JSON) -> milliseconds; nullopt if malformed.
std::optional<std::chrono::milliseconds> ParseProtoDuration(std::string_view text);

// `text` with every occurrence of `secret` replaced by "[redacted]" (unchanged if secret is
// empty).
std::string RedactSecret(std::string text, std::string_view secret);

}  // namespace enhancer
