#include "aws/credentials_json.h"

#include <gtest/gtest.h>

#include "core/status_matchers.h"

namespace enhancer {
namespace {

using std::chrono::seconds;

TEST(ParseIso8601Test, ReadsUtcOffsetsAndFractions) {
  TimePoint base = TimePoint(seconds(1440938160));  // 2015-08-30T12:36:00Z
  struct Case {
    const char* text;
    TimePoint want;
  };
  for (const Case& c :
       {Case{"2015-08-30T12:36:00Z", base}, Case{"2015-08-30t12:36:00z", base},
        Case{"2015-08-30T12:36:00.250Z", base + std::chrono::milliseconds(250)},
        Case{"2015-08-30T14:36:00+02:00", base}, Case{"2015-08-30T07:06:00-05:30", base}}) {
    ASSERT_OK_AND_ASSIGN(TimePoint t, ParseIso8601(c.text));
    EXPECT_EQ(t, c.want) << c.text;
  }
}

TEST(ParseIso8601Test, RefusesOtherShapes) {
  for (const char* text :
       {"", "2015-08-30", "2015-08-30 12:36:00Z", "2015-08-30T12:36:00", "2015-13-30T12:36:00Z",
        "2015-08-30T12:36:00.Z", "yesterday", "2015-08-30T12:36:00+0200"}) {
    SCOPED_TRACE(text);
    EXPECT_CODE(ParseIso8601(text), StatusCode::kInvalidArgument);
  }
}

TEST(ParseCredentialsJsonTest, ReadsTheDocument) {
  ASSERT_OK_AND_ASSIGN(
      AwsCredentials c,
      ParseCredentialsJson(R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAX",
          "SecretAccessKey":"s3cr3t","Token":"tok","Expiration":"2015-08-30T12:36:00Z"})",
                           "instance metadata"));
  EXPECT_EQ(c.access_key_id, "ASIAX");
  EXPECT_EQ(c.secret_access_key, "s3cr3t");
  EXPECT_EQ(c.session_token, "tok");
  ASSERT_TRUE(c.expiration.has_value());
  EXPECT_EQ(*c.expiration, TimePoint(seconds(1440938160)));
  EXPECT_EQ(c.source, "instance metadata");
}

TEST(ParseCredentialsJsonTest, ReportsWhatIsMissingWithoutValues) {
  EXPECT_CODE(ParseCredentialsJson("<html>proxy</html>", "container"), StatusCode::kUnavailable);
  Result<AwsCredentials> no_secret =
      ParseCredentialsJson(R"({"AccessKeyId":"ASIAX","Token":"secret-token"})", "container");
  EXPECT_CODE(no_secret, StatusCode::kUnavailable);
  EXPECT_NE(no_secret.error().message().find("SecretAccessKey"), std::string::npos);
  EXPECT_EQ(no_secret.error().message().find("secret-token"), std::string::npos);
  EXPECT_CODE(ParseCredentialsJson(R"({"Code":"Failure","AccessKeyId":"a","SecretAccessKey":"b"})",
                                   "instance metadata"),
              StatusCode::kUnavailable);
  EXPECT_CODE(ParseCredentialsJson(
                  R"({"AccessKeyId":"a","SecretAccessKey":"b","Expiration":"soon"})", "container"),
              StatusCode::kUnavailable);
}

}  // namespace
}  // namespace enhancer
