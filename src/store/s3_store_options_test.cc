#include "store/s3_store_options.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace enhancer {
namespace {

S3StoreOptions Valid() {
  S3StoreOptions options;
  options.bucket = "product-images";
  options.region = "eu-west-1";
  return options;
}

TEST(S3StoreOptionsTest, DefaultsWithABucketAndRegionAreValid) {
  S3StoreOptions options = Valid();
  Status status = options.Validate();
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(options.presign_expiry, std::chrono::seconds(3600));
  EXPECT_EQ(options.cache_control, "public, max-age=31536000, immutable");
  EXPECT_FALSE(options.force_path_style);
  EXPECT_FALSE(options.content_md5);
}

TEST(S3StoreOptionsTest, EachBadOptionIsInvalidArgumentNamingIt) {
  struct Case {
    std::string field;
    std::function<void(S3StoreOptions&)> change;
  };
  const std::vector<Case> kCases = {
      {"bucket", [](S3StoreOptions& o) { o.bucket = ""; }},
      {"bucket", [](S3StoreOptions& o) { o.bucket = "ab"; }},
      {"bucket", [](S3StoreOptions& o) { o.bucket = std::string(64, 'b'); }},
      {"bucket", [](S3StoreOptions& o) { o.bucket = "Upper"; }},
      {"bucket", [](S3StoreOptions& o) { o.bucket = "under_score"; }},
      {"bucket", [](S3StoreOptions& o) { o.bucket = "-leading"; }},
      {"bucket", [](S3StoreOptions& o) { o.bucket = "trailing."; }},
      {"bucket", [](S3StoreOptions& o) { o.bucket = "two..dots"; }},
      {"bucket", [](S3StoreOptions& o) { o.bucket = "192.168.5.4"; }},
      {"bucket", [](S3StoreOptions& o) { o.bucket = "a/b"; }},
      {"region", [](S3StoreOptions& o) { o.region = ""; }},
      {"region", [](S3StoreOptions& o) { o.region = "eu west 1"; }},
      {"endpoint", [](S3StoreOptions& o) { o.endpoint = "127.0.0.1:9000"; }},
      {"endpoint", [](S3StoreOptions& o) { o.endpoint = "ftp://files.example"; }},
      {"endpoint", [](S3StoreOptions& o) { o.endpoint = "http://127.0.0.1:9000/bucket"; }},
      {"endpoint", [](S3StoreOptions& o) { o.endpoint = "http://127.0.0.1:9000/?x=1"; }},
      {"prefix", [](S3StoreOptions& o) { o.prefix = "/enhancer"; }},
      {"prefix", [](S3StoreOptions& o) { o.prefix = "a//b/"; }},
      {"prefix", [](S3StoreOptions& o) { o.prefix = "../up/"; }},
      {"prefix", [](S3StoreOptions& o) { o.prefix = "with space/"; }},
      {"public_base_url", [](S3StoreOptions& o) { o.public_base_url = "cdn.example"; }},
      {"public_base_url", [](S3StoreOptions& o) { o.public_base_url = "https://cdn.example/?v=1"; }},
      {"presign_expiry", [](S3StoreOptions& o) { o.presign_expiry = std::chrono::seconds(0); }},
      {"presign_expiry",
       [](S3StoreOptions& o) { o.presign_expiry = std::chrono::seconds(7 * 24 * 3600 + 1); }},
      {"cache_control", [](S3StoreOptions& o) { o.cache_control = "max-age=1\r\nX-Evil: 1"; }},
      {"request_timeout",
       [](S3StoreOptions& o) { o.request_timeout = std::chrono::milliseconds(0); }},
  };
  for (const Case& c : kCases) {
    S3StoreOptions options = Valid();
    c.change(options);
    Status status = options.Validate();
    SCOPED_TRACE(c.field + ": " + status.ToString());
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.field(), c.field);
    EXPECT_TRUE(status.message().starts_with(c.field + ": "));
  }
}

TEST(S3StoreOptionsTest, AcceptedEdgeValues) {
  const std::vector<std::function<void(S3StoreOptions&)>> kChanges = {
      [](S3StoreOptions& o) { o.bucket = "abc"; },
      [](S3StoreOptions& o) { o.bucket = std::string(63, 'b'); },
      [](S3StoreOptions& o) { o.bucket = "my.dotted-bucket.1"; },
      [](S3StoreOptions& o) { o.endpoint = "http://127.0.0.1:9000/"; },
      [](S3StoreOptions& o) { o.endpoint = "https://s3.example.com"; },
      [](S3StoreOptions& o) { o.prefix = "enhancer/"; },
      [](S3StoreOptions& o) { o.prefix = "a/b.c/d_e-f//"; },
      [](S3StoreOptions& o) { o.public_base_url = "https://cdn.example/images/"; },
      [](S3StoreOptions& o) { o.presign_expiry = std::chrono::seconds(1); },
      [](S3StoreOptions& o) { o.presign_expiry = std::chrono::seconds(7 * 24 * 3600); },
      [](S3StoreOptions& o) { o.cache_control = ""; },
  };
  for (size_t i = 0; i < kChanges.size(); ++i) {
    S3StoreOptions options = Valid();
    kChanges[i](options);
    Status status = options.Validate();
    EXPECT_TRUE(status.ok()) << "change " << i << ": " << status.ToString();
  }
}

TEST(S3StoreOptionsTest, ThePrefixEndsInExactlyOneSlash) {
  const std::vector<std::pair<std::string, std::string>> kCases = {
      {"", ""},
      {"/", ""},
      {"enhancer", "enhancer/"},
      {"enhancer/", "enhancer/"},
      {"enhancer///", "enhancer/"},
      {"a/b", "a/b/"},
  };
  for (const auto& [prefix, normalized] : kCases) {
    S3StoreOptions options = Valid();
    options.prefix = prefix;
    EXPECT_EQ(options.NormalizedPrefix(), normalized) << "prefix \"" << prefix << "\"";
  }
}

}  // namespace
}  // namespace enhancer
