#include "aws/imds_credentials_provider.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>

#include "aws/credentials_chain.h"
#include "net/loopback_http_server.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kRole[] = "enhancer-worker-role";
constexpr char kSecret[] = "imds-secret-key";

std::string IsoTime(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A port on 127.0.0.1 where nothing listens: bound, then released.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// An IMDSv2 service: tokens only through PUT with a TTL header; every read must carry a live
// token; credentials expire an hour after the test's fake clock.
class ImdsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& s = server_.server();
    s.Put("/latest/api/token", [this](const httplib::Request& req, httplib::Response& res) {
      ++token_requests_;
      if (token_status_ != 0) {
        res.status = token_status_;
        return;
      }
      if (req.get_header_value("X-aws-ec2-metadata-token-ttl-seconds") != "21600") {
        res.status = 400;
        return;
      }
      std::lock_guard lock(mu_);
      std::string token = "token-" + std::to_string(token_requests_.load());
      live_tokens_.insert(token);
      res.set_content(token, "text/plain");
    });
    auto authorized = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (!live_tokens_.contains(req.get_header_value("X-aws-ec2-metadata-token"))) {
        res.status = 401;
        return false;
      }
      return true;
    };
    s.Get("/latest/meta-data/iam/security-credentials/",
          [this, authorized](const httplib::Request& req, httplib::Response& res) {
            if (!authorized(req, res)) return;
            if (!role_attached_) {
              res.status = 404;
              return;
            }
            res.set_content(std::string(kRole) + "\n", "text/plain");
          });
    s.Get(std::string("/latest/meta-data/iam/security-credentials/") + kRole,
          [this, authorized](const httplib::Request& req, httplib::Response& res) {
            if (!authorized(req, res)) return;
            int n = ++issued_;
            res.set_content(R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS)" +
                                std::to_string(n) + R"(","SecretAccessKey":")" + kSecret +
                                R"(","Token":"session","Expiration":")" +
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
    return {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server_.url() + "/"}};
  }
  void RevokeTokens() {
    std::lock_guard lock(mu_);
    live_tokens_.clear();
  }

  FakeClock clock_;
  LoopbackHttpServer server_;
  std::unique_ptr<HttpClient> http_ = MakeCurlHttpClient();
  std::mutex mu_;
  std::set<std::string> live_tokens_;  // guarded by mu_
  std::atomic<int> token_requests_{0};
  std::atomic<int> issued_{0};
  std::atomic<int> token_status_{0};
  std::atomic<bool> role_attached_{true};
};

TEST_F(ImdsServerTest, FetchesRoleCredentialsWithASessionToken) {
  ImdsCredentialsProvider provider(Env(), *http_, clock_);
  ASSERT_OK_AND_ASSIGN(AwsCredentials c, provider.Get({}));
  EXPECT_EQ(c.access_key_id, "ASIAIMDS1");
  EXPECT_EQ(c.secret_access_key, kSecret);
  EXPECT_EQ(c.session_token, "session");
  EXPECT_EQ(c.source, std::string("instance metadata (role ") + kRole + ")");
  ASSERT_TRUE(c.expiration.has_value());

  ASSERT_OK(provider.Get({}));
  EXPECT_EQ(token_requests_.load(), 1);  // the token is reused
  clock_.Advance(std::chrono::hours(6));
  ASSERT_OK(provider.Get({}));
  EXPECT_EQ(token_requests_.load(), 2);  // and replaced when its TTL runs out
}

TEST_F(ImdsServerTest, GetsANewTokenWhenTheOldOneIsRefused) {
  ImdsCredentialsProvider provider(Env(), *http_, clock_);
  ASSERT_OK(provider.Get({}));
  RevokeTokens();
  ASSERT_OK_AND_ASSIGN(AwsCredentials c, provider.Get({}));
  EXPECT_EQ(c.access_key_id, "ASIAIMDS2");
  EXPECT_EQ(token_requests_.load(), 2);
}

TEST_F(ImdsServerTest, NoRoleOrTokensRefusedIsNotFound) {
  role_attached_ = false;
  EXPECT_CODE(ImdsCredentialsProvider(Env(), *http_, clock_).Get({}), StatusCode::kNotFound);
  token_status_ = 403;
  EXPECT_CODE(ImdsCredentialsProvider(Env(), *http_, clock_).Get({}), StatusCode::kNotFound);
  token_status_ = 500;
  EXPECT_CODE(ImdsCredentialsProvider(Env(), *http_, clock_).Get({}), StatusCode::kUnavailable);
  token_status_ = 405;  // no IMDSv2: refused rather than falling back to IMDSv1
  EXPECT_CODE(ImdsCredentialsProvider(Env(), *http_, clock_).Get({}),
              StatusCode::kFailedPrecondition);
}

TEST_F(ImdsServerTest, DisabledMeansNoRequestAtAll) {
  AwsEnvironment env = Env();
  env["AWS_EC2_METADATA_DISABLED"] = "True";
  EXPECT_CODE(ImdsCredentialsProvider(env, *http_, clock_).Get({}), StatusCode::kNotFound);
  EXPECT_EQ(token_requests_.load(), 0);
}

TEST_F(ImdsServerTest, ChainRefreshesBeforeExpiryWithoutSleeping) {
  std::unique_ptr<CredentialsProvider> chain = MakeDefaultCredentialsChain(Env(), *http_, clock_);
  ASSERT_OK_AND_ASSIGN(AwsCredentials first, chain->Get({}));
  EXPECT_EQ(first.access_key_id, "ASIAIMDS1");
  clock_.Advance(minutes(50));
  ASSERT_OK_AND_ASSIGN(AwsCredentials cached, chain->Get({}));
  EXPECT_EQ(cached.access_key_id, "ASIAIMDS1");
  clock_.Advance(minutes(6));  // 4 minutes before expiry
  ASSERT_OK_AND_ASSIGN(AwsCredentials refreshed, chain->Get({}));
  EXPECT_EQ(refreshed.access_key_id, "ASIAIMDS2");
  EXPECT_LT(clock_.Now(), *first.expiration);
  EXPECT_EQ(issued_.load(), 2);
}

TEST_F(ImdsServerTest, ErrorsNeverCarryTheSecret) {
  std::unique_ptr<CredentialsProvider> chain = MakeDefaultCredentialsChain(Env(), *http_, clock_);
  ASSERT_OK(chain->Get({}));
  clock_.Advance(minutes(61));  // expired, and the service now fails
  token_status_ = 500;
  RevokeTokens();
  Result<AwsCredentials> failed = chain->Get({});
  EXPECT_CODE(failed, StatusCode::kUnavailable);
  if (!failed) {
    EXPECT_EQ(failed.error().message().find(kSecret), std::string::npos);
  }
}

// Answers every request with one scripted result, recording the URLs: for the default
// link-local endpoints, which a test must not touch.
class ScriptedHttpClient final : public HttpClient {
 public:
  explicit ScriptedHttpClient(Status error) : error_(std::move(error)) {}
  Result<HttpResponse> Send(const HttpRequest& request, std::stop_token) override {
    std::lock_guard lock(mu_);
    urls.push_back(request.url);
    return error_;
  }
  std::vector<std::string> urls;

 private:
  std::mutex mu_;
  Status error_;
};

TEST(ImdsCredentialsProviderTest, NoAnswerAtTheDefaultEndpointIsNotFound) {
  ScriptedHttpClient http(DeadlineExceededError("connect timed out"));
  FakeClock clock;
  EXPECT_CODE(ImdsCredentialsProvider({}, http, clock).Get({}), StatusCode::kNotFound);
  EXPECT_CODE(
      ImdsCredentialsProvider({{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"}}, http, clock)
          .Get({}),
      StatusCode::kNotFound);
  ASSERT_EQ(http.urls.size(), 2u);
  EXPECT_EQ(http.urls[0], "http://169.254.169.254/latest/api/token");
  EXPECT_EQ(http.urls[1], "http://[fd00:ec2::254]/latest/api/token");
}

TEST(ImdsCredentialsProviderTest, NoAnswerAtAConfiguredEndpointIsUnavailable) {
  std::unique_ptr<HttpClient> http = MakeCurlHttpClient();
  FakeClock clock;
  ImdsCredentialsProvider provider(
      {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + std::to_string(ClosedPort())}},
      *http, clock);
  EXPECT_CODE(provider.Get({}), StatusCode::kUnavailable);
}

TEST(ImdsCredentialsProviderTest, CancelledIsPassedOn) {
  ScriptedHttpClient http(CancelledError("stop"));
  FakeClock clock;
  EXPECT_CODE(ImdsCredentialsProvider({}, http, clock).Get({}), StatusCode::kCancelled);
}

}  // namespace
}  // namespace enhancer
