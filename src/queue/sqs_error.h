// SqsError: what a failed SQS call means for its caller, as a Status whose code says what to do
// (status.h) and whose message says what to fix.
//
//   NotFound            the queue does not exist (wrong SQS_QUEUE_URL or AWS_REGION);
//   FailedPrecondition  the credentials or their IAM policy are wrong (signature, unknown key,
//                       access denied, expired token, KMS): no retry helps until someone fixes it;
//   InvalidArgument     the request itself (a stale or invalid receipt handle, a bad body);
//   ResourceExhausted   throttled; Unavailable  the server's fault (5xx, a Receiver fault).
//
// Messages carry the AWS code and message, never a secret.
#pragma once

#include <string_view>

#include "aws/aws_error.h"
#include "core/status.h"

namespace enhancer {

// The Status for an error response of SQS call `operation` ("ReceiveMessage") on `queue` (its
// URL, or its name for GetQueueUrl). `query_error` is the x-amzn-query-error header
// ("AWS.SimpleQueueService.NonExistentQueue;Sender"), which says whose fault it is.
Status SqsErrorStatus(std::string_view operation, std::string_view queue, const AwsError& error,
                      std::string_view query_error);

// The Status for one Failed[] entry of a batch call (an HTTP 200 answer): its Code, its Message
// and its SenderFault.
Status SqsBatchEntryStatus(std::string_view operation, std::string_view queue,
                           std::string_view code, std::string_view message, bool sender_fault);

}  // namespace enhancer
