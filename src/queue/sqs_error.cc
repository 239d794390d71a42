#include "queue/sqs_error.h"

#include <string>

namespace enhancer {
namespace {

enum class Fault { kUnknown, kSender, kReceiver };

struct Failure {
  int http_status = 0;          // 0 for a batch entry
  std::string_view code;        // "QueueDoesNotExist"
  std::string_view query_code;  // "AWS.SimpleQueueService.NonExistentQueue"
  std::string_view message;
  Fault fault = Fault::kUnknown;
};

template <size_t N>
bool IsOneOf(const Failure& f, const std::string_view (&codes)[N]) {
  for (std::string_view c : codes) {
    if (f.code == c || f.query_code == c) return true;
  }
  return false;
}

constexpr std::string_view kNoSuchQueue[] = {
    "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "NonExistentQueue"};
constexpr std::string_view kBadSignature[] = {"SignatureDoesNotMatch", "IncompleteSignature",
                                              "InvalidSignatureException"};
constexpr std::string_view kUnknownKey[] = {"InvalidClientTokenId", "UnrecognizedClientException",
                                            "InvalidAccessKeyId"};
constexpr std::string_view kDenied[] = {
    "AccessDenied",  "AccessDeniedException",      "AuthorizationError",
    "NotAuthorized", "MissingAuthenticationToken", "InvalidSecurity"};
constexpr std::string_view kExpired[] = {"ExpiredToken", "ExpiredTokenException"};
constexpr std::string_view kClockSkew[] = {"RequestExpired", "RequestTimeTooSkewed"};
constexpr std::string_view kKms[] = {
    "KmsAccessDenied",  "KmsDisabled",        "KmsInvalidState",          "KmsNotFound",
    "KmsOptInRequired", "KmsInvalidKeyUsage", "KMS.AccessDeniedException"};
// A receipt handle that is not the message's newest, names no message in flight, or is malformed.
constexpr std::string_view kStaleHandle[] = {
    "ReceiptHandleIsInvalid", "AWS.SimpleQueueService.ReceiptHandleIsInvalid", "MessageNotInflight",
    "AWS.SimpleQueueService.MessageNotInflight"};
constexpr std::string_view kBadRequest[] = {
    "InvalidParameterValue",
    "InvalidParameterCombination",
    "MissingParameter",
    "MissingRequiredParameter",
    "InvalidMessageContents",
    "InvalidAttributeName",
    "InvalidAttributeValue",
    "InvalidAddress",
    "InvalidIdFormat",
    "ValidationError",
    "ValidationException",
    "SerializationException",
    "UnsupportedOperation",
    "AWS.SimpleQueueService.UnsupportedOperation",
    "EmptyBatchRequest",
    "AWS.SimpleQueueService.EmptyBatchRequest",
    "TooManyEntriesInBatchRequest",
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    "BatchEntryIdsNotDistinct",
    "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
    "InvalidBatchEntryId",
    "AWS.SimpleQueueService.InvalidBatchEntryId",
    "BatchRequestTooLong",
    "AWS.SimpleQueueService.BatchRequestTooLong",
};
constexpr std::string_view kThrottled[] = {
    "RequestThrottled",    "AWS.SimpleQueueService.RequestThrottled",
    "ThrottlingException", "Throttling",
    "OverLimit",           "KmsThrottled"};

// Calls that take a receipt handle: there an InvalidParameterValue is about the handle (the
// other parameters are checked before sending).
bool TakesReceiptHandle(std::string_view operation) {
  return operation.starts_with("DeleteMessage") || operation.starts_with("ChangeMessageVisibility");
}

// The IAM action a call needs: batch calls are authorised as their single form.
std::string IamAction(std::string_view operation) {
  std::string_view action = operation;
  if (action.ends_with("Batch")) action.remove_suffix(5);
  return "sqs:" + std::string(action);
}

Status Classify(std::string_view operation, std::string_view queue, const Failure& f) {
  std::string what = "SQS " + std::string(operation) + " on " + std::string(queue);
  std::string code = !f.code.empty() ? std::string(f.code) : std::string(f.query_code);
  std::string answer = code.empty() ? std::string() : code;
  if (f.http_status != 0) {
    answer = "HTTP " + std::to_string(f.http_status) + (code.empty() ? "" : " " + code);
  }
  if (!f.message.empty()) answer += ": " + std::string(f.message);

  if (IsOneOf(f, kNoSuchQueue)) {
    return NotFoundError("queue " + std::string(queue) +
                         " does not exist (check SQS_QUEUE_URL and AWS_REGION); " + what +
                         " answered " + answer);
  }
  if (IsOneOf(f, kBadSignature)) {
    return FailedPreconditionError(
        what + ": the request signature was refused (" + answer +
        "); check that the secret access key belongs to the access key id (AWS_SECRET_ACCESS_KEY "
        "or the profile's aws_secret_access_key) and that the system clock is right");
  }
  if (IsOneOf(f, kUnknownKey)) {
    return FailedPreconditionError(
        what + ": the access key id is not known (" + answer +
        "); check AWS_ACCESS_KEY_ID or the profile's aws_access_key_id, and that the endpoint "
        "and region belong to the key's account");
  }
  if (IsOneOf(f, kExpired)) {
    return FailedPreconditionError(what + ": the credentials have expired (" + answer +
                                   "); refresh them (a new session token)");
  }
  if (IsOneOf(f, kClockSkew)) {
    return FailedPreconditionError(what + ": the request's time was refused (" + answer +
                                   "); set the system clock right");
  }
  if (IsOneOf(f, kKms)) {
    return FailedPreconditionError(
        what + ": the queue's KMS key refused the call (" + answer +
        "); allow kms:GenerateDataKey and kms:Decrypt on the queue's key");
  }
  if (IsOneOf(f, kDenied) || (f.http_status == 403 && !IsOneOf(f, kThrottled))) {
    return FailedPreconditionError(
        what + ": access denied (" + answer + "); the IAM policy of these credentials must allow " +
        IamAction(operation) +
        " on the queue (a worker needs sqs:ReceiveMessage, sqs:DeleteMessage, "
        "sqs:ChangeMessageVisibility and sqs:GetQueueAttributes; enqueue needs sqs:SendMessage)");
  }
  if (IsOneOf(f, kStaleHandle) ||
      (TakesReceiptHandle(operation) && (f.code == "InvalidParameterValue"))) {
    return InvalidArgumentError(what +
                                ": stale receipt handle (or not one of this queue's): " + answer);
  }
  if (IsOneOf(f, kBadRequest)) return InvalidArgumentError(what + ": " + answer);
  if (IsOneOf(f, kThrottled) || f.http_status == 429) {
    return ResourceExhaustedError(what + ": throttled: " + answer);
  }
  if (f.fault == Fault::kReceiver || f.http_status >= 500) {
    return UnavailableError(what + ": the server failed: " + answer);
  }
  // An unknown code that is the sender's fault: retrying the same call cannot help.
  return FailedPreconditionError(what + ": refused: " + answer);
}

Fault FaultOf(std::string_view query_error) {
  size_t semicolon = query_error.find(';');
  if (semicolon == std::string_view::npos) return Fault::kUnknown;
  std::string_view side = query_error.substr(semicolon + 1);
  if (side == "Sender") return Fault::kSender;
  if (side == "Receiver") return Fault::kReceiver;
  return Fault::kUnknown;
}

}  // namespace

Status SqsErrorStatus(std::string_view operation, std::string_view queue, const AwsError& error,
                      std::string_view query_error) {
  Failure f;
  f.http_status = error.http_status;
  f.code = error.code;
  f.query_code = error.query_code;
  f.message = error.message;
  f.fault = FaultOf(query_error);
  return Classify(operation, queue, f);
}

Status SqsBatchEntryStatus(std::string_view operation, std::string_view queue,
                           std::string_view code, std::string_view message, bool sender_fault) {
  Failure f;
  f.code = code;
  f.message = message;
  f.fault = sender_fault ? Fault::kSender : Fault::kReceiver;
  return Classify(operation, queue, f);
}

}  // namespace enhancer
