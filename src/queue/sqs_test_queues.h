// SqsTestQueues: what an operator does in the SQS console, for tests against real SQS servers
// (fauxqs, moto_server): create a queue, or one with a dead-letter queue behind a RedrivePolicy.
// Also creates moto's IAM user for its signature-checking mode. Test-only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aws/aws_credentials.h"
#include "aws/credentials_provider.h"
#include "core/status.h"
#include "net/http_client.h"
#include "queue/sqs_client.h"

namespace enhancer {

// The region every SQS test signs for.
inline constexpr char kSqsTestRegion[] = "us-east-1";

class SqsTestQueues {
 public:
  // Calls go to `endpoint`, signed with `credentials` for kSqsTestRegion.
  SqsTestQueues(std::string endpoint, AwsCredentials credentials);

  // Creates queue `name` with `attributes` ("VisibilityTimeout" -> "30"); returns its URL.
  Result<std::string> Create(const std::string& name,
                             const std::map<std::string, std::string>& attributes = {});

  // Creates `name`-dlq, then `name` with a RedrivePolicy that moves a message there instead of
  // delivering it a (max_receives + 1)th time; the ARN comes from GetQueueAttributes(QueueArn),
  // since servers differ in account ids. Returns the URL of `name`.
  Result<std::string> CreateWithDeadLetters(const std::string& name, int max_receives);

  Result<std::string> Arn(const std::string& queue_url);

 private:
  std::unique_ptr<HttpClient> http_;
  StaticCredentialsProvider credentials_;
  SqsClient client_;
};

// Long-term test credentials (no session token, no expiry).
AwsCredentials TestCredentials(std::string access_key_id, std::string secret_access_key);

// A queue name unique to the running test ("SqsQueueTest_SendBatch_3"): letters, digits, '_'.
std::string UniqueTestQueueName();

// On a moto_server that checks signatures, spends its free requests on an IAM user, its access
// key and a policy that allows everything; returns the key, which signs every later request.
Result<AwsCredentials> CreateMotoIamUser(const std::string& endpoint);

// What a command printed, and how it ended.
struct CommandOutput {
  int exit_code = -1;  // 128 + the signal when one ended it
  std::string out;
  std::string err;
};

// Runs the aws CLI found in PATH (`aws sqs send-message ...` without the "aws") against
// `endpoint`, with `credentials` and kSqsTestRegion in its environment and no shared config or
// credentials file. FailedPrecondition when `aws` is not in PATH or cannot run.
Result<CommandOutput> RunAwsCli(const std::vector<std::string>& args, const std::string& endpoint,
                                const AwsCredentials& credentials);

}  // namespace enhancer
