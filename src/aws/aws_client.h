// AwsClient: sends one request to an AWS service (or a compatible server): gets credentials,
// signs, sends through HttpClient, and retries throttling, 5xx answers and transport failures
// with capped exponential backoff and full jitter, re-signing each attempt. The SQS queue and
// the S3 store build their requests and read their responses; this is the part between.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <random>
#include <stop_token>
#include <string>

#include "aws/credentials_provider.h"
#include "aws/sigv4_signer.h"
#include "core/clock.h"
#include "core/status.h"
#include "net/http_client.h"

namespace enhancer {

struct AwsRetryPolicy {
  int max_attempts = 3;  // the first try included, as the SDKs' standard mode
  // Before retry n (1-based) the client waits a uniformly random time in [0, Ceiling(n)]:
  // min(max_delay, base * 2^(n-1)), with the larger base after throttling.
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds throttled_base_delay{500};
  std::chrono::milliseconds max_delay{20000};

  std::chrono::milliseconds Ceiling(int retry, bool throttled) const;
};

// Waits `delay` unless `stop` is requested first; false when stopped.
using SleepFunction = std::function<bool(std::chrono::milliseconds delay, std::stop_token stop)>;

// The real SleepFunction: a condition-variable wait that a stop request ends at once.
bool InterruptibleSleep(std::chrono::milliseconds delay, std::stop_token stop);

class AwsClient {
 public:
  // `http`, `credentials` and `clock` must outlive the client. `signing` names the service and
  // region (SigV4Options::ForService). `sleep` is injectable so tests do not wait.
  AwsClient(HttpClient& http, CredentialsProvider& credentials, SigV4Options signing,
            AwsRetryPolicy retry = {}, const Clock& clock = Clock::Real(),
            SleepFunction sleep = InterruptibleSleep);

  // Signs and sends `request` (its URL absolute, percent-encoded as AwsClient's callers build
  // it with UriEncode). Returns the response for 2xx/3xx and for 4xx errors that are not worth
  // retrying (the caller reads them with ParseAwsError). Errors:
  //   ResourceExhausted  still throttled after max_attempts;
  //   Unavailable        still 5xx after max_attempts, or the transport's Unavailable;
  //   DeadlineExceeded   the transport's timeout on the last attempt;
  //   Cancelled          `stop` requested (between attempts too);
  //   the credentials provider's and the signer's errors, unchanged.
  // Messages carry the AWS error code and message, never the request's secrets. Thread-safe.
  Result<HttpResponse> Send(const HttpRequest& request, std::stop_token stop);

  // A presigned URL for `request`, valid for `expires` (1 s to 7 days; temporary credentials
  // cut it short when they expire first). Errors: the credentials provider's and the signer's.
  Result<std::string> Presign(const HttpRequest& request, std::chrono::seconds expires,
                              std::stop_token stop);

  const SigV4Options& signing_options() const { return signer_.options(); }

 private:
  std::chrono::milliseconds JitteredDelay(int retry, bool throttled);

  HttpClient& http_;
  CredentialsProvider& credentials_;
  const SigV4Signer signer_;
  const AwsRetryPolicy retry_;
  const SleepFunction sleep_;

  std::mutex random_mu_;
  std::mt19937_64 random_;  // guarded by random_mu_
};

}  // namespace enhancer
