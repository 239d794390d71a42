// S3ObjectStore against a scripted S3 on 127.0.0.1 (cpp-httplib): the shape of each request,
// the error mapping, retries of throttling, and PublicUrl. The real servers are in
// s3_object_store_s3rver_test.cc.
#include "store/s3_object_store.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "net/loopback_http_server.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;

constexpr char kAccessKeyId[] = "AKIDS3STORETEST";
constexpr char kSecret[] = "s3-store-test-secret-do-not-print";

struct Recorded {
  std::string method;
  std::string target;  // path and query as sent
  httplib::Headers headers;
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct Answer {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

Answer XmlError(int status, const std::string& code) {
  return {status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
                      "</Code><Message>scripted " + code + "</Message></Error>",
          {}};
}

class FailingCredentials final : public CredentialsProvider {
 public:
  Result<AwsCredentials> Get(std::stop_token) override {
    return FailedPreconditionError("no credentials: set AWS_ACCESS_KEY_ID (scripted)");
  }
};

// The server answers from a script (then 200 with an empty body) and records every request.
class S3ObjectStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      Answer answer;
      {
        std::lock_guard lock(mu_);
        requests_.push_back({req.method, req.target, req.headers, req.body});
        if (!script_.empty()) {
          answer = script_.front();
          script_.pop_front();
        }
      }
      res.status = answer.status;
      for (const auto& [name, value] : answer.headers) res.set_header(name, value);
      if (!answer.body.empty()) res.set_content(answer.body, "application/xml");
    };
    server_.server().Get(".*", handler);
    server_.server().Put(".*", handler);
    server_.server().Delete(".*", handler);
    server_.Start();
  }
  void TearDown() override {
    http_.reset();
    server_.Stop();
  }

  S3StoreOptions Options() const {
    S3StoreOptions options;
    options.bucket = "bucket";
    options.region = "us-east-1";
    options.endpoint = server_.url();
    options.prefix = "enhancer/";
    return options;
  }

  std::unique_ptr<S3ObjectStore> Open(const S3StoreOptions& options) {
    Result<std::unique_ptr<S3ObjectStore>> store =
        S3ObjectStore::Open(options, *http_, credentials_, clock_, Sleeps());
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store.has_value() ? *std::move(store) : nullptr;
  }
  std::unique_ptr<S3ObjectStore> Open() { return Open(Options()); }

  // Records the waits between retries instead of waiting.
  SleepFunction Sleeps() {
    return [this](milliseconds delay, std::stop_token) {
      std::lock_guard lock(mu_);
      sleeps_.push_back(delay);
      return true;
    };
  }
  void Script(std::vector<Answer> answers) {
    std::lock_guard lock(mu_);
    script_.assign(answers.begin(), answers.end());
  }
  std::vector<Recorded> Requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

  LoopbackHttpServer server_;
  std::unique_ptr<HttpClient> http_ = MakeCurlHttpClient();
  StaticCredentialsProvider credentials_{
      AwsCredentials{kAccessKeyId, kSecret, "", std::nullopt, "test"}};
  FakeClock clock_{TimePoint(std::chrono::seconds(1'700'000'000))};  // 2023-11-14T22:13:20Z

  std::mutex mu_;
  std::deque<Answer> script_;
  std::vector<Recorded> requests_;
  std::vector<milliseconds> sleeps_;
};

TEST_F(S3ObjectStoreTest, PutSendsASignedPathStyleRequestWithItsHeaders) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Put("products/7/a-b_c.jpg", "jpeg bytes", "image/jpeg"));

  std::vector<Recorded> requests = Requests();
  ASSERT_EQ(requests.size(), 1u);
  const Recorded& put = requests[0];
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.target, "/bucket/enhancer/products/7/a-b_c.jpg");
  EXPECT_EQ(put.body, "jpeg bytes");
  EXPECT_EQ(put.Header("Content-Type"), "image/jpeg");
  EXPECT_EQ(put.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(put.Header("x-amz-content-sha256"), Sha256Hex("jpeg bytes"));
  EXPECT_EQ(put.Header("X-Amz-Date"), "20231114T221320Z");
  EXPECT_EQ(put.Header("Content-MD5"), "");
  const std::string authorization = put.Header("Authorization");
  EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDS3STORETEST/20231114/"
                                        "us-east-1/s3/aws4_request, SignedHeaders=cache-control;"
                                        "content-type;host;x-amz-content-sha256;x-amz-date, "
                                        "Signature="))
      << authorization;
}

TEST_F(S3ObjectStoreTest, PutWithoutAContentTypeSendsOctetStreamAndOptionalHeadersFollowOptions) {
  S3StoreOptions options = Options();
  options.cache_control = "";
  options.content_md5 = true;
  auto store = Open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Put("a.bin", "hello", ""));
  ASSERT_OK(store->Put("empty.bin", "", "text/plain"));

  std::vector<Recorded> requests = Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/octet-stream");
  EXPECT_FALSE(requests[0].headers.contains("Cache-Control"));
  EXPECT_EQ(requests[0].Header("Content-MD5"), "XUFAKrxLKna5cZ2REBfFkg==");  // MD5("hello")
  EXPECT_EQ(requests[1].Header("Content-MD5"), "1B2M2Y8AsgTpgAmY7PhCfg==");  // MD5("")
  EXPECT_EQ(requests[1].Header("Content-Length"), "0");
  EXPECT_NE(requests[1].Header("Authorization").find("content-md5;"), std::string::npos);
}

TEST_F(S3ObjectStoreTest, SlowDownTwiceThenSuccessIsOk) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Script({XmlError(503, "SlowDown"), XmlError(503, "SlowDown")});
  ASSERT_OK(store->Put("a.jpg", "bytes", "image/jpeg"));

  std::vector<Recorded> requests = Requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const Recorded& r : requests) EXPECT_EQ(r.body, "bytes");
  std::lock_guard lock(mu_);
  ASSERT_EQ(sleeps_.size(), 2u);
  // Throttling backs off from the larger base (AwsRetryPolicy::throttled_base_delay).
  EXPECT_LE(sleeps_[0], milliseconds(500));
  EXPECT_LE(sleeps_[1], milliseconds(1000));
}

TEST_F(S3ObjectStoreTest, ThrottledOnEveryAttemptIsResourceExhausted) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Script({XmlError(503, "SlowDown"), XmlError(503, "SlowDown"), XmlError(503, "SlowDown")});
  Result<std::string> got = store->Get("a.jpg");
  EXPECT_CODE(got, StatusCode::kResourceExhausted);
  EXPECT_NE(got.error().message().find("SlowDown"), std::string::npos) << got.error().message();
  EXPECT_EQ(Requests().size(), 3u);
}

TEST_F(S3ObjectStoreTest, ObjectErrorsMapToTheContractsCodes) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Script({XmlError(404, "NoSuchKey"), XmlError(404, "NoSuchKey"), XmlError(404, "NoSuchBucket"),
          XmlError(404, "NoSuchBucket")});
  EXPECT_CODE(store->Get("missing.jpg"), StatusCode::kNotFound);
  EXPECT_OK(store->Delete("missing.jpg"));
  EXPECT_CODE(store->Get("a.jpg"), StatusCode::kFailedPrecondition);
  EXPECT_CODE(store->Delete("a.jpg"), StatusCode::kFailedPrecondition);
}

TEST_F(S3ObjectStoreTest, GetReturnsTheBodyAndDeleteSendsDelete) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Script({{200, "stored bytes", {}}, {204, "", {}}});
  Result<std::string> got = store->Get("d/x.jpg");
  ASSERT_OK(got);
  EXPECT_EQ(*got, "stored bytes");
  ASSERT_OK(store->Delete("d/x.jpg"));
  std::vector<Recorded> requests = Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/bucket/enhancer/d/x.jpg");
  EXPECT_EQ(requests[1].method, "DELETE");
  EXPECT_EQ(requests[1].target, "/bucket/enhancer/d/x.jpg");
}

TEST_F(S3ObjectStoreTest, InvalidKeysSendNothing) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_CODE(store->Put("../x", "x", "text/plain"), StatusCode::kInvalidArgument);
  EXPECT_CODE(store->Get("a b"), StatusCode::kInvalidArgument);
  EXPECT_CODE(store->Delete("/abs"), StatusCode::kInvalidArgument);
  EXPECT_CODE(store->Head("a//b"), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Requests().empty());
}

TEST_F(S3ObjectStoreTest, CheckBucketAccessListsOneKeyUnderThePrefix) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Script({{200, "<ListBucketResult></ListBucketResult>", {}}});
  ASSERT_OK(store->CheckBucketAccess({}));
  std::vector<Recorded> requests = Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  // No slash after the bucket: s3rver's signature check fails on "/bucket/".
  EXPECT_EQ(requests[0].target, "/bucket?list-type=2&max-keys=1&prefix=enhancer%2F");
}

TEST_F(S3ObjectStoreTest, CheckBucketAccessSaysWhatToFix) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  struct Case {
    Answer answer;
    StatusCode code;
    std::string says;
  };
  const std::vector<Case> kCases = {
      {XmlError(404, "NoSuchBucket"), StatusCode::kNotFound, "bucket \"bucket\" does not exist"},
      {XmlError(403, "SignatureDoesNotMatch"), StatusCode::kFailedPrecondition,
       "secret access key paired with access key id AKIDS3STORETEST is wrong"},
      {XmlError(403, "InvalidAccessKeyId"), StatusCode::kFailedPrecondition,
       "S3 does not know access key id AKIDS3STORETEST"},
      {XmlError(403, "AccessDenied"), StatusCode::kFailedPrecondition,
       "s3:PutObject, s3:GetObject and s3:DeleteObject on arn:aws:s3:::bucket/enhancer/*"},
  };
  for (const Case& c : kCases) {
    Script({c.answer});
    Status status = store->CheckBucketAccess({});
    SCOPED_TRACE(status.ToString());
    EXPECT_EQ(status.code(), c.code);
    EXPECT_NE(status.message().find(c.says), std::string::npos);
    EXPECT_EQ(status.message().find(kSecret), std::string::npos);
  }
}

TEST_F(S3ObjectStoreTest, CheckBucketAccessOfAClosedPortIsUnavailable) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  server_.Stop();
  S3StoreOptions options = Options();
  options.retry.max_attempts = 1;
  auto unreachable = Open(options);
  ASSERT_NE(unreachable, nullptr);
  EXPECT_CODE(unreachable->CheckBucketAccess({}), StatusCode::kUnavailable);
}

TEST_F(S3ObjectStoreTest, HeadReadsSizeAndStoredHeaders) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Script({{200,
           "",
           {{"Content-Length", "1234"},
            {"Content-Type", "image/jpeg"},
            {"Cache-Control", "public, max-age=31536000, immutable"},
            {"ETag", "\"abc\""}}},
          {404, "", {}}});
  Result<S3ObjectHead> head = store->Head("a.jpg");
  ASSERT_OK(head);
  EXPECT_EQ(head->size, 1234u);
  EXPECT_EQ(head->content_type, "image/jpeg");
  EXPECT_EQ(head->cache_control, "public, max-age=31536000, immutable");
  EXPECT_EQ(head->etag, "\"abc\"");
  EXPECT_CODE(store->Head("missing.jpg"), StatusCode::kNotFound);
  std::vector<Recorded> requests = Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "HEAD");
}

TEST_F(S3ObjectStoreTest, PublicUrlIsPresignedLocally) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::string url = store->PublicUrl("products/7/a.jpg");
  EXPECT_TRUE(url.starts_with(server_.url() + "/bucket/enhancer/products/7/a.jpg?"
                              "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDS3STORETEST"
                              "%2F20231114%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date="
                              "20231114T221320Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&"
                              "X-Amz-Signature="))
      << url;
  EXPECT_EQ(url.find(kSecret), std::string::npos);
  EXPECT_TRUE(Requests().empty()) << "PublicUrl must not send a request";
}

TEST_F(S3ObjectStoreTest, PublicUrlUsesThePublicBaseWhenSet) {
  S3StoreOptions options = Options();
  options.public_base_url = "https://cdn.example/images/";
  auto store = Open(options);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->PublicUrl("products/7/a.jpg"),
            "https://cdn.example/images/enhancer/products/7/a.jpg");
}

TEST_F(S3ObjectStoreTest, PublicUrlWithoutCredentialsIsTheUnsignedUrl) {
  FailingCredentials none;
  Result<std::unique_ptr<S3ObjectStore>> store =
      S3ObjectStore::Open(Options(), *http_, none, clock_, Sleeps());
  ASSERT_OK(store);
  EXPECT_EQ((*store)->PublicUrl("a.jpg"), server_.url() + "/bucket/enhancer/a.jpg");
}

TEST_F(S3ObjectStoreTest, DescribeNamesBucketPrefixAndEndpoint) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Describe(), "s3://bucket/enhancer/ at " + server_.url());
}

TEST_F(S3ObjectStoreTest, OpenRefusesBadOptionsAndTheSeamFactoryWorks) {
  S3StoreOptions options = Options();
  options.bucket = "";
  Result<std::unique_ptr<ObjectStore>> bad = OpenS3ObjectStore(options, *http_, credentials_);
  EXPECT_CODE(bad, StatusCode::kInvalidArgument);
  Result<std::unique_ptr<ObjectStore>> good = OpenS3ObjectStore(Options(), *http_, credentials_);
  ASSERT_OK(good);
  EXPECT_EQ((*good)->Describe(), "s3://bucket/enhancer/ at " + server_.url());
}

}  // namespace
}  // namespace enhancer
