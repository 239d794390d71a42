#include "queue/sqs_client.h"

#include <utility>

#include "aws/aws_error.h"
#include "aws/sigv4_signer.h"
#include "queue/sqs_error.h"

namespace enhancer {

SqsClient::SqsClient(HttpClient& http, CredentialsProvider& credentials, std::string endpoint,
                     std::string region, AwsRetryPolicy retry, const Clock& clock)
    : endpoint_(std::move(endpoint)),
      aws_(http, credentials, SigV4Options::ForService("sqs", std::move(region)), retry, clock) {}

Result<std::string> SqsClient::Call(std::string_view operation, std::string_view queue,
                                    std::string json_body, std::chrono::milliseconds timeout,
                                    std::stop_token stop) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint_ + "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "AmazonSQS." + std::string(operation)}};
  request.body = std::move(json_body);
  request.timeout = timeout;

  Result<HttpResponse> response = aws_.Send(request, stop);
  if (!response) {
    return response.error().WithContext("SQS " + std::string(operation) + " on " +
                                        std::string(queue));
  }
  if (response->status >= 300) {
    return SqsErrorStatus(operation, queue, ParseAwsError(*response),
                          response->Header("x-amzn-query-error"));
  }
  if (response->body.empty()) return std::string("{}");
  return std::move(response->body);
}

}  // namespace enhancer
