#include "queue/sqs_queue.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "aws/aws_region.h"
#include "net/url.h"
#include "queue/sqs_error.h"

namespace enhancer {
namespace {

using json = nlohmann::json;
using std::chrono::seconds;

constexpr std::string_view kReceiveCount = "ApproximateReceiveCount";

// The answer of `operation` as a JSON object; Internal when the server sent something else.
Result<json> ParseAnswer(std::string_view operation, std::string_view queue,
                         const std::string& body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    return InternalError("SQS " + std::string(operation) + " on " + std::string(queue) +
                         ": the answer is not a JSON object: " + body.substr(0, 200));
  }
  return doc;
}

Status Malformed(std::string_view operation, std::string_view queue, const std::exception& e) {
  return InternalError("SQS " + std::string(operation) + " on " + std::string(queue) +
                       ": unexpected answer: " + e.what());
}

// The string member `key` of `object`, or "" when it is missing or not a string.
std::string StringMember(const json& object, std::string_view key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A count SQS sends as a decimal string ("12"); 0 when absent.
Result<int64_t> CountAttribute(const json& attributes, std::string_view name) {
  std::string text = StringMember(attributes, name);
  if (text.empty()) return int64_t{0};
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return InternalError("SQS attribute " + std::string(name) + " is not a number: \"" + text +
                         "\"");
  }
  return value;
}

Status CheckBody(std::string_view body) {
  if (body.empty()) return InvalidArgumentError("message body is empty");
  if (body.size() > SqsQueue::kMaxBodyBytes) {
    return InvalidArgumentError("message body has " + std::to_string(body.size()) +
                                " bytes; SQS takes at most " +
                                std::to_string(SqsQueue::kMaxBodyBytes));
  }
  try {
    // JSON carries only valid UTF-8, and SQS only Unicode text.
    (void)json(std::string(body)).dump();
  } catch (const json::exception&) {
    return InvalidArgumentError("message body is not valid UTF-8");
  }
  return OkStatus();
}

Status CheckDelay(seconds delay) {
  if (delay < seconds(0) || delay > SqsQueue::kMaxDelay) {
    return InvalidArgumentError("delay must be 0 to " +
                                std::to_string(SqsQueue::kMaxDelay.count()) + " s, not " +
                                std::to_string(delay.count()));
  }
  return OkStatus();
}

Status CheckVisibility(seconds visibility) {
  if (visibility < seconds(0) || visibility > SqsQueue::kMaxVisibility) {
    return InvalidArgumentError("visibility timeout must be 0 to " +
                                std::to_string(SqsQueue::kMaxVisibility.count()) + " s, not " +
                                std::to_string(visibility.count()));
  }
  return OkStatus();
}

Status CheckHandle(const std::string& receipt_handle) {
  if (receipt_handle.empty()) return InvalidArgumentError("receipt handle is empty");
  return OkStatus();
}

// Runs a batch call for `entries` (each an entry's JSON without its Id, or why it is refused
// before sending), kMaxBatch per request. Returns each entry's Successful[] object or its Status,
// in the input's order.
std::vector<Result<json>> CallInBatches(SqsClient& client, std::string_view operation,
                                        const std::string& queue_url,
                                        std::chrono::milliseconds timeout,
                                        std::vector<Result<json>> entries) {
  std::vector<Result<json>> results(entries.size(), Result<json>(InternalError("not sent")));
  std::vector<size_t> pending;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i]) {
      pending.push_back(i);
    } else {
      results[i] = entries[i].error();
    }
  }
  for (size_t first = 0; first < pending.size(); first += SqsQueue::kMaxBatch) {
    const size_t count = std::min<size_t>(SqsQueue::kMaxBatch, pending.size() - first);
    // Entry ids are this call's positions: unique, and mapped back through `pending`.
    json request = {{"QueueUrl", queue_url}, {"Entries", json::array()}};
    for (size_t k = 0; k < count; ++k) {
      json entry = std::move(*entries[pending[first + k]]);
      entry["Id"] = std::to_string(k);
      request["Entries"].push_back(std::move(entry));
    }
    auto set_all = [&](const Status& status) {
      for (size_t k = 0; k < count; ++k) results[pending[first + k]] = status;
    };
    Result<std::string> answer =
        client.Call(operation, queue_url, request.dump(), timeout, std::stop_token());
    if (!answer) {
      set_all(answer.error());
      continue;
    }
    Result<json> doc = ParseAnswer(operation, queue_url, *answer);
    if (!doc) {
      set_all(doc.error());
      continue;
    }
    set_all(InternalError("SQS " + std::string(operation) + " on " + queue_url +
                          ": the answer did not mention this entry"));
    try {
      auto position = [&](const json& item) -> std::optional<size_t> {
        std::string id = StringMember(item, "Id");
        size_t k = 0;
        auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), k);
        if (id.empty() || error != std::errc() || end != id.data() + id.size() || k >= count) {
          return std::nullopt;
        }
        return pending[first + k];
      };
      if (auto it = doc->find("Successful"); it != doc->end() && it->is_array()) {
        for (const json& item : *it) {
          if (auto i = position(item)) results[*i] = item;
        }
      }
      if (auto it = doc->find("Failed"); it != doc->end() && it->is_array()) {
        for (const json& item : *it) {
          auto i = position(item);
          if (!i) continue;
          auto sender = item.find("SenderFault");
          bool sender_fault = sender != item.end() && sender->is_boolean() && sender->get<bool>();
          results[*i] = SqsBatchEntryStatus(operation, queue_url, StringMember(item, "Code"),
                                            StringMember(item, "Message"), sender_fault);
        }
      }
    } catch (const json::exception& e) {
      set_all(Malformed(operation, queue_url, e));
    }
  }
  return results;
}

std::vector<Status> StatusesOf(const std::vector<Result<json>>& results) {
  std::vector<Status> out;
  out.reserve(results.size());
  for (const Result<json>& r : results) out.push_back(r.error());
  return out;
}

// "arn:aws:sqs:eu-west-1:123456789012:jobs-dlq" -> {"123456789012", "jobs-dlq"}.
std::optional<std::pair<std::string, std::string>> SplitQueueArn(std::string_view arn) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t colon; (colon = arn.find(':', start)) != std::string_view::npos; start = colon + 1) {
    parts.push_back(arn.substr(start, colon - start));
  }
  parts.push_back(arn.substr(start));
  if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sqs" || parts[5].empty()) {
    return std::nullopt;
  }
  return std::make_pair(std::string(parts[4]), std::string(parts[5]));
}

}  // namespace

Status SqsQueueOptions::Validate() const {
  Result<Url> url = ParseUrl(queue_url);
  if (queue_url.empty() || !url) {
    return InvalidArgumentError(
               "queue_url must be the queue's http(s) URL (SQS_QUEUE_URL), not \"" + queue_url +
               "\"")
        .WithField("queue_url");
  }
  if (url->path.size() < 2) {
    return InvalidArgumentError(
               "queue_url must name the queue in its path "
               "(https://sqs.<region>.amazonaws.com/<account>/<name>), not \"" +
               queue_url + "\"")
        .WithField("queue_url");
  }
  if (!endpoint.empty()) {
    Result<Url> e = ParseUrl(endpoint);
    if (!e || (e->path != "/" && !e->path.empty()) || !e->query.empty()) {
      return InvalidArgumentError("endpoint must be an http(s) URL without a path, not \"" +
                                  endpoint + "\"")
          .WithField("endpoint");
    }
  }
  if (!region.empty() && !LooksLikeRegion(region)) {
    return InvalidArgumentError("region \"" + region + "\" is not an AWS region name")
        .WithField("region");
  }
  if (retry.max_attempts < 1) {
    return InvalidArgumentError("retry.max_attempts must be at least 1").WithField("retry");
  }
  if (request_timeout <= std::chrono::milliseconds(0)) {
    return InvalidArgumentError("request_timeout must be positive").WithField("request_timeout");
  }
  if (long_poll_grace < seconds(1)) {
    return InvalidArgumentError(
               "long_poll_grace must be at least 1 s, so a long poll's HTTP "
               "timeout outlasts its wait")
        .WithField("long_poll_grace");
  }
  return OkStatus();
}

Result<std::unique_ptr<SqsQueue>> OpenSqsQueue(const SqsQueueOptions& options, HttpClient& http,
                                               CredentialsProvider& credentials) {
  ENHANCER_RETURN_IF_ERROR(options.Validate());
  std::string endpoint = options.endpoint;
  if (endpoint.empty()) {
    Result<Url> url = ParseUrl(options.queue_url);
    endpoint = url->scheme + "://" + url->Authority();
  }
  while (endpoint.ends_with('/')) endpoint.pop_back();
  std::string region = options.region;
  if (region.empty()) {
    Result<std::string> from_url = RegionFromQueueUrl(options.queue_url);
    if (!from_url) {
      return InvalidArgumentError("no region for " + options.queue_url +
                                  ": its host names none, so set AWS_REGION")
          .WithField("region");
    }
    region = *from_url;
  }
  return std::make_unique<SqsQueue>(options, std::move(endpoint), std::move(region), http,
                                    credentials);
}

SqsQueue::SqsQueue(const SqsQueueOptions& options, std::string endpoint, std::string region,
                   HttpClient& http, CredentialsProvider& credentials)
    : options_(options),
      queue_url_(options.queue_url),
      client_(http, credentials, std::move(endpoint), std::move(region), options.retry,
              options.clock != nullptr ? *options.clock : Clock::Real()) {}

std::string SqsQueue::Describe() const { return queue_url_; }

Result<std::string> SqsQueue::Send(std::string_view body, seconds delay) {
  std::vector<Result<std::string>> sent = SendBatch({SendEntry{std::string(body), delay}});
  return std::move(sent.front());
}

std::vector<Result<std::string>> SqsQueue::SendBatch(const std::vector<SendEntry>& entries) {
  std::vector<Result<json>> requests;
  requests.reserve(entries.size());
  for (const SendEntry& e : entries) {
    Status valid = CheckBody(e.body);
    if (valid.ok()) valid = CheckDelay(e.delay);
    if (!valid.ok()) {
      requests.emplace_back(valid);
    } else {
      requests.emplace_back(json{{"MessageBody", e.body}, {"DelaySeconds", e.delay.count()}});
    }
  }
  std::vector<Result<json>> results = CallInBatches(client_, "SendMessageBatch", queue_url_,
                                                    options_.request_timeout, std::move(requests));
  std::vector<Result<std::string>> ids;
  ids.reserve(results.size());
  for (Result<json>& r : results) {
    if (!r) {
      ids.emplace_back(r.error());
      continue;
    }
    std::string id = StringMember(*r, "MessageId");
    if (id.empty()) {
      ids.emplace_back(InternalError("SQS SendMessageBatch on " + queue_url_ +
                                     ": a successful entry has no MessageId"));
    } else {
      ids.emplace_back(std::move(id));
    }
  }
  return ids;
}

Result<std::vector<QueueMessage>> SqsQueue::Receive(int max_messages, seconds wait,
                                                    seconds visibility, std::stop_token stop) {
  if (max_messages < 1 || max_messages > kMaxBatch) {
    return InvalidArgumentError("max_messages must be 1 to " + std::to_string(kMaxBatch) +
                                ", not " + std::to_string(max_messages));
  }
  if (wait < seconds(0) || wait > kMaxWait) {
    return InvalidArgumentError("wait must be 0 to " + std::to_string(kMaxWait.count()) +
                                " s, not " + std::to_string(wait.count()));
  }
  ENHANCER_RETURN_IF_ERROR(CheckVisibility(visibility));
  if (stop.stop_requested()) return std::vector<QueueMessage>();

  json request = {{"QueueUrl", queue_url_},
                  {"MaxNumberOfMessages", max_messages},
                  {"WaitTimeSeconds", wait.count()},
                  {"VisibilityTimeout", visibility.count()},
                  // Older servers read only AttributeNames, newer ones prefer the other.
                  {"AttributeNames", {kReceiveCount}},
                  {"MessageSystemAttributeNames", {kReceiveCount}}};
  const std::chrono::milliseconds timeout = std::max<std::chrono::milliseconds>(
      options_.request_timeout, wait + options_.long_poll_grace);
  Result<std::string> answer =
      client_.Call("ReceiveMessage", queue_url_, request.dump(), timeout, stop);
  if (!answer) {
    // A stop request ends the poll with nothing, whatever the transport made of it.
    if (stop.stop_requested()) return std::vector<QueueMessage>();
    return answer.error();
  }
  Result<json> doc = ParseAnswer("ReceiveMessage", queue_url_, *answer);
  if (!doc) return doc.error();
  std::vector<QueueMessage> messages;
  try {
    auto list = doc->find("Messages");
    if (list == doc->end() || list->is_null()) return messages;
    for (const json& item : list->get_ref<const json::array_t&>()) {
      QueueMessage m;
      m.id = StringMember(item, "MessageId");
      m.receipt_handle = StringMember(item, "ReceiptHandle");
      m.body = StringMember(item, "Body");
      if (m.id.empty() || m.receipt_handle.empty()) {
        return InternalError("SQS ReceiveMessage on " + queue_url_ +
                             ": a message without MessageId or ReceiptHandle");
      }
      if (auto attributes = item.find("Attributes"); attributes != item.end()) {
        Result<int64_t> count = CountAttribute(*attributes, kReceiveCount);
        if (!count) return count.error().WithContext("SQS ReceiveMessage on " + queue_url_);
        m.receive_count = static_cast<int>(*count);
      }
      messages.push_back(std::move(m));
    }
  } catch (const json::exception& e) {
    return Malformed("ReceiveMessage", queue_url_, e);
  }
  return messages;
}

Status SqsQueue::Delete(const std::string& receipt_handle) {
  return DeleteBatch({receipt_handle}).front();
}

std::vector<Status> SqsQueue::DeleteBatch(const std::vector<std::string>& receipt_handles) {
  std::vector<Result<json>> requests;
  requests.reserve(receipt_handles.size());
  for (const std::string& handle : receipt_handles) {
    Status valid = CheckHandle(handle);
    if (!valid.ok()) {
      requests.emplace_back(valid);
    } else {
      requests.emplace_back(json{{"ReceiptHandle", handle}});
    }
  }
  return StatusesOf(CallInBatches(client_, "DeleteMessageBatch", queue_url_,
                                  options_.request_timeout, std::move(requests)));
}

Status SqsQueue::ChangeVisibility(const std::string& receipt_handle, seconds timeout) {
  return ChangeVisibilityBatch({VisibilityChange{receipt_handle, timeout}}).front();
}

std::vector<Status> SqsQueue::ChangeVisibilityBatch(const std::vector<VisibilityChange>& changes) {
  std::vector<Result<json>> requests;
  requests.reserve(changes.size());
  for (const VisibilityChange& c : changes) {
    Status valid = CheckHandle(c.receipt_handle);
    if (valid.ok()) valid = CheckVisibility(c.timeout);
    if (!valid.ok()) {
      requests.emplace_back(valid);
    } else {
      requests.emplace_back(
          json{{"ReceiptHandle", c.receipt_handle}, {"VisibilityTimeout", c.timeout.count()}});
    }
  }
  return StatusesOf(CallInBatches(client_, "ChangeMessageVisibilityBatch", queue_url_,
                                  options_.request_timeout, std::move(requests)));
}

Status SqsQueue::CheckAccess(std::stop_token stop) {
  json request = {{"QueueUrl", queue_url_}, {"AttributeNames", {"QueueArn"}}};
  Result<std::string> answer = client_.Call("GetQueueAttributes", queue_url_, request.dump(),
                                            options_.request_timeout, std::move(stop));
  if (!answer) return answer.error();
  return ParseAnswer("GetQueueAttributes", queue_url_, *answer).error();
}

Result<QueueStats> SqsQueue::Stats() {
  json request = {{"QueueUrl", queue_url_},
                  {"AttributeNames",
                   {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                    "ApproximateNumberOfMessagesDelayed", "RedrivePolicy"}}};
  Result<std::string> answer = client_.Call("GetQueueAttributes", queue_url_, request.dump(),
                                            options_.request_timeout, std::stop_token());
  if (!answer) return answer.error();
  Result<json> doc = ParseAnswer("GetQueueAttributes", queue_url_, *answer);
  if (!doc) return doc.error();
  const json attributes = doc->value("Attributes", json::object());

  QueueStats stats;
  for (auto [field, name] : {std::pair{&stats.visible, "ApproximateNumberOfMessages"},
                             std::pair{&stats.in_flight, "ApproximateNumberOfMessagesNotVisible"},
                             std::pair{&stats.delayed, "ApproximateNumberOfMessagesDelayed"}}) {
    Result<int64_t> count = CountAttribute(attributes, name);
    if (!count) return count.error();
    *field = *count;
  }

  std::string redrive = StringMember(attributes, "RedrivePolicy");
  if (redrive.empty()) return stats;
  json policy = json::parse(redrive, nullptr, /*allow_exceptions=*/false);
  std::string target = policy.is_object() ? StringMember(policy, "deadLetterTargetArn") : "";
  if (target.empty()) {
    return InternalError("SQS queue " + queue_url_ +
                         " has a RedrivePolicy without deadLetterTargetArn: " + redrive);
  }
  Result<std::string> dead_letter_url = DeadLetterQueueUrl(target);
  if (!dead_letter_url) return dead_letter_url.error();

  // Messages someone is inspecting in the dead-letter queue are dead-lettered all the same.
  json dlq_request = {
      {"QueueUrl", *dead_letter_url},
      {"AttributeNames", {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}}};
  Result<std::string> dlq_answer =
      client_.Call("GetQueueAttributes", *dead_letter_url, dlq_request.dump(),
                   options_.request_timeout, std::stop_token());
  if (!dlq_answer) return dlq_answer.error().WithContext("dead-letter queue");
  Result<json> dlq_doc = ParseAnswer("GetQueueAttributes", *dead_letter_url, *dlq_answer);
  if (!dlq_doc) return dlq_doc.error();
  const json dlq_attributes = dlq_doc->value("Attributes", json::object());
  for (const char* name :
       {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}) {
    Result<int64_t> count = CountAttribute(dlq_attributes, name);
    if (!count) return count.error();
    stats.dead_lettered += *count;
  }
  return stats;
}

Result<std::string> SqsQueue::DeadLetterQueueUrl(const std::string& target_arn) {
  {
    std::lock_guard lock(dead_letter_mu_);
    if (dead_letter_arn_ == target_arn) return dead_letter_url_;
  }
  std::optional<std::pair<std::string, std::string>> parts = SplitQueueArn(target_arn);
  if (!parts) {
    return FailedPreconditionError(
        "the RedrivePolicy of " + queue_url_ +
        " names a dead-letter target that is not an SQS queue ARN: " + target_arn);
  }
  const auto& [account, name] = *parts;
  json request = {{"QueueName", name}};
  if (!account.empty()) request["QueueOwnerAWSAccountId"] = account;
  Result<std::string> answer = client_.Call("GetQueueUrl", name, request.dump(),
                                            options_.request_timeout, std::stop_token());
  if (!answer) return answer.error().WithContext("dead-letter queue " + target_arn);
  Result<json> doc = ParseAnswer("GetQueueUrl", name, *answer);
  if (!doc) return doc.error();
  std::string url = StringMember(*doc, "QueueUrl");
  if (url.empty()) {
    return InternalError("SQS GetQueueUrl for " + name + " answered no QueueUrl");
  }
  std::lock_guard lock(dead_letter_mu_);
  dead_letter_arn_ = target_arn;
  dead_letter_url_ = url;
  return url;
}

}  // namespace enhancer
