// SqsQueue's requests and its reading of answers, against a scripted HttpClient (no network),
// and its retries against a cpp-httplib server on 127.0.0.1. The servers' own behaviour is
// tested on fauxqs and moto_server (sqs_fauxqs_test.cc, sqs_moto_test.cc).
#include "queue/sqs_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/status_matchers.h"
#include "net/loopback_http_server.h"

namespace enhancer {
namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kQueueUrl[] = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";
constexpr char kEndpoint[] = "http://127.0.0.1:9";  // never dialled: the client is scripted
constexpr char kSecret[] = "sqs-test-secret-do-not-print";
constexpr seconds kHangGuard{60};

AwsCredentials Credentials() {
  AwsCredentials c;
  c.access_key_id = "AKIDSQSTEST";
  c.secret_access_key = kSecret;
  c.source = "test";
  return c;
}

HttpResponse Answer(int status, std::string body,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

// Records every request and answers each with the next scripted function; the last one used
// answers every later request.
class ScriptedHttpClient final : public HttpClient {
 public:
  using Script = std::function<HttpResponse(const HttpRequest&)>;

  void Then(Script s) { scripts_.push_back(std::move(s)); }
  void ThenAnswer(int status, std::string body) {
    Then([=](const HttpRequest&) { return Answer(status, body); });
  }

  Result<HttpResponse> Send(const HttpRequest& request, std::stop_token) override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (!scripts_.empty()) {
      last_ = std::move(scripts_.front());
      scripts_.pop_front();
    }
    if (!last_) return Answer(200, "{}");
    return last_(request);
  }

  std::vector<HttpRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  // The JSON body of request `i`.
  json Body(size_t i) { return json::parse(requests().at(i).body); }
  std::string Header(size_t i, const std::string& name) {
    const std::vector<HttpRequest> all = requests();
    for (const auto& [n, v] : all.at(i).headers) {
      if (n == name) return v;
    }
    return "";
  }

 private:
  std::mutex mu_;
  std::deque<Script> scripts_;  // each used once, in order
  Script last_;                 // the last one used; it answers once the queue is empty
  std::vector<HttpRequest> requests_;
};

class SqsQueueTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqsQueue> Open(SqsQueueOptions options = {}) {
    if (options.queue_url.empty()) options.queue_url = kQueueUrl;
    if (options.endpoint.empty()) options.endpoint = kEndpoint;
    Result<std::unique_ptr<SqsQueue>> queue = OpenSqsQueue(options, http_, credentials_);
    EXPECT_TRUE(queue.has_value()) << queue.error().ToString();
    return queue ? std::move(*queue) : nullptr;
  }

  ScriptedHttpClient http_;
  StaticCredentialsProvider credentials_{Credentials()};
};

// ---- Options ----

TEST_F(SqsQueueTest, OptionsAreValidated) {
  struct Case {
    const char* what;
    std::function<void(SqsQueueOptions&)> spoil;
    const char* field;
  };
  const Case kCases[] = {
      {"no queue URL", [](SqsQueueOptions& o) { o.queue_url = ""; }, "queue_url"},
      {"not a URL", [](SqsQueueOptions& o) { o.queue_url = "jobs"; }, "queue_url"},
      {"no queue in the path",
       [](SqsQueueOptions& o) { o.queue_url = "https://sqs.eu-west-1.amazonaws.com/"; },
       "queue_url"},
      {"endpoint with a path",
       [](SqsQueueOptions& o) { o.endpoint = "http://127.0.0.1:4566/123/jobs"; }, "endpoint"},
      {"endpoint not http", [](SqsQueueOptions& o) { o.endpoint = "ftp://host"; }, "endpoint"},
      {"bad region", [](SqsQueueOptions& o) { o.region = "Europe"; }, "region"},
      {"no attempts", [](SqsQueueOptions& o) { o.retry.max_attempts = 0; }, "retry"},
      {"zero timeout", [](SqsQueueOptions& o) { o.request_timeout = milliseconds(0); },
       "request_timeout"},
      {"no grace", [](SqsQueueOptions& o) { o.long_poll_grace = seconds(0); }, "long_poll_grace"},
  };
  for (const Case& c : kCases) {
    SqsQueueOptions options;
    options.queue_url = kQueueUrl;
    c.spoil(options);
    Result<std::unique_ptr<SqsQueue>> queue = OpenSqsQueue(options, http_, credentials_);
    ASSERT_CODE(queue, StatusCode::kInvalidArgument) << c.what;
    EXPECT_EQ(queue.error().field(), c.field) << c.what;
  }
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(SqsQueueTest, AnAwsQueueUrlGivesTheEndpointAndRegion) {
  SqsQueueOptions options;
  options.queue_url = kQueueUrl;
  ASSERT_OK_AND_ASSIGN(auto queue, OpenSqsQueue(options, http_, credentials_));
  EXPECT_EQ(queue->endpoint(), "https://sqs.eu-west-1.amazonaws.com");
  EXPECT_EQ(queue->Describe(), kQueueUrl);
  ASSERT_OK(queue->CheckAccess({}));
  ASSERT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(http_.requests()[0].url, "https://sqs.eu-west-1.amazonaws.com/");
  EXPECT_NE(http_.Header(0, "Authorization").find("/eu-west-1/sqs/aws4_request"),
            std::string::npos);
}

TEST_F(SqsQueueTest, ALocalQueueUrlNeedsARegion) {
  SqsQueueOptions options;
  options.queue_url = "http://127.0.0.1:4566/000000000000/jobs";
  Result<std::unique_ptr<SqsQueue>> queue = OpenSqsQueue(options, http_, credentials_);
  ASSERT_CODE(queue, StatusCode::kInvalidArgument);
  EXPECT_NE(queue.error().message().find("AWS_REGION"), std::string::npos);
  options.region = "us-east-1";
  EXPECT_OK(OpenSqsQueue(options, http_, credentials_));
}

// ---- The wire ----

TEST_F(SqsQueueTest, ReceiveAsksForReceiveCountsBothWaysAndWaitsLongerThanThePoll) {
  http_.ThenAnswer(200, R"({"Messages":[{"MessageId":"m1","ReceiptHandle":"h1","Body":"123",
                           "Attributes":{"ApproximateReceiveCount":"4"}}]})");
  auto queue = Open();
  ASSERT_OK_AND_ASSIGN(auto messages, queue->Receive(7, seconds(20), seconds(45), {}));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].id, "m1");
  EXPECT_EQ(messages[0].receipt_handle, "h1");
  EXPECT_EQ(messages[0].body, "123");
  EXPECT_EQ(messages[0].receive_count, 4);

  ASSERT_EQ(http_.requests().size(), 1u);
  const HttpRequest request = http_.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, std::string(kEndpoint) + "/");  // not the queue URL's host
  EXPECT_EQ(http_.Header(0, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(http_.Header(0, "X-Amz-Target"), "AmazonSQS.ReceiveMessage");
  EXPECT_FALSE(http_.Header(0, "Authorization").empty());
  EXPECT_GE(request.timeout, milliseconds(seconds(20) + seconds(10)));
  json body = http_.Body(0);
  EXPECT_EQ(body["QueueUrl"], kQueueUrl);
  EXPECT_EQ(body["MaxNumberOfMessages"], 7);
  EXPECT_EQ(body["WaitTimeSeconds"], 20);
  EXPECT_EQ(body["VisibilityTimeout"], 45);
  EXPECT_EQ(body["AttributeNames"], json::array({"ApproximateReceiveCount"}));
  EXPECT_EQ(body["MessageSystemAttributeNames"], json::array({"ApproximateReceiveCount"}));
}

TEST_F(SqsQueueTest, AnEmptyReceiveIsNotAnError) {
  auto queue = Open();
  for (const char* answer : {"{}", R"({"Messages":[]})", ""}) {
    http_.ThenAnswer(200, answer);
    ASSERT_OK_AND_ASSIGN(auto messages, queue->Receive(1, seconds(0), seconds(30), {}));
    EXPECT_TRUE(messages.empty()) << answer;
  }
}

TEST_F(SqsQueueTest, ABrokenAnswerIsInternal) {
  auto queue = Open();
  http_.ThenAnswer(200, "<html>proxy error</html>");
  EXPECT_CODE(queue->Receive(1, seconds(0), seconds(30), {}), StatusCode::kInternal);
  http_.ThenAnswer(200, R"({"Messages":"no"})");
  EXPECT_CODE(queue->Receive(1, seconds(0), seconds(30), {}), StatusCode::kInternal);
  http_.ThenAnswer(200, R"({"Messages":[{"Body":"no id"}]})");
  EXPECT_CODE(queue->Receive(1, seconds(0), seconds(30), {}), StatusCode::kInternal);
}

TEST_F(SqsQueueTest, BadArgumentsSendNothing) {
  auto queue = Open();
  EXPECT_CODE(queue->Send(""), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue->Send(std::string(SqsQueue::kMaxBodyBytes + 1, 'x')),
              StatusCode::kInvalidArgument);
  EXPECT_CODE(queue->Send("\xc3"), StatusCode::kInvalidArgument);  // cut UTF-8
  EXPECT_CODE(queue->Send("1", seconds(901)), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue->Receive(0, seconds(0), seconds(30), {}), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue->Receive(1, seconds(21), seconds(30), {}), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue->Receive(1, seconds(0), seconds(43201), {}), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue->Delete(""), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue->ChangeVisibility("h", seconds(-1)), StatusCode::kInvalidArgument);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(SqsQueueTest, SendUsesSendMessageBatchAndReturnsTheId) {
  http_.Then([](const HttpRequest& r) {
    json body = json::parse(r.body);
    json id = body["Entries"][0]["Id"];
    return Answer(
        200, json{{"Successful", {{{"Id", id}, {"MessageId", "mid-1"}}}}, {"Failed", json::array()}}
                 .dump());
  });
  auto queue = Open();
  ASSERT_OK_AND_ASSIGN(std::string id, queue->Send("{\"product_id\": 42}", seconds(5)));
  EXPECT_EQ(id, "mid-1");
  EXPECT_EQ(http_.Header(0, "X-Amz-Target"), "AmazonSQS.SendMessageBatch");
  json entry = http_.Body(0)["Entries"][0];
  EXPECT_EQ(entry["MessageBody"], "{\"product_id\": 42}");
  EXPECT_EQ(entry["DelaySeconds"], 5);
}

// Batch calls answer 200 even when entries fail: each Failed[] entry is that entry's error.
TEST_F(SqsQueueTest, BatchesGoTenAtATimeAndMapEachFailedEntry) {
  http_.Then([](const HttpRequest& r) {
    json body = json::parse(r.body);
    json successful = json::array();
    json failed = json::array();
    for (const json& entry : body["Entries"]) {
      std::string handle = entry["ReceiptHandle"];
      if (handle == "h3") {
        failed.push_back({{"Id", entry["Id"]},
                          {"SenderFault", true},
                          {"Code", "ReceiptHandleIsInvalid"},
                          {"Message", "The input receipt handle is invalid."}});
      } else if (handle == "h12") {
        failed.push_back({{"Id", entry["Id"]},
                          {"SenderFault", false},
                          {"Code", "InternalError"},
                          {"Message", "try again"}});
      } else if (handle != "h20") {  // h20: the answer forgets it
        successful.push_back({{"Id", entry["Id"]}});
      }
    }
    return Answer(200, json{{"Successful", successful}, {"Failed", failed}}.dump());
  });
  auto queue = Open();
  std::vector<std::string> handles;
  for (int i = 0; i < 23; ++i) handles.push_back("h" + std::to_string(i));
  std::vector<Status> deleted = queue->DeleteBatch(handles);
  ASSERT_EQ(deleted.size(), 23u);
  for (int i = 0; i < 23; ++i) {
    if (i == 3) {
      EXPECT_CODE(deleted[i], StatusCode::kInvalidArgument);
      EXPECT_NE(deleted[i].message().find("stale receipt handle"), std::string::npos);
    } else if (i == 12) {
      EXPECT_CODE(deleted[i], StatusCode::kUnavailable);
    } else if (i == 20) {
      EXPECT_CODE(deleted[i], StatusCode::kInternal);
    } else {
      EXPECT_OK(deleted[i]) << i;
    }
  }
  ASSERT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(http_.Body(0)["Entries"].size(), 10u);
  EXPECT_EQ(http_.Body(1)["Entries"].size(), 10u);
  EXPECT_EQ(http_.Body(2)["Entries"].size(), 3u);
  EXPECT_EQ(http_.Header(0, "X-Amz-Target"), "AmazonSQS.DeleteMessageBatch");
}

TEST_F(SqsQueueTest, AFailedBatchCallFailsEachOfItsEntries) {
  http_.ThenAnswer(400, R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"})");
  auto queue = Open();
  std::vector<Status> changed =
      queue->ChangeVisibilityBatch({{"h1", seconds(10)}, {"", seconds(10)}, {"h2", seconds(0)}});
  ASSERT_EQ(changed.size(), 3u);
  EXPECT_CODE(changed[0], StatusCode::kNotFound);
  EXPECT_CODE(changed[1], StatusCode::kInvalidArgument);  // refused before sending
  EXPECT_CODE(changed[2], StatusCode::kNotFound);
  ASSERT_EQ(http_.requests().size(), 1u);
  json entries = http_.Body(0)["Entries"];
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["VisibilityTimeout"], 10);
  EXPECT_EQ(entries[1]["VisibilityTimeout"], 0);
}

TEST_F(SqsQueueTest, StatsReadTheDeadLetterQueueOfTheRedrivePolicy) {
  http_.Then([](const HttpRequest& r) {
    json body = json::parse(r.body);
    std::string target;
    for (const auto& [n, v] : r.headers) {
      if (n == "X-Amz-Target") target = v;
    }
    if (target == "AmazonSQS.GetQueueUrl") {
      return Answer(200,
                    R"({"QueueUrl":"http://sqs.unresolvable.localhost/123456789012/jobs-dlq"})");
    }
    if (body["QueueUrl"] == kQueueUrl) {
      json policy = {{"deadLetterTargetArn", "arn:aws:sqs:eu-west-1:123456789012:jobs-dlq"},
                     {"maxReceiveCount", 5}};
      return Answer(200, json{{"Attributes",
                               {{"ApproximateNumberOfMessages", "3"},
                                {"ApproximateNumberOfMessagesNotVisible", "2"},
                                {"ApproximateNumberOfMessagesDelayed", "1"},
                                {"RedrivePolicy", policy.dump()}}}}
                             .dump());
    }
    return Answer(200, R"({"Attributes":{"ApproximateNumberOfMessages":"7",
                                         "ApproximateNumberOfMessagesNotVisible":"1"}})");
  });
  auto queue = Open();
  for (int round = 0; round < 2; ++round) {
    ASSERT_OK_AND_ASSIGN(QueueStats stats, queue->Stats());
    EXPECT_EQ(stats.visible, 3);
    EXPECT_EQ(stats.in_flight, 2);
    EXPECT_EQ(stats.delayed, 1);
    EXPECT_EQ(stats.dead_lettered, 8);
  }
  // The dead-letter queue's URL is looked up once.
  ASSERT_EQ(http_.requests().size(), 5u);
  EXPECT_EQ(http_.Header(1, "X-Amz-Target"), "AmazonSQS.GetQueueUrl");
  EXPECT_EQ(http_.Body(1)["QueueName"], "jobs-dlq");
  EXPECT_EQ(http_.Body(1)["QueueOwnerAWSAccountId"], "123456789012");
  EXPECT_EQ(http_.Body(2)["QueueUrl"], "http://sqs.unresolvable.localhost/123456789012/jobs-dlq");
  EXPECT_EQ(http_.requests()[2].url, std::string(kEndpoint) + "/");
}

TEST_F(SqsQueueTest, CheckAccessSaysWhatToFixAndNeverTheSecret) {
  struct Case {
    int status;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    StatusCode expected;
    const char* says;
  };
  const Case kCases[] = {
      {400,
       R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})",
       {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}},
       StatusCode::kNotFound,
       "does not exist (check SQS_QUEUE_URL and AWS_REGION)"},
      // moto's answer to a bad signature on JSON SQS is XML.
      {403,
       R"(<?xml version="1.0" encoding="utf-8"?>
<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><Type>Sender</Type></Error></Errors></ErrorResponse>)",
       {},
       StatusCode::kFailedPrecondition,
       "SignatureDoesNotMatch"},
      {400,
       R"({"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."})",
       {},
       StatusCode::kFailedPrecondition,
       "AWS_ACCESS_KEY_ID"},
      {400,
       R"({"__type":"com.amazon.coral.service#AccessDeniedException","message":"User: arn:aws:iam::1:user/w is not authorized to perform: sqs:getqueueattributes"})",
       {},
       StatusCode::kFailedPrecondition,
       "sqs:GetQueueAttributes"},
  };
  auto queue = Open();
  for (const Case& c : kCases) {
    http_.Then([&](const HttpRequest&) { return Answer(c.status, c.body, c.headers); });
    Status status = queue->CheckAccess({});
    EXPECT_EQ(status.code(), c.expected) << status.ToString();
    EXPECT_NE(status.message().find(c.says), std::string::npos) << status.ToString();
    EXPECT_EQ(status.message().find(kSecret), std::string::npos) << status.ToString();
  }
}

// ---- Retries and cancellation, over real HTTP on 127.0.0.1 ----

class SqsQueueOverHttpTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqsQueue> Open() {
    SqsQueueOptions options;
    options.queue_url = "http://sqs.us-east-1.localhost/000000000000/jobs";
    options.endpoint = server_.url();
    options.region = "us-east-1";
    // Real backoff, kept short.
    options.retry.base_delay = milliseconds(1);
    options.retry.throttled_base_delay = milliseconds(1);
    Result<std::unique_ptr<SqsQueue>> queue = OpenSqsQueue(options, *http_, credentials_);
    EXPECT_TRUE(queue.has_value()) << queue.error().ToString();
    return queue ? std::move(*queue) : nullptr;
  }

  LoopbackHttpServer server_;
  std::unique_ptr<HttpClient> http_ = MakeCurlHttpClient();
  StaticCredentialsProvider credentials_{Credentials()};
  std::atomic<int> requests_{0};
};

constexpr char kThrottled[] =
    R"({"__type":"com.amazonaws.sqs#ThrottlingException","message":"Rate exceeded"})";

TEST_F(SqsQueueOverHttpTest, ThrottlingIsRetriedUntilItPasses) {
  server_.server().Post("/", [this](const httplib::Request&, httplib::Response& res) {
    if (++requests_ <= 2) {
      res.status = 400;
      res.set_header("x-amzn-query-error", "ThrottlingException;Sender");
      res.set_content(kThrottled, "application/x-amz-json-1.0");
      return;
    }
    res.set_content(R"({"Attributes":{"QueueArn":"arn:aws:sqs:us-east-1:000000000000:jobs"}})",
                    "application/x-amz-json-1.0");
  });
  server_.Start();
  auto queue = Open();
  EXPECT_OK(queue->CheckAccess({}));
  EXPECT_EQ(requests_, 3);
}

TEST_F(SqsQueueOverHttpTest, StillThrottledIsResourceExhausted) {
  server_.server().Post("/", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_;
    res.status = 400;
    res.set_content(kThrottled, "application/x-amz-json-1.0");
  });
  server_.Start();
  auto queue = Open();
  EXPECT_CODE(queue->Send("1"), StatusCode::kResourceExhausted);
  EXPECT_EQ(requests_, AwsRetryPolicy{}.max_attempts);
}

TEST_F(SqsQueueOverHttpTest, AlwaysFailingServerIsUnavailable) {
  server_.server().Post("/", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_;
    res.status = 500;
    res.set_content(R"({"__type":"InternalError","message":"boom"})", "application/x-amz-json-1.0");
  });
  server_.Start();
  auto queue = Open();
  EXPECT_CODE(queue->Receive(1, seconds(0), seconds(30), {}), StatusCode::kUnavailable);
  EXPECT_CODE(queue->Stats(), StatusCode::kUnavailable);
  EXPECT_EQ(requests_, 2 * AwsRetryPolicy{}.max_attempts);
}

TEST_F(SqsQueueOverHttpTest, ASenderFaultIsNotRetried) {
  server_.server().Post("/", [this](const httplib::Request&, httplib::Response& res) {
    ++requests_;
    res.status = 400;
    res.set_header("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender");
    res.set_content(R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"no"})",
                    "application/x-amz-json-1.0");
  });
  server_.Start();
  auto queue = Open();
  EXPECT_CODE(queue->CheckAccess({}), StatusCode::kNotFound);
  EXPECT_EQ(requests_, 1);
}

// The server holds the poll until the test ends it; a stop request must end it at once.
TEST_F(SqsQueueOverHttpTest, AStopRequestEndsAParkedLongPoll) {
  std::mutex mu;
  std::condition_variable cv;
  bool parked = false;
  bool release = false;
  server_.server().Post("/", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mu);
    parked = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    res.set_content("{}", "application/x-amz-json-1.0");
  });
  server_.Start();
  auto queue = Open();
  std::stop_source stop;
  auto poll = std::async(std::launch::async, [&] {
    return queue->Receive(1, seconds(20), seconds(30), stop.get_token());
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kHangGuard, [&] { return parked; }));
  }
  stop.request_stop();
  // Hang guard only: the poll would otherwise return after the test releases the server.
  EXPECT_EQ(poll.wait_for(kHangGuard), std::future_status::ready);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  Result<std::vector<QueueMessage>> messages = poll.get();
  ASSERT_OK(messages);
  EXPECT_TRUE(messages->empty());
}

}  // namespace
}  // namespace enhancer
