#include "aws/aws_client.h"

#include <algorithm>
#include <condition_variable>

#include "aws/aws_error.h"

namespace enhancer {
namespace {

std::string Describe(const HttpRequest& request, const std::string& service) {
  return service + " " + request.method + " " + request.url.substr(0, request.url.find('?'));
}

bool IsTransportRetryable(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded;
}

}  // namespace

std::chrono::milliseconds AwsRetryPolicy::Ceiling(int retry, bool throttled) const {
  std::chrono::milliseconds base = throttled ? throttled_base_delay : base_delay;
  std::chrono::milliseconds ceiling = base;
  for (int i = 1; i < retry && ceiling < max_delay; ++i) ceiling *= 2;
  return std::min(ceiling, max_delay);
}

bool InterruptibleSleep(std::chrono::milliseconds delay, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  // Nothing notifies cv: the wait ends at the deadline or, through the stop token, at once.
  cv.wait_for(lock, stop, delay, [] { return false; });
  return !stop.stop_requested();
}

AwsClient::AwsClient(HttpClient& http, CredentialsProvider& credentials, SigV4Options signing,
                     AwsRetryPolicy retry, const Clock& clock, SleepFunction sleep)
    : http_(http),
      credentials_(credentials),
      signer_(std::move(signing), clock),
      retry_(retry),
      sleep_(std::move(sleep)),
      random_(std::random_device{}()) {}

std::chrono::milliseconds AwsClient::JitteredDelay(int retry, bool throttled) {
  std::chrono::milliseconds ceiling = retry_.Ceiling(retry, throttled);
  std::lock_guard lock(random_mu_);
  std::uniform_int_distribution<int64_t> pick(0, ceiling.count());
  return std::chrono::milliseconds(pick(random_));
}

Result<HttpResponse> AwsClient::Send(const HttpRequest& request, std::stop_token stop) {
  const std::string what = Describe(request, signer_.options().service);
  const int attempts = std::max(1, retry_.max_attempts);
  for (int attempt = 1;; ++attempt) {
    if (stop.stop_requested()) return CancelledError(what + ": cancelled");
    Result<AwsCredentials> credentials = credentials_.Get(stop);
    if (!credentials) return credentials.error();
    Result<SignedRequest> signed_request = signer_.Sign(request, *credentials);
    if (!signed_request) return signed_request.error();

    Result<HttpResponse> response = http_.Send(signed_request->request, stop);
    bool throttled = false;
    Status failure;
    if (!response) {
      if (!IsTransportRetryable(response.error().code())) return response.error();
      failure = response.error();
    } else {
      if (response->status < 400) return response;
      AwsError error = ParseAwsError(*response);
      if (!IsRetryableError(error)) return response;
      throttled = IsThrottlingError(error);
      std::string message = what + ": " + error.ToString();
      failure = throttled ? ResourceExhaustedError(message) : UnavailableError(message);
    }
    if (attempt >= attempts) {
      return failure.WithContext("after " + std::to_string(attempts) + " attempts");
    }
    if (!sleep_(JitteredDelay(attempt, throttled), stop)) {
      return CancelledError(what + ": cancelled while waiting to retry");
    }
  }
}

Result<std::string> AwsClient::Presign(const HttpRequest& request, std::chrono::seconds expires,
                                       std::stop_token stop) {
  Result<AwsCredentials> credentials = credentials_.Get(stop);
  if (!credentials) return credentials.error();
  Result<PresignedUrl> presigned = signer_.Presign(request, *credentials, expires);
  if (!presigned) return presigned.error();
  return std::move(presigned->url);
}

}  // namespace enhancer
