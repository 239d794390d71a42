#include "queue/sqs_error.h"

#include <gtest/gtest.h>

#include <string>

namespace enhancer {
namespace {

constexpr char kQueue[] = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";

struct Case {
  const char* operation;
  int http_status;
  const char* code;
  const char* query_error;  // the x-amzn-query-error header
  StatusCode expected;
  const char* says;  // a part of the message that tells what to fix
};

// What each answer a server can give means for the worker.
const Case kCases[] = {
    {"GetQueueAttributes", 400, "QueueDoesNotExist",
     "AWS.SimpleQueueService.NonExistentQueue;Sender", StatusCode::kNotFound,
     "does not exist (check SQS_QUEUE_URL and AWS_REGION)"},
    {"ReceiveMessage", 400, "", "AWS.SimpleQueueService.NonExistentQueue;Sender",
     StatusCode::kNotFound, "does not exist"},
    {"GetQueueAttributes", 403, "SignatureDoesNotMatch", "", StatusCode::kFailedPrecondition,
     "secret access key"},
    {"GetQueueAttributes", 403, "InvalidClientTokenId", "", StatusCode::kFailedPrecondition,
     "AWS_ACCESS_KEY_ID"},
    {"GetQueueAttributes", 400, "UnrecognizedClientException", "", StatusCode::kFailedPrecondition,
     "access key id is not known"},
    {"DeleteMessageBatch", 403, "AccessDenied", "AccessDenied;Sender",
     StatusCode::kFailedPrecondition, "must allow sqs:DeleteMessage on the queue"},
    {"ReceiveMessage", 400, "AccessDeniedException", "", StatusCode::kFailedPrecondition,
     "sqs:ReceiveMessage"},
    {"SendMessageBatch", 403, "", "", StatusCode::kFailedPrecondition, "access denied"},
    {"SendMessageBatch", 400, "ExpiredToken", "", StatusCode::kFailedPrecondition, "expired"},
    {"SendMessageBatch", 400, "RequestExpired", "", StatusCode::kFailedPrecondition,
     "system clock"},
    {"SendMessageBatch", 400, "KmsAccessDenied", "", StatusCode::kFailedPrecondition,
     "kms:GenerateDataKey"},
    {"DeleteMessageBatch", 400, "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid;Sender",
     StatusCode::kInvalidArgument, "stale receipt handle"},
    {"ChangeMessageVisibilityBatch", 400, "InvalidParameterValue", "", StatusCode::kInvalidArgument,
     "stale receipt handle"},
    {"ChangeMessageVisibility", 400, "MessageNotInflight",
     "AWS.SimpleQueueService.MessageNotInflight;Sender", StatusCode::kInvalidArgument,
     "stale receipt handle"},
    {"SendMessageBatch", 400, "InvalidParameterValue", "", StatusCode::kInvalidArgument,
     "InvalidParameterValue"},
    {"SendMessageBatch", 400, "InvalidMessageContents", "", StatusCode::kInvalidArgument,
     "InvalidMessageContents"},
    {"SendMessageBatch", 400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "",
     StatusCode::kInvalidArgument, "TooManyEntriesInBatchRequest"},
    // What AwsClient still hands back after its retries.
    {"ReceiveMessage", 400, "RequestThrottled", "", StatusCode::kResourceExhausted, "throttled"},
    {"ReceiveMessage", 403, "OverLimit", "", StatusCode::kResourceExhausted, "throttled"},
    {"ReceiveMessage", 429, "", "", StatusCode::kResourceExhausted, "throttled"},
    {"ReceiveMessage", 503, "", "", StatusCode::kUnavailable, "server failed"},
    {"ReceiveMessage", 400, "SomethingNew", "SomethingNew;Receiver", StatusCode::kUnavailable,
     "server failed"},
    // An unknown code that is the sender's fault: the same call would fail again.
    {"ReceiveMessage", 400, "SomethingNew", "SomethingNew;Sender", StatusCode::kFailedPrecondition,
     "SomethingNew"},
};

TEST(SqsErrorStatusTest, MapsEachAnswerToWhatTheCallerMustDo) {
  for (const Case& c : kCases) {
    AwsError error;
    error.http_status = c.http_status;
    error.code = c.code;
    std::string query_error = c.query_error;
    error.query_code = query_error.substr(0, query_error.find(';'));
    error.message = "the service's words";
    Status status = SqsErrorStatus(c.operation, kQueue, error, query_error);
    EXPECT_EQ(status.code(), c.expected)
        << c.operation << " " << c.code << ": " << status.ToString();
    EXPECT_NE(status.message().find(c.says), std::string::npos)
        << c.operation << " " << c.code << ": " << status.ToString();
    EXPECT_NE(status.message().find(c.operation), std::string::npos) << status.ToString();
    EXPECT_NE(status.message().find("the service's words"), std::string::npos) << status.ToString();
  }
}

TEST(SqsErrorStatusTest, ANotFoundMessageNamesTheQueue) {
  AwsError error;
  error.http_status = 400;
  error.code = "QueueDoesNotExist";
  Status status = SqsErrorStatus("GetQueueAttributes", kQueue, error, "");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message().find("queue " + std::string(kQueue) +
                                  " does not exist (check SQS_QUEUE_URL and AWS_REGION)"),
            0u)
      << status.ToString();
}

TEST(SqsBatchEntryStatusTest, MapsFailedEntriesByCodeAndFault) {
  Status stale = SqsBatchEntryStatus("DeleteMessageBatch", kQueue, "ReceiptHandleIsInvalid",
                                     "The input receipt handle is invalid.", true);
  EXPECT_EQ(stale.code(), StatusCode::kInvalidArgument) << stale.ToString();
  EXPECT_NE(stale.message().find("stale receipt handle"), std::string::npos);

  Status server = SqsBatchEntryStatus("SendMessageBatch", kQueue, "InternalError", "oops", false);
  EXPECT_EQ(server.code(), StatusCode::kUnavailable) << server.ToString();

  Status sender = SqsBatchEntryStatus("SendMessageBatch", kQueue, "Odd", "no", true);
  EXPECT_EQ(sender.code(), StatusCode::kFailedPrecondition) << sender.ToString();

  Status bad = SqsBatchEntryStatus("SendMessageBatch", kQueue, "InvalidMessageContents",
                                   "Invalid characters", true);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument) << bad.ToString();
}

}  // namespace
}  // namespace enhancer
