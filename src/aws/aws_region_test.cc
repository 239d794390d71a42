#include "aws/aws_region.h"

#include <gtest/gtest.h>

#include "aws/test_temp_dir.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

TEST(RegionFromQueueUrlTest, ReadsTheRegionOfAwsQueueUrls) {
  struct Case {
    const char* url;
    const char* region;
  };
  for (Case c :
       {Case{"https://sqs.eu-west-1.amazonaws.com/123/q", "eu-west-1"},
        Case{"https://sqs.us-east-1.amazonaws.com/123456789012/photos.fifo", "us-east-1"},
        Case{"https://SQS.AP-SOUTHEAST-2.amazonaws.com/1/q", "ap-southeast-2"},
        Case{"https://sqs.cn-north-1.amazonaws.com.cn/123/q", "cn-north-1"},
        Case{"https://sqs-fips.us-gov-west-1.amazonaws.com/1/q", "us-gov-west-1"},
        Case{"https://eu-west-1.queue.amazonaws.com/123/q", "eu-west-1"},
        Case{"https://queue.amazonaws.com/123/q", "us-east-1"},
        Case{"https://vpce-0a1b-c2d3.sqs.eu-central-1.vpce.amazonaws.com/1/q", "eu-central-1"},
        Case{"http://sqs.eu-west-1.amazonaws.com:80/123/q", "eu-west-1"}}) {
    ASSERT_OK_AND_ASSIGN(std::string region, RegionFromQueueUrl(c.url));
    EXPECT_EQ(region, c.region) << c.url;
  }
}

TEST(RegionFromQueueUrlTest, RefusesUrlsWithoutARegion) {
  for (const char* url :
       {"", "http://127.0.0.1:9324/000000000000/q",
        "http://sqs.eu-west-1.localhost:4566/000000000000/q", "https://sqs.amazonaws.com/1/q",
        "https://sqs.eu-west-1.example.com/1/q", "https://s3.eu-west-1.amazonaws.com/bucket",
        "https://sqs.notaregion.amazonaws.com/1/q"}) {
    SCOPED_TRACE(url);
    Result<std::string> region = RegionFromQueueUrl(url);
    EXPECT_CODE(region, StatusCode::kInvalidArgument);
    if (!region) {
      EXPECT_NE(region.error().message().find("AWS_REGION"), std::string::npos);
    }
  }
}

TEST(LooksLikeRegionTest, Shapes) {
  for (const char* yes : {"eu-west-1", "us-gov-west-1", "ap-southeast-4", "cn-north-1"}) {
    EXPECT_TRUE(LooksLikeRegion(yes)) << yes;
  }
  for (const char* no : {"", "eu", "eu-west", "eu-west-x", "EU-west-1", "eu--1", "localhost"}) {
    EXPECT_FALSE(LooksLikeRegion(no)) << no;
  }
}

TEST(ResolveRegionTest, EnvironmentThenProfile) {
  TestTempDir dir;
  dir.Write(".aws/config", "[default]\nregion = eu-north-1\n[profile dev]\nregion = us-west-2\n");
  std::string home = dir.path().string();
  struct Case {
    AwsEnvironment env;
    const char* want;
  };
  for (const Case& c : {
           Case{{{"HOME", home}, {"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-east-1"}},
                "eu-west-1"},
           Case{{{"HOME", home}, {"AWS_DEFAULT_REGION", "us-east-1"}}, "us-east-1"},
           Case{{{"HOME", home}}, "eu-north-1"},
           Case{{{"HOME", home}, {"AWS_PROFILE", "dev"}}, "us-west-2"},
       }) {
    ASSERT_OK_AND_ASSIGN(std::string region, ResolveRegion(c.env));
    EXPECT_EQ(region, c.want);
  }
  TestTempDir empty;
  Result<std::string> none = ResolveRegion({{"HOME", empty.path().string()}});
  EXPECT_CODE(none, StatusCode::kNotFound);
  if (!none) {
    EXPECT_NE(none.error().message().find("AWS_REGION"), std::string::npos);
  }
}

}  // namespace
}  // namespace enhancer
