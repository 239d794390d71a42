// SqsClient: one call of the SQS API over the AWS JSON 1.0 protocol (POST / with
// X-Amz-Target: AmazonSQS.<Operation>), signed and retried by AwsClient, its error turned into
// a Status by SqsErrorStatus. SqsQueue builds the request bodies and reads the answers.
//
// Requests always go to the configured endpoint: a queue URL is an identifier in the body, never
// a place to connect to (emulators answer with hosts that do not resolve, and a VPC endpoint or
// proxy must carry every call).
#pragma once

#include <chrono>
#include <stop_token>
#include <string>
#include <string_view>

#include "aws/aws_client.h"
#include "aws/credentials_provider.h"
#include "core/clock.h"
#include "core/status.h"
#include "net/http_client.h"

namespace enhancer {

class SqsClient {
 public:
  // `http`, `credentials` and `clock` must outlive the client. `endpoint` is an http(s) URL
  // without a path ("https://sqs.eu-west-1.amazonaws.com", "http://127.0.0.1:4566").
  SqsClient(HttpClient& http, CredentialsProvider& credentials, std::string endpoint,
            std::string region, AwsRetryPolicy retry, const Clock& clock);

  // Sends `json_body` (a JSON object) as `operation` ("ReceiveMessage") and returns the answer's
  // body (a JSON object; "{}" when the server sent none) for a 2xx. `queue` names the queue in
  // error messages. `timeout` bounds each attempt's HTTP exchange (longer than a long poll).
  // Errors: SqsErrorStatus's for an error answer; AwsClient's (ResourceExhausted, Unavailable,
  // DeadlineExceeded, Cancelled, the credential provider's) with the call named. Thread-safe.
  Result<std::string> Call(std::string_view operation, std::string_view queue,
                           std::string json_body, std::chrono::milliseconds timeout,
                           std::stop_token stop);

  const std::string& endpoint() const { return endpoint_; }

 private:
  const std::string endpoint_;
  AwsClient aws_;
};

}  // namespace enhancer
