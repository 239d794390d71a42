#include "aws/aws_error.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

HttpResponse Response(int status, std::string body,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(ParseAwsErrorTest, ReadsEachProtocol) {
  AwsError sqs = ParseAwsError(Response(
      400,
      R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})",
      {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}}));
  EXPECT_EQ(sqs.code, "QueueDoesNotExist");
  EXPECT_EQ(sqs.query_code, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(sqs.message, "The specified queue does not exist.");
  EXPECT_EQ(sqs.ToString(), "HTTP 400 QueueDoesNotExist: The specified queue does not exist.");

  AwsError header_only = ParseAwsError(
      Response(400, "", {{"x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/"}}));
  EXPECT_EQ(header_only.code, "ThrottlingException");

  AwsError s3 = ParseAwsError(
      Response(503,
               "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Please reduce your "
               "request rate.</Message><RequestId>1</RequestId></Error>"));
  EXPECT_EQ(s3.code, "SlowDown");
  EXPECT_EQ(s3.message, "Please reduce your request rate.");

  AwsError query = ParseAwsError(
      Response(400,
               "<ErrorResponse><Error><Type>Sender</Type><Code>RequestThrottled</Code></Error>"
               "</ErrorResponse>"));
  EXPECT_EQ(query.code, "RequestThrottled");

  AwsError nothing = ParseAwsError(Response(502, "<html>Bad Gateway</html>"));
  EXPECT_EQ(nothing.code, "");
  EXPECT_EQ(nothing.ToString(), "HTTP 502");
}

TEST(ParseAwsErrorTest, CutsLongMessages) {
  AwsError e = ParseAwsError(
      Response(400, R"({"__type":"X","message":")" + std::string(5000, 'm') + R"("})"));
  EXPECT_EQ(e.message.size(), AwsError::kMaxMessageBytes);
}

TEST(AwsErrorTest, ThrottlingAndRetryableFollowTheSdks) {
  struct Case {
    int status;
    const char* code;
    const char* query_code;
    bool throttling, retryable;
  };
  for (Case c :
       {Case{429, "", "", true, true}, Case{400, "ThrottlingException", "", true, true},
        Case{400, "", "RequestThrottled", true, true}, Case{503, "SlowDown", "", true, true},
        Case{400, "RequestTimeout", "", false, true}, Case{500, "InternalError", "", false, true},
        Case{502, "", "", false, true}, Case{504, "", "", false, true},
        Case{501, "NotImplemented", "", false, false},
        Case{400, "QueueDoesNotExist", "", false, false},
        Case{403, "SignatureDoesNotMatch", "", false, false},
        Case{404, "NoSuchKey", "", false, false}}) {
    AwsError e{c.status, c.code, c.query_code, ""};
    EXPECT_EQ(IsThrottlingError(e), c.throttling) << e.ToString();
    EXPECT_EQ(IsRetryableError(e), c.retryable) << e.ToString();
  }
}

}  // namespace
}  // namespace enhancer
