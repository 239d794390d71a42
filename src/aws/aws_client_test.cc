#include "aws/aws_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <vector>

#include "net/loopback_http_server.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;

constexpr char kSecret[] = "client-test-secret";

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

// What the sleep function was asked to wait, instead of waiting.
struct RecordedSleeps {
  std::mutex mu;
  std::vector<milliseconds> delays;
  SleepFunction Function() {
    return [this](milliseconds delay, std::stop_token) {
      std::lock_guard lock(mu);
      delays.push_back(delay);
      return true;
    };
  }
};

// An SQS-like endpoint whose answers the test scripts: the first `failures` requests get
// `failure_status` with `failure_body`, the rest 200.
class AwsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().Post("/", [this](const httplib::Request& req, httplib::Response& res) {
      int n = ++requests_;
      {
        std::lock_guard lock(mu_);
        authorizations_.push_back(req.get_header_value("Authorization"));
        dates_.push_back(req.get_header_value("X-Amz-Date"));
        tokens_.push_back(req.get_header_value("X-Amz-Security-Token"));
      }
      if (n <= failures_) {
        res.status = failure_status_;
        res.set_content(failure_body_, "application/x-amz-json-1.0");
        return;
      }
      res.set_content(R"({"QueueUrl":"ok"})", "application/x-amz-json-1.0");
    });
    server_.Start();
  }
  void TearDown() override {
    http_.reset();
    server_.Stop();
  }

  HttpRequest SqsRequest() const {
    HttpRequest request;
    request.method = "POST";
    request.url = server_.url() + "/";
    request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                       {"X-Amz-Target", "AmazonSQS.GetQueueUrl"}};
    request.body = R"({"QueueName":"photos"})";
    return request;
  }

  AwsClient Client(AwsRetryPolicy policy = {}) {
    return AwsClient(*http_, credentials_, SigV4Options::ForService("sqs", "eu-west-1"), policy,
                     clock_, sleeps_.Function());
  }

  LoopbackHttpServer server_;
  std::unique_ptr<HttpClient> http_ = MakeCurlHttpClient();
  FakeClock clock_;
  StaticCredentialsProvider credentials_{
      AwsCredentials{"ASIACLIENT", kSecret, "session-token", std::nullopt, "test"}};
  RecordedSleeps sleeps_;
  std::atomic<int> requests_{0};
  int failures_ = 0;
  int failure_status_ = 500;
  std::string failure_body_;
  std::mutex mu_;
  std::vector<std::string> authorizations_, dates_, tokens_;  // guarded by mu_
};

TEST_F(AwsClientTest, SignsTheRequest) {
  AwsClient client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client.Send(SqsRequest(), {}));
  EXPECT_EQ(response.status, 200);
  std::lock_guard lock(mu_);
  ASSERT_EQ(authorizations_.size(), 1u);
  EXPECT_TRUE(authorizations_[0].starts_with(
      "AWS4-HMAC-SHA256 Credential=ASIACLIENT/20231114/eu-west-1/sqs/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
      "Signature="))
      << authorizations_[0];
  EXPECT_EQ(dates_[0], "20231114T221320Z");  // FakeClock's default start
  EXPECT_EQ(tokens_[0], "session-token");
}

TEST_F(AwsClientTest, ThrottledTwiceThenOk) {
  failures_ = 2;
  failure_status_ = 400;
  failure_body_ = R"({"__type":"com.amazonaws.sqs#ThrottlingException","message":"Rate exceeded"})";
  AwsRetryPolicy policy;
  AwsClient client = Client(policy);
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client.Send(SqsRequest(), {}));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(requests_.load(), 3);
  std::lock_guard lock(sleeps_.mu);
  ASSERT_EQ(sleeps_.delays.size(), 2u);
  EXPECT_LE(sleeps_.delays[0], policy.Ceiling(1, /*throttled=*/true));
  EXPECT_LE(sleeps_.delays[1], policy.Ceiling(2, /*throttled=*/true));
  EXPECT_GE(sleeps_.delays[1], milliseconds(0));
}

TEST_F(AwsClientTest, EachAttemptIsSignedAgain) {
  failures_ = 1;
  failure_status_ = 503;
  failure_body_ = "<Error><Code>SlowDown</Code></Error>";
  // The clock moves between attempts as the real one would while backing off.
  SleepFunction sleep = [this](milliseconds, std::stop_token) {
    clock_.Advance(std::chrono::seconds(2));
    return true;
  };
  AwsClient moving(*http_, credentials_, SigV4Options::ForService("sqs", "eu-west-1"), {}, clock_,
                   sleep);
  ASSERT_OK(moving.Send(SqsRequest(), {}));
  std::lock_guard lock(mu_);
  ASSERT_EQ(dates_.size(), 2u);
  EXPECT_NE(dates_[0], dates_[1]);
  EXPECT_NE(authorizations_[0], authorizations_[1]);
}

TEST_F(AwsClientTest, AlwaysFiveHundredIsUnavailableAfterTheLastAttempt) {
  failures_ = 1000;
  failure_status_ = 500;
  failure_body_ = R"({"__type":"InternalError","message":"We encountered an internal error."})";
  AwsRetryPolicy policy;
  policy.max_attempts = 4;
  AwsClient client = Client(policy);
  Result<HttpResponse> result = client.Send(SqsRequest(), {});
  EXPECT_CODE(result, StatusCode::kUnavailable);
  EXPECT_EQ(requests_.load(), 4);
  std::lock_guard lock(sleeps_.mu);
  EXPECT_EQ(sleeps_.delays.size(), 3u);
  if (!result) {
    const std::string message = result.error().message();
    EXPECT_NE(message.find("after 4 attempts"), std::string::npos) << message;
    EXPECT_NE(message.find("HTTP 500 InternalError"), std::string::npos) << message;
    EXPECT_EQ(message.find(kSecret), std::string::npos);
    EXPECT_EQ(message.find("session-token"), std::string::npos);
  }
}

TEST_F(AwsClientTest, AlwaysThrottledIsResourceExhausted) {
  failures_ = 1000;
  failure_status_ = 429;
  AwsClient client = Client();
  EXPECT_CODE(client.Send(SqsRequest(), {}), StatusCode::kResourceExhausted);
  EXPECT_EQ(requests_.load(), 3);
}

TEST_F(AwsClientTest, ClientErrorsAreReturnedAtOnce) {
  failures_ = 1000;
  failure_status_ = 400;
  failure_body_ = R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"nope"})";
  AwsClient client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client.Send(SqsRequest(), {}));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(requests_.load(), 1);
  std::lock_guard lock(sleeps_.mu);
  EXPECT_TRUE(sleeps_.delays.empty());
}

TEST_F(AwsClientTest, StopDuringBackoffCancels) {
  failures_ = 1000;
  std::stop_source stop;
  SleepFunction sleep = [&](milliseconds delay, std::stop_token token) {
    stop.request_stop();
    return InterruptibleSleep(delay + std::chrono::hours(1), token);  // returns at once
  };
  AwsClient client(*http_, credentials_, SigV4Options::ForService("sqs", "eu-west-1"), {}, clock_,
                   sleep);
  EXPECT_CODE(client.Send(SqsRequest(), stop.get_token()), StatusCode::kCancelled);
  EXPECT_EQ(requests_.load(), 1);
}

TEST_F(AwsClientTest, CredentialErrorsComeThrough) {
  class Failing final : public CredentialsProvider {
   public:
    Result<AwsCredentials> Get(std::stop_token) override {
      return FailedPreconditionError("no AWS credentials found");
    }
  } failing;
  AwsClient client(*http_, failing, SigV4Options::ForService("sqs", "eu-west-1"), {}, clock_,
                   sleeps_.Function());
  EXPECT_CODE(client.Send(SqsRequest(), {}), StatusCode::kFailedPrecondition);
  EXPECT_EQ(requests_.load(), 0);
}

TEST_F(AwsClientTest, PresignsWithCurrentCredentials) {
  AwsClient client(*http_, credentials_, SigV4Options::ForService("s3", "eu-west-1"), {}, clock_,
                   sleeps_.Function());
  HttpRequest request;
  request.url = server_.url() + "/bucket/photo.jpg";
  ASSERT_OK_AND_ASSIGN(std::string url, client.Presign(request, std::chrono::minutes(15), {}));
  EXPECT_TRUE(url.starts_with(server_.url() + "/bucket/photo.jpg?X-Amz-Algorithm=")) << url;
  EXPECT_NE(url.find("X-Amz-Expires=900"), std::string::npos);
  EXPECT_NE(url.find("X-Amz-Security-Token=session-token"), std::string::npos);
}

TEST(AwsClientTransportTest, RetriesConnectionFailuresThenReportsUnavailable) {
  std::unique_ptr<HttpClient> http = MakeCurlHttpClient();
  StaticCredentialsProvider credentials(AwsCredentials{"AKIA", kSecret, "", std::nullopt, "t"});
  RecordedSleeps sleeps;
  FakeClock clock;
  AwsClient client(*http, credentials, SigV4Options::ForService("sqs", "eu-west-1"), {}, clock,
                   sleeps.Function());
  HttpRequest request;
  request.method = "POST";
  request.url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/";
  EXPECT_CODE(client.Send(request, {}), StatusCode::kUnavailable);
  EXPECT_EQ(sleeps.delays.size(), 2u);
}

TEST(AwsRetryPolicyTest, CeilingDoublesUpToTheCap) {
  AwsRetryPolicy policy;
  EXPECT_EQ(policy.Ceiling(1, false), milliseconds(100));
  EXPECT_EQ(policy.Ceiling(2, false), milliseconds(200));
  EXPECT_EQ(policy.Ceiling(4, false), milliseconds(800));
  EXPECT_EQ(policy.Ceiling(1, true), milliseconds(500));
  EXPECT_EQ(policy.Ceiling(3, true), milliseconds(2000));
  EXPECT_EQ(policy.Ceiling(20, true), policy.max_delay);
  EXPECT_EQ(policy.Ceiling(1000, false), policy.max_delay);
}

TEST(InterruptibleSleepTest, EndsAtOnceWhenStopped) {
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(InterruptibleSleep(std::chrono::hours(1), stop.get_token()));
  EXPECT_TRUE(InterruptibleSleep(milliseconds(1), std::stop_token()));
}

}  // namespace
}  // namespace enhancer
