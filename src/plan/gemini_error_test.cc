#include "plan/gemini_error.h"

#include <gtest/gtest.h>

#include <string>

namespace enhancer {
namespace {

using std::chrono::milliseconds;

constexpr char kKey[] = "AIzaSecretKey-123";

TEST(ParseProtoDurationTest, ReadsSecondsWithFractions) {
  struct Case {
    const char* text;
    std::optional<milliseconds> expected;
  };
  const Case cases[] = {
      {"17s", milliseconds(17000)},
      {"0.5s", milliseconds(500)},
      {"1.250s", milliseconds(1250)},
      {"0s", milliseconds(0)},
      {"2.0001s", milliseconds(2000)},
      {"", std::nullopt},
      {"s", std::nullopt},
      {"17", std::nullopt},
      {"-1s", std::nullopt},
      {"1.s", std::nullopt},
      {"1.5.0s", std::nullopt},
      {"abc", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ParseProtoDuration(c.text), c.expected) << c.text;
  }
}

TEST(ParseGeminiErrorTest, ReadsRetryInfoAndPerMinuteQuota) {
  const std::string body = R"({"error": {"code": 429, "message": "You exceeded your quota.",
    "status": "RESOURCE_EXHAUSTED", "details": [
      {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [
        {"quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
      {"@type": "type.googleapis.com/google.rpc.Help", "links": []},
      {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "26s"}]}})";
  GeminiError error = ParseGeminiError(429, body, kKey);
  EXPECT_EQ(error.http_status, 429);
  EXPECT_EQ(error.status, "RESOURCE_EXHAUSTED");
  EXPECT_EQ(error.message, "You exceeded your quota.");
  EXPECT_EQ(error.retry_delay, milliseconds(26000));
  EXPECT_FALSE(error.daily_quota);
  EXPECT_TRUE(error.Retryable());
  EXPECT_EQ(error.Describe(), "HTTP 429 RESOURCE_EXHAUSTED: You exceeded your quota.");
}

TEST(ParseGeminiErrorTest, PerDayQuotaIsNotRetryable) {
  const std::string body = R"({"error": {"code": 429, "message": "Quota exceeded.",
    "status": "RESOURCE_EXHAUSTED", "details": [
      {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [
        {"quotaId": "GenerateContentInputTokensPerModelPerMinute-FreeTier"},
        {"quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},
      {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "35s"}]}})";
  GeminiError error = ParseGeminiError(429, body, kKey);
  EXPECT_TRUE(error.daily_quota);
  EXPECT_FALSE(error.Retryable());
  Status status = GeminiErrorStatus(error, "Gemini generateContent");
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(status.message().find("daily Gemini quota is used up"), std::string::npos)
      << status.message();
}

TEST(ParseGeminiErrorTest, RedactsTheKeyGoogleQuotes) {
  const std::string body = std::string(R"({"error": {"code": 400,
    "message": "API key not valid. Please pass a valid API key. Key: )") +
                           kKey + R"(",
    "status": "INVALID_ARGUMENT", "details": [
      {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"},
      {"@type": "type.googleapis.com/google.rpc.DebugInfo", "detail": "Invalid API key: )" +
                           kKey + R"("}]}})";
  GeminiError error = ParseGeminiError(400, body, kKey);
  EXPECT_EQ(error.reason, "API_KEY_INVALID");
  EXPECT_EQ(error.message.find(kKey), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("[redacted]"), std::string::npos);
  Status status = GeminiErrorStatus(error, "Gemini generateContent");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message().find(kKey), std::string::npos);
}

TEST(ParseGeminiErrorTest, KeepsAnExcerptOfABodyInAnotherFormat) {
  GeminiError error = ParseGeminiError(
      502, std::string("<html>\n<b>Bad gateway</b> for ") + kKey + "</html>", kKey);
  EXPECT_EQ(error.status, "");
  EXPECT_EQ(error.message, "<html> <b>Bad gateway</b> for [redacted]</html>");
  EXPECT_TRUE(error.Retryable());
  EXPECT_EQ(GeminiErrorStatus(error, "x").code(), StatusCode::kUnavailable);
}

TEST(ParseGeminiErrorTest, ReadsAnErrorWrappedInAnArray) {
  GeminiError error = ParseGeminiError(
      503, R"([{"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}}])", kKey);
  EXPECT_EQ(error.status, "UNAVAILABLE");
  EXPECT_EQ(error.message, "overloaded");
}

TEST(ParseGeminiErrorTest, RedactsBeforeCuttingALongMessage) {
  // The key straddles the length limit: cutting first would leave half of it behind.
  const std::string message = std::string(390, 'x') + kKey + std::string(50, 'y');
  const std::string body =
      R"({"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": ")" + message + "\"}}";
  GeminiError error = ParseGeminiError(400, body, kKey);
  EXPECT_LE(error.message.size(), 400u);
  EXPECT_EQ(error.message.find("AIzaSecret"), std::string::npos) << error.message;
}

TEST(GeminiErrorStatusTest, MapsEachAnswerToTheCodeThatTellsTheWorkerWhatToDo) {
  struct Case {
    int http;
    const char* status;
    const char* reason;
    StatusCode expected;
    bool retryable;
  };
  const Case cases[] = {
      {400, "INVALID_ARGUMENT", "", StatusCode::kInvalidArgument, false},
      {400, "FAILED_PRECONDITION", "", StatusCode::kFailedPrecondition, false},
      {400, "INVALID_ARGUMENT", "API_KEY_INVALID", StatusCode::kFailedPrecondition, false},
      {401, "UNAUTHENTICATED", "", StatusCode::kFailedPrecondition, false},
      {403, "PERMISSION_DENIED", "", StatusCode::kFailedPrecondition, false},
      {404, "NOT_FOUND", "", StatusCode::kNotFound, false},
      {413, "", "", StatusCode::kInvalidArgument, false},
      {408, "", "", StatusCode::kUnavailable, true},
      {429, "RESOURCE_EXHAUSTED", "", StatusCode::kResourceExhausted, true},
      {500, "INTERNAL", "", StatusCode::kUnavailable, true},
      {503, "UNAVAILABLE", "", StatusCode::kUnavailable, true},
      {504, "DEADLINE_EXCEEDED", "", StatusCode::kUnavailable, true},
  };
  for (const Case& c : cases) {
    GeminiError error;
    error.http_status = c.http;
    error.status = c.status;
    error.reason = c.reason;
    error.message = "m";
    EXPECT_EQ(GeminiErrorStatus(error, "Gemini").code(), c.expected) << c.http << " " << c.status;
    EXPECT_EQ(error.Retryable(), c.retryable) << c.http;
  }
}

TEST(RedactSecretTest, ReplacesEveryOccurrence) {
  EXPECT_EQ(RedactSecret("a KEY b KEYKEY", "KEY"), "a [redacted] b [redacted][redacted]");
  EXPECT_EQ(RedactSecret("nothing here", "KEY"), "nothing here");
  EXPECT_EQ(RedactSecret("empty secret", ""), "empty secret");
}

}  // namespace
}  // namespace enhancer
