#include "aws/container_credentials_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "aws/credentials_chain.h"
#include "aws/test_temp_dir.h"
#include "net/loopback_http_server.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kToken[] = "container-auth-token";
constexpr char kSecret[] = "container-secret-key";

std::string IsoTime(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The container agent: checks the Authorization header, hands out numbered credentials that
// expire an hour after the test's fake clock.
class ContainerEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().Get(
        "/v2/credentials/abc", [this](const httplib::Request& req, httplib::Response& res) {
          ++requests_;
          if (status_override_ != 0) {
            res.status = status_override_;
            return;
          }
          if (req.get_header_value("Authorization") != kToken) {
            res.status = 401;
            return;
          }
          int n = ++issued_;
          res.set_content(R"({"AccessKeyId":"ASIACONTAINER)" + std::to_string(n) +
                              R"(","SecretAccessKey":")" + kSecret + R"(","Token":"session-)" +
                              std::to_string(n) + R"(","Expiration":")" +
                              IsoTime(clock_.Now() + minutes(60)) + R"("})",
                          "application/json");
        });
    server_.Start();
  }
  void TearDown() override {
    http_.reset();
    server_.Stop();
  }

  AwsEnvironment Env() const {
    return {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server_.url() + "/v2/credentials/abc"},
            {"AWS_CONTAINER_AUTHORIZATION_TOKEN", kToken},
            {"AWS_EC2_METADATA_DISABLED", "true"}};
  }

  FakeClock clock_;
  LoopbackHttpServer server_;
  std::unique_ptr<HttpClient> http_ = MakeCurlHttpClient();
  std::atomic<int> requests_{0};
  std::atomic<int> issued_{0};
  std::atomic<int> status_override_{0};
};

TEST_F(ContainerEndpointTest, FetchesWithTheAuthorizationToken) {
  ContainerCredentialsProvider provider(Env(), *http_);
  ASSERT_OK_AND_ASSIGN(AwsCredentials c, provider.Get({}));
  EXPECT_EQ(c.access_key_id, "ASIACONTAINER1");
  EXPECT_EQ(c.secret_access_key, kSecret);
  EXPECT_EQ(c.session_token, "session-1");
  EXPECT_EQ(c.source, "container");
  ASSERT_TRUE(c.expiration.has_value());
  EXPECT_EQ(*c.expiration, std::chrono::time_point_cast<seconds>(clock_.Now() + minutes(60)));
}

TEST_F(ContainerEndpointTest, TokenFileWinsAndIsReadEachTime) {
  TestTempDir dir;
  AwsEnvironment env = Env();
  env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "stale-token";
  env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = dir.Write("token", std::string(kToken) + "\n");
  ContainerCredentialsProvider provider(env, *http_);
  EXPECT_OK(provider.Get({}));
  dir.Write("token", "rotated-to-something-else");
  EXPECT_CODE(provider.Get({}), StatusCode::kFailedPrecondition);  // the server says 401
}

TEST_F(ContainerEndpointTest, AnswersBecomeCodes) {
  AwsEnvironment wrong_token = Env();
  wrong_token["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong";
  Result<AwsCredentials> unauthorized = ContainerCredentialsProvider(wrong_token, *http_).Get({});
  EXPECT_CODE(unauthorized, StatusCode::kFailedPrecondition);
  if (!unauthorized) {
    EXPECT_NE(unauthorized.error().message().find("401"), std::string::npos);
    EXPECT_EQ(unauthorized.error().message().find("wrong"), std::string::npos);  // no token
  }
  status_override_ = 500;
  EXPECT_CODE(ContainerCredentialsProvider(Env(), *http_).Get({}), StatusCode::kUnavailable);
}

TEST_F(ContainerEndpointTest, ChainRefreshesBeforeExpiryWithoutSleeping) {
  std::unique_ptr<CredentialsProvider> chain = MakeDefaultCredentialsChain(Env(), *http_, clock_);
  ASSERT_OK_AND_ASSIGN(AwsCredentials first, chain->Get({}));
  EXPECT_EQ(first.access_key_id, "ASIACONTAINER1");

  clock_.Advance(minutes(54));
  ASSERT_OK_AND_ASSIGN(AwsCredentials cached, chain->Get({}));
  EXPECT_EQ(cached.access_key_id, "ASIACONTAINER1");
  EXPECT_EQ(requests_.load(), 1);

  clock_.Advance(minutes(1) + seconds(1));  // 4 min 59 s before expiry
  ASSERT_OK_AND_ASSIGN(AwsCredentials refreshed, chain->Get({}));
  EXPECT_EQ(refreshed.access_key_id, "ASIACONTAINER2");
  EXPECT_EQ(requests_.load(), 2);
  EXPECT_LT(clock_.Now(), *first.expiration);  // refreshed while the old keys still worked
}

// A client that records the request and answers with a fixed document: for URLs the test cannot
// serve (the ECS agent's link-local address).
class RecordingHttpClient final : public HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest& request, std::stop_token) override {
    std::lock_guard lock(mu);
    requests.push_back(request);
    HttpResponse response;
    response.status = 200;
    response.body = R"({"AccessKeyId":"ASIAREL","SecretAccessKey":"s","Token":"t"})";
    return response;
  }
  std::mutex mu;
  std::vector<HttpRequest> requests;
};

TEST(ContainerCredentialsProviderTest, RelativeUriGoesToTheEcsAgent) {
  RecordingHttpClient http;
  ContainerCredentialsProvider provider(
      {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/guid"},
       {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/ignored"}},
      http);
  ASSERT_OK_AND_ASSIGN(AwsCredentials c, provider.Get({}));
  EXPECT_EQ(c.access_key_id, "ASIAREL");
  ASSERT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(http.requests[0].url, "http://169.254.170.2/v2/credentials/guid");
  EXPECT_EQ(http.requests[0].method, "GET");
}

TEST(ContainerCredentialsProviderTest, RefusesUnsafeOrBrokenConfiguration) {
  RecordingHttpClient http;
  EXPECT_CODE(ContainerCredentialsProvider({}, http).Get({}), StatusCode::kNotFound);
  for (const char* uri : {"http://example.com/creds", "http://10.0.0.5/creds", "not a url"}) {
    SCOPED_TRACE(uri);
    EXPECT_CODE(
        ContainerCredentialsProvider({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}}, http).Get({}),
        StatusCode::kFailedPrecondition);
  }
  EXPECT_CODE(
      ContainerCredentialsProvider({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/c"},
                                    {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nX: y"}},
                                   http)
          .Get({}),
      StatusCode::kFailedPrecondition);
  EXPECT_CODE(ContainerCredentialsProvider(
                  {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/c"},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/nonexistent/token"}},
                  http)
                  .Get({}),
              StatusCode::kFailedPrecondition);
  EXPECT_TRUE(http.requests.empty());
  // https, loopback and the container agents' addresses are allowed.
  for (const char* uri : {"https://creds.example.com/c", "http://localhost:1/c", "http://[::1]:1/c",
                          "http://169.254.170.23/v1/credentials"}) {
    SCOPED_TRACE(uri);
    EXPECT_OK(
        ContainerCredentialsProvider({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}}, http).Get({}));
  }
}

}  // namespace
}  // namespace enhancer
