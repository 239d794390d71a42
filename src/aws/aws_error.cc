#include "aws/aws_error.h"

#include <nlohmann/json.hpp>
#include <string_view>

namespace enhancer {
namespace {

constexpr std::string_view kThrottlingCodes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "AWS.SimpleQueueService.RequestThrottled",
};

constexpr std::string_view kTransientCodes[] = {
    "RequestTimeout",  "RequestTimeoutException", "InternalError",
    "InternalFailure", "ServiceUnavailable",      "InternalServerError",
};

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view code) {
  if (code.empty()) return false;
  for (std::string_view item : list) {
    if (item == code) return true;
  }
  return false;
}

std::string Cut(std::string s) {
  if (s.size() > AwsError::kMaxMessageBytes) s.resize(AwsError::kMaxMessageBytes);
  return s;
}

// "com.amazonaws.sqs#QueueDoesNotExist" -> "QueueDoesNotExist";
// "ThrottlingException:http://internal.amazon.com/" -> "ThrottlingException".
std::string ShortCode(std::string_view code) {
  if (size_t hash = code.rfind('#'); hash != std::string_view::npos) code = code.substr(hash + 1);
  if (size_t colon = code.find(':'); colon != std::string_view::npos) code = code.substr(0, colon);
  return std::string(code);
}

// The text of the first <tag>...</tag>, or "".
std::string XmlElement(std::string_view xml, std::string_view tag) {
  std::string open = "<" + std::string(tag) + ">";
  std::string close = "</" + std::string(tag) + ">";
  size_t start = xml.find(open);
  if (start == std::string_view::npos) return "";
  start += open.size();
  size_t end = xml.find(close, start);
  if (end == std::string_view::npos) return "";
  return std::string(xml.substr(start, end - start));
}

}  // namespace

std::string AwsError::ToString() const {
  std::string out = "HTTP " + std::to_string(http_status);
  if (!code.empty()) out += " " + code;
  if (!message.empty()) out += ": " + message;
  return out;
}

AwsError ParseAwsError(const HttpResponse& response) {
  AwsError out;
  out.http_status = response.status;
  std::string query_error = response.Header("x-amzn-query-error");
  out.query_code = query_error.substr(0, query_error.find(';'));

  nlohmann::json doc = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) {
    for (const char* key : {"__type", "code", "Code"}) {
      if (auto it = doc.find(key); it != doc.end() && it->is_string()) {
        out.code = ShortCode(it->get<std::string>());
        break;
      }
    }
    for (const char* key : {"message", "Message"}) {
      if (auto it = doc.find(key); it != doc.end() && it->is_string()) {
        out.message = Cut(it->get<std::string>());
        break;
      }
    }
  }
  if (out.code.empty()) out.code = ShortCode(response.Header("x-amzn-errortype"));
  if (out.code.empty()) out.code = XmlElement(response.body, "Code");
  if (out.message.empty()) out.message = Cut(XmlElement(response.body, "Message"));
  if (out.code.empty()) out.code = out.query_code;
  return out;
}

bool IsThrottlingError(const AwsError& error) {
  return error.http_status == 429 || Contains(kThrottlingCodes, error.code) ||
         Contains(kThrottlingCodes, error.query_code);
}

bool IsRetryableError(const AwsError& error) {
  switch (error.http_status) {
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      break;
  }
  return IsThrottlingError(error) || Contains(kTransientCodes, error.code);
}

}  // namespace enhancer
