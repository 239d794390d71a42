#include "plan/gemini_error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

namespace enhancer {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxMessageBytes = 400;
constexpr size_t kMaxExcerptBytes = 200;
constexpr std::string_view kTypePrefix = "type.googleapis.com/google.rpc.";

// One line, bounded: error messages end up in logs and in the product's recorded error. Redact
// before cutting, or half a key could survive the cut.
std::string OneLine(std::string_view text, size_t max_bytes) {
  std::string line;
  line.reserve(std::min(text.size(), max_bytes + 4));
  for (char c : text) {
    if (line.size() > max_bytes) break;
    unsigned char u = static_cast<unsigned char>(c);
    line += (u < 0x20 || u == 0x7F) ? ' ' : c;
  }
  if (line.size() > max_bytes) {
    size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) --end;
    line.resize(end);
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

std::string StringAt(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void ReadDetail(const Json& detail, GeminiError& error) {
  if (!detail.is_object()) return;
  const std::string type = StringAt(detail, "@type");
  if (type.rfind(kTypePrefix, 0) != 0) return;
  const std::string_view kind = std::string_view(type).substr(kTypePrefix.size());
  if (kind == "RetryInfo") {
    error.retry_delay = ParseProtoDuration(StringAt(detail, "retryDelay"));
  } else if (kind == "ErrorInfo") {
    error.reason = StringAt(detail, "reason");
  } else if (kind == "QuotaFailure") {
    auto violations = detail.find("violations");
    if (violations == detail.end() || !violations->is_array()) return;
    for (const Json& v : *violations) {
      if (v.is_object() && StringAt(v, "quotaId").find("PerDay") != std::string::npos) {
        error.daily_quota = true;
      }
    }
  }
}

}  // namespace

bool GeminiError::Retryable() const {
  if (http_status == 429) return !daily_quota;
  return http_status == 408 || (http_status >= 500 && http_status <= 599);
}

std::string GeminiError::Describe() const {
  std::string text = "HTTP " + std::to_string(http_status);
  if (!status.empty()) text += " " + status;
  if (!message.empty()) text += ": " + message;
  return text;
}

GeminiError ParseGeminiError(int http_status, std::string_view body, std::string_view api_key) {
  GeminiError error;
  error.http_status = http_status;
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  // Some front ends wrap the error in a one-element array.
  if (json.is_array() && json.size() == 1) json = json[0];
  const Json* inner = nullptr;
  if (json.is_object()) {
    auto it = json.find("error");
    if (it != json.end() && it->is_object()) inner = &*it;
  }
  if (inner == nullptr) {
    // Not Google's format (a proxy's page, an empty body): keep a short excerpt to go on.
    error.message = OneLine(RedactSecret(std::string(body), api_key), kMaxExcerptBytes);
    return error;
  }
  error.status = StringAt(*inner, "status");
  error.message = OneLine(RedactSecret(StringAt(*inner, "message"), api_key), kMaxMessageBytes);
  auto details = inner->find("details");
  if (details != inner->end() && details->is_array()) {
    for (const Json& detail : *details) ReadDetail(detail, error);
  }
  return error;
}

Status GeminiErrorStatus(const GeminiError& error, std::string_view what) {
  const std::string text = std::string(what) + ": " + error.Describe();
  const int s = error.http_status;
  if (s == 429) {
    if (error.daily_quota) {
      return ResourceExhaustedError(std::string(what) +
                                    ": the daily Gemini quota is used up; it resets at midnight "
                                    "Pacific time (" +
                                    error.Describe() + ")");
    }
    return ResourceExhaustedError(text);
  }
  if (s >= 500 || s == 408) return UnavailableError(text);
  if (s == 401 || s == 403 || error.status == "FAILED_PRECONDITION" ||
      error.status == "PERMISSION_DENIED" || error.status == "UNAUTHENTICATED" ||
      error.reason == "API_KEY_INVALID") {
    return FailedPreconditionError(text);
  }
  if (s == 404) return NotFoundError(text);
  return InvalidArgumentError(text);
}

std::optional<std::chrono::milliseconds> ParseProtoDuration(std::string_view text) {
  if (text.size() < 2 || text.back() != 's') return std::nullopt;
  text.remove_suffix(1);
  int64_t whole = 0;
  size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    if (whole > 1'000'000'000) return std::nullopt;  // more than 30 years: nonsense
    whole = whole * 10 + (text[i] - '0');
  }
  if (i == 0) return std::nullopt;
  int64_t millis = whole * 1000;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    ++i;
    if (i == text.size()) return std::nullopt;
    int64_t scale = 100;
    for (; i < text.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      millis += (text[i] - '0') * scale;
      scale /= 10;
    }
  }
  return std::chrono::milliseconds(millis);
}

std::string RedactSecret(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  constexpr std::string_view kRedacted = "[redacted]";
  for (size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kRedacted.size())) {
    text.replace(at, secret.size(), kRedacted);
  }
  return text;
}

}  // namespace enhancer
