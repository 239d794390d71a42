#include "store/s3_addressing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace enhancer {
namespace {

struct Case {
  std::string name;
  std::string endpoint;
  bool force_path_style;
  std::string bucket;
  std::string prefix;
  // Expected:
  bool path_style;
  std::string object_url;  // of key "products/1/a-b_c.jpg"
  std::string bucket_url;
};

TEST(S3AddressingTest, UrlsForEachKindOfEndpoint) {
  const std::vector<Case> kCases = {
      {"aws default is virtual-hosted", "", false, "images", "", false,
       "https://images.s3.eu-west-1.amazonaws.com/products/1/a-b_c.jpg",
       "https://images.s3.eu-west-1.amazonaws.com/"},
      {"aws with prefix", "", false, "images", "enhancer", false,
       "https://images.s3.eu-west-1.amazonaws.com/enhancer/products/1/a-b_c.jpg",
       "https://images.s3.eu-west-1.amazonaws.com/"},
      {"aws forced path style", "", true, "images", "enhancer/", true,
       "https://s3.eu-west-1.amazonaws.com/images/enhancer/products/1/a-b_c.jpg",
       "https://s3.eu-west-1.amazonaws.com/images"},
      {"dotted bucket over https", "", false, "images.example.com", "", true,
       "https://s3.eu-west-1.amazonaws.com/images.example.com/products/1/a-b_c.jpg",
       "https://s3.eu-west-1.amazonaws.com/images.example.com"},
      {"loopback address is path style", "http://127.0.0.1:4568", false, "bucket", "p/", true,
       "http://127.0.0.1:4568/bucket/p/products/1/a-b_c.jpg", "http://127.0.0.1:4568/bucket"},
      {"trailing slash on the endpoint", "http://127.0.0.1:4568/", false, "bucket", "", true,
       "http://127.0.0.1:4568/bucket/products/1/a-b_c.jpg", "http://127.0.0.1:4568/bucket"},
      {"localhost is path style", "http://localhost:9000", false, "bucket", "", true,
       "http://localhost:9000/bucket/products/1/a-b_c.jpg", "http://localhost:9000/bucket"},
      {"ipv6 literal is path style", "http://[::1]:9000", false, "bucket", "", true,
       "http://[::1]:9000/bucket/products/1/a-b_c.jpg", "http://[::1]:9000/bucket"},
      {"other address is path style", "http://10.1.2.3:9000", false, "bucket", "", true,
       "http://10.1.2.3:9000/bucket/products/1/a-b_c.jpg", "http://10.1.2.3:9000/bucket"},
      {"named endpoint is virtual-hosted", "https://s3.example.com:8443", false, "bucket", "",
       false, "https://bucket.s3.example.com:8443/products/1/a-b_c.jpg",
       "https://bucket.s3.example.com:8443/"},
      {"named endpoint, forced path style", "https://s3.example.com", true, "bucket", "", true,
       "https://s3.example.com/bucket/products/1/a-b_c.jpg", "https://s3.example.com/bucket"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    S3StoreOptions options;
    options.bucket = c.bucket;
    options.region = "eu-west-1";
    options.endpoint = c.endpoint;
    options.force_path_style = c.force_path_style;
    options.prefix = c.prefix;
    Result<S3Addressing> addressing = S3Addressing::Make(options);
    ASSERT_TRUE(addressing.has_value()) << addressing.error().ToString();
    EXPECT_EQ(addressing->path_style(), c.path_style);
    EXPECT_EQ(addressing->ObjectUrl("products/1/a-b_c.jpg"), c.object_url);
    EXPECT_EQ(addressing->BucketUrl(), c.bucket_url);
  }
}

TEST(S3AddressingTest, ChinaRegionsUseTheirDomain) {
  S3StoreOptions options;
  options.bucket = "images";
  options.region = "cn-north-1";
  Result<S3Addressing> addressing = S3Addressing::Make(options);
  ASSERT_TRUE(addressing.has_value()) << addressing.error().ToString();
  EXPECT_EQ(addressing->ObjectUrl("a.jpg"), "https://images.s3.cn-north-1.amazonaws.com.cn/a.jpg");
}

TEST(S3AddressingTest, KeysArePrefixedWithOneSlashAndEncodedPerSegment) {
  S3StoreOptions options;
  options.bucket = "bucket";
  options.region = "us-east-1";
  options.endpoint = "http://127.0.0.1:4568";
  options.prefix = "enhancer//";
  Result<S3Addressing> addressing = S3Addressing::Make(options);
  ASSERT_TRUE(addressing.has_value()) << addressing.error().ToString();
  EXPECT_EQ(addressing->FullKey("a/b.jpg"), "enhancer/a/b.jpg");
  // Valid keys need no escapes, but the URL is built for any bytes: slashes stay, the rest is
  // encoded as the signer expects (no double encoding: the S3 signer signs the path as sent).
  EXPECT_EQ(addressing->ObjectUrl("a b/c+d~e.jpg"),
            "http://127.0.0.1:4568/bucket/enhancer/a%20b/c%2Bd~e.jpg");
}

TEST(S3AddressingTest, DescribeNamesBucketPrefixAndEndpointOnly) {
  S3StoreOptions options;
  options.bucket = "images";
  options.region = "eu-west-1";
  options.prefix = "enhancer";
  Result<S3Addressing> aws = S3Addressing::Make(options);
  ASSERT_TRUE(aws.has_value());
  EXPECT_EQ(aws->Describe(), "s3://images/enhancer/ at https://s3.eu-west-1.amazonaws.com");

  options.endpoint = "http://127.0.0.1:4568/";
  options.prefix = "";
  Result<S3Addressing> local = S3Addressing::Make(options);
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->Describe(), "s3://images/ at http://127.0.0.1:4568");
}

TEST(S3AddressingTest, InvalidOptionsAreRefused) {
  S3StoreOptions options;
  options.bucket = "Not_A_Bucket";
  options.region = "eu-west-1";
  Result<S3Addressing> addressing = S3Addressing::Make(options);
  ASSERT_FALSE(addressing.has_value());
  EXPECT_EQ(addressing.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(addressing.error().field(), "bucket");
}

}  // namespace
}  // namespace enhancer
