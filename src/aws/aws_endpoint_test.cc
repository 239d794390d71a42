#include "aws/aws_endpoint.h"

#include <gtest/gtest.h>

#include "core/status_matchers.h"

namespace enhancer {
namespace {

TEST(ResolveEndpointTest, ServiceVariableThenGeneralThenAws) {
  struct Case {
    const char* service;
    AwsEnvironment env;
    const char* region;
    const char* want;
  };
  for (const Case& c : {
           Case{"sqs", {}, "eu-west-1", "https://sqs.eu-west-1.amazonaws.com"},
           Case{"s3", {}, "eu-west-1", "https://s3.eu-west-1.amazonaws.com"},
           Case{"s3", {}, "cn-north-1", "https://s3.cn-north-1.amazonaws.com.cn"},
           Case{"sqs",
                {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566/"}},
                "eu-west-1",
                "http://127.0.0.1:4566"},
           Case{"sqs",
                {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
                 {"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324"}},
                "eu-west-1",
                "http://127.0.0.1:9324"},
           Case{"s3",
                {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
                 {"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324"}},
                "eu-west-1",
                "http://127.0.0.1:4566"},
           Case{"s3",
                {{"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4568"}},
                "",
                "http://127.0.0.1:4568"},
           Case{"sqs",
                {{"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324"},
                 {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}},
                "eu-west-1",
                "https://sqs.eu-west-1.amazonaws.com"},
       }) {
    ASSERT_OK_AND_ASSIGN(std::string endpoint, ResolveEndpoint(c.service, c.env, c.region));
    EXPECT_EQ(endpoint, c.want);
  }
}

TEST(ResolveEndpointTest, ErrorsNameTheVariable) {
  Result<std::string> bad = ResolveEndpoint("s3", {{"AWS_ENDPOINT_URL_S3", "localhost:4568"}}, "x");
  EXPECT_CODE(bad, StatusCode::kInvalidArgument);
  if (!bad) {
    EXPECT_NE(bad.error().message().find("AWS_ENDPOINT_URL_S3"), std::string::npos);
  }
  Result<std::string> no_region = ResolveEndpoint("sqs", {}, "");
  EXPECT_CODE(no_region, StatusCode::kFailedPrecondition);
  if (!no_region) {
    EXPECT_NE(no_region.error().message().find("AWS_REGION"), std::string::npos);
  }
}

}  // namespace
}  // namespace enhancer
