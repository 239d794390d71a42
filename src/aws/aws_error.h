// AwsError: the error code and message of an AWS error response, whichever protocol the service
// speaks (JSON 1.0 `__type`, the x-amzn-ErrorType and x-amzn-query-error headers, or S3's and
// the query protocol's XML <Code>), and the SDKs' rules for which errors are worth retrying.
#pragma once

#include <string>

#include "net/http_client.h"

namespace enhancer {

struct AwsError {
  int http_status = 0;
  // "ThrottlingException", "QueueDoesNotExist", "SlowDown", "NoSuchKey"; "" when the response
  // names none. From JSON `__type` (namespace before '#' dropped), else x-amzn-ErrorType, else
  // XML <Code>, else x-amzn-query-error.
  std::string code;
  // SQS's query-compatible code from x-amzn-query-error
  // ("AWS.SimpleQueueService.NonExistentQueue"); "" when absent.
  std::string query_code;
  // The service's message, at most kMaxMessageBytes. Never the whole body: S3's
  // SignatureDoesNotMatch body quotes the canonical request, session token included.
  std::string message;

  static constexpr size_t kMaxMessageBytes = 300;

  // "HTTP 503 SlowDown: Please reduce your request rate."
  std::string ToString() const;
};

// Reads the error out of `response` (meant for 4xx and 5xx; never fails, fields stay empty).
AwsError ParseAwsError(const HttpResponse& response);

// HTTP 429, or a throttling code (ThrottlingException, RequestThrottled, SlowDown,
// TooManyRequestsException, RequestLimitExceeded, ... as the SDKs list them).
bool IsThrottlingError(const AwsError& error);

// Throttling, HTTP 500/502/503/504, or a transient code (RequestTimeout, InternalError,
// ServiceUnavailable, ...): the same request may succeed if sent again.
bool IsRetryableError(const AwsError& error);

}  // namespace enhancer
