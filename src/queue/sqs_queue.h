// SqsQueue: the Queue over AWS SQS (or any server that speaks SQS's JSON 1.0 protocol), for
// several workers on several machines.
//
// SQS keeps the semantics the Queue interface describes, with two differences a caller may see:
// - Deleting with a stale receipt handle (the message was received again since) succeeds without
//   deleting the message: AWS documents that answer, so SqsQueue cannot report the interface's
//   InvalidArgument. The message stays leased by the newer receive and is not lost; the worker's
//   processing is idempotent, so a second delivery has no second effect.
// - Stats are SQS's approximate counts, and dead_lettered counts the messages (visible or being
//   inspected) in the queue named by the RedrivePolicy's deadLetterTargetArn (0 when the queue
//   has no redrive policy).
// The dead-letter threshold is the queue's RedrivePolicy, set in SQS, not by this program.
//
// Send, Delete and ChangeVisibility are their batch calls with one entry, so single and batch
// share one path (IAM authorises a batch call as its single action: sqs:SendMessage, ...).
//
// Thread-safe: calls may run from any number of threads at once (a long poll included).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.h"
#include "aws/credentials_provider.h"
#include "core/clock.h"
#include "net/http_client.h"
#include "queue/queue.h"
#include "queue/sqs_client.h"

namespace enhancer {

struct SqsQueueOptions {
  // The queue's URL as SQS gives it ("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"):
  // SQS_QUEUE_URL. An identifier: requests go to `endpoint` whatever host it names.
  std::string queue_url;
  // Where requests go, without a path: AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL
  // (ResolveEndpoint). Empty: the queue URL's scheme and host, right for AWS's own URLs.
  std::string endpoint;
  // The region requests are signed for. Empty: the one in an AWS queue URL's host
  // (RegionFromQueueUrl); a URL that names none (a local server) needs it set.
  std::string region;
  // How throttling, 5xx answers and transport failures are retried.
  AwsRetryPolicy retry;
  // Bounds each HTTP exchange, except a long poll's, which gets its wait plus long_poll_grace (a
  // timeout shorter than the wait would cut every empty poll).
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::seconds long_poll_grace{10};
  // Source of the signing time; nullptr means Clock::Real(). Not owned; must outlive the queue.
  const Clock* clock = nullptr;

  // InvalidArgument naming the first bad field.
  Status Validate() const;
};

class SqsQueue final : public Queue {
 public:
  // SQS's limits, checked before sending so that a bad call costs no request.
  static constexpr size_t kMaxBodyBytes = 256 * 1024;
  static constexpr int kMaxBatch = 10;
  static constexpr std::chrono::seconds kMaxWait{20};
  static constexpr std::chrono::seconds kMaxDelay{900};
  static constexpr std::chrono::seconds kMaxVisibility{12 * 60 * 60};

  // Use OpenSqsQueue().
  SqsQueue(const SqsQueueOptions& options, std::string endpoint, std::string region,
           HttpClient& http, CredentialsProvider& credentials);

  // Queue. Besides the codes queue.h names, every call may return what SqsErrorStatus maps
  // (FailedPrecondition for credentials and IAM, NotFound for a missing queue,
  // ResourceExhausted when throttled).
  Result<std::string> Send(std::string_view body,
                           std::chrono::seconds delay = std::chrono::seconds(0)) override;
  // Asks for ApproximateReceiveCount both ways (AttributeNames and
  // MessageSystemAttributeNames); receive_count is 0 if the server still names none. A stop
  // request ends a parked long poll at once with no messages; any the server leased in that
  // instant come back after `visibility`.
  Result<std::vector<QueueMessage>> Receive(int max_messages, std::chrono::seconds wait,
                                            std::chrono::seconds visibility,
                                            std::stop_token stop) override;
  // A stale handle: OK without deleting (see above). A malformed one: InvalidArgument.
  Status Delete(const std::string& receipt_handle) override;
  Status ChangeVisibility(const std::string& receipt_handle, std::chrono::seconds timeout) override;
  Result<QueueStats> Stats() override;
  // The queue URL.
  std::string Describe() const override;

  // Batches: one SQS call per kMaxBatch entries. Results are per entry, in the input's order; an
  // entry refused before sending, or in a call that failed as a whole, gets that Status.
  std::vector<Result<std::string>> SendBatch(const std::vector<SendEntry>& entries) override;
  std::vector<Status> DeleteBatch(const std::vector<std::string>& receipt_handles);
  // ChangeMessageVisibilityBatch; Queue's default would send one call per entry.
  std::vector<Status> ChangeVisibilityBatch(const std::vector<VisibilityChange>& changes) override;

  // One GetQueueAttributes call, for start-up: OK when the queue exists and these credentials
  // may read it. NotFound "queue ... does not exist (check SQS_QUEUE_URL and AWS_REGION)";
  // FailedPrecondition saying what to fix for a refused signature, an unknown key, an expired
  // token or a missing IAM permission; Unavailable, ResourceExhausted, Cancelled.
  Status CheckAccess(std::stop_token stop);

  const std::string& queue_url() const { return queue_url_; }
  const std::string& endpoint() const { return client_.endpoint(); }

 private:
  // The dead-letter queue's URL for `target_arn`, resolved once with GetQueueUrl.
  Result<std::string> DeadLetterQueueUrl(const std::string& target_arn);

  const SqsQueueOptions options_;
  const std::string queue_url_;
  SqsClient client_;

  std::mutex dead_letter_mu_;
  std::string dead_letter_arn_;  // guarded by dead_letter_mu_; "" until resolved
  std::string dead_letter_url_;  // guarded by dead_letter_mu_
};

// Validates the options, fills in the endpoint and region, and returns the queue. Sends nothing:
// call CheckAccess() to see the queue and the credentials work. `http` and `credentials` must
// outlive the queue. InvalidArgument naming the option at fault.
Result<std::unique_ptr<SqsQueue>> OpenSqsQueue(const SqsQueueOptions& options, HttpClient& http,
                                               CredentialsProvider& credentials);

}  // namespace enhancer
