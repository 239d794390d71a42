// SqsQueue against moto_server checking SigV4 signatures (started on 127.0.0.1 by this test
// binary): the right key works, a wrong one is refused with a message that says what to fix;
// and the aws CLI and SqsQueue read each other's messages, as in the seed's own workflow.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/status_matchers.h"
#include "peers/moto_process.h"
#include "queue/sqs_queue.h"
#include "queue/sqs_test_queues.h"

namespace enhancer {
namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kWrongSecret[] = "wrong-secret-never-in-a-message";

// moto, and the IAM user's key that signs every request after its free ones.
struct SignedMoto {
  std::unique_ptr<peers::MotoProcess> server;
  AwsCredentials key;
};

// One moto for the whole binary, started on first use and stopped (by its pid) at exit.
Result<SignedMoto*> Moto() {
  static Result<std::unique_ptr<SignedMoto>> moto = []() -> Result<std::unique_ptr<SignedMoto>> {
    auto out = std::make_unique<SignedMoto>();
    Result<std::unique_ptr<peers::MotoProcess>> server =
        peers::MotoProcess::Start(/*check_signatures=*/true);
    if (!server) return server.error();
    out->server = std::move(*server);
    Result<AwsCredentials> key = CreateMotoIamUser(out->server->endpoint());
    if (!key) return key.error().WithContext("moto IAM user; moto's log:\n" + out->server->Log());
    out->key = *key;
    return out;
  }();
  if (!moto) return moto.error();
  return moto->get();
}

class SqsOnMotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(moto_, Moto());
    SqsTestQueues admin(moto_->server->endpoint(), moto_->key);
    ASSERT_OK_AND_ASSIGN(queue_url_, admin.Create(UniqueTestQueueName()));
    ASSERT_OK_AND_ASSIGN(queue_, Open(queue_url_, moto_->key));
  }

  Result<std::unique_ptr<SqsQueue>> Open(const std::string& url, const AwsCredentials& key) {
    providers_.push_back(std::make_unique<StaticCredentialsProvider>(key));
    SqsQueueOptions options;
    options.queue_url = url;
    options.endpoint = moto_->server->endpoint();
    options.region = kSqsTestRegion;
    return OpenSqsQueue(options, *http_, *providers_.back());
  }

  SignedMoto* moto_ = nullptr;
  std::unique_ptr<HttpClient> http_ = MakeCurlHttpClient();
  std::vector<std::unique_ptr<StaticCredentialsProvider>> providers_;
  std::string queue_url_;
  std::unique_ptr<SqsQueue> queue_;
};

TEST_F(SqsOnMotoTest, TheRightKeySendsReceivesAndDeletes) {
  ASSERT_OK(queue_->CheckAccess({}));
  ASSERT_OK_AND_ASSIGN(std::string id, queue_->Send("123"));
  ASSERT_OK_AND_ASSIGN(auto messages, queue_->Receive(10, seconds(1), seconds(30), {}));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].id, id);
  EXPECT_EQ(messages[0].body, "123");
  EXPECT_EQ(messages[0].receive_count, 1);
  ASSERT_OK(queue_->ChangeVisibility(messages[0].receipt_handle, seconds(60)));
  ASSERT_OK(queue_->Delete(messages[0].receipt_handle));
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed + stats.dead_lettered, 0);
}

TEST_F(SqsOnMotoTest, AWrongSecretIsFailedPreconditionNamingTheSignature) {
  AwsCredentials wrong = moto_->key;
  wrong.secret_access_key = kWrongSecret;
  ASSERT_OK_AND_ASSIGN(auto queue, Open(queue_url_, wrong));
  Status status = queue->CheckAccess({});
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_NE(status.message().find("SignatureDoesNotMatch"), std::string::npos) << status.ToString();
  EXPECT_NE(status.message().find("secret access key"), std::string::npos) << status.ToString();
  EXPECT_EQ(status.message().find(kWrongSecret), std::string::npos) << status.ToString();
  EXPECT_EQ(status.message().find(moto_->key.secret_access_key), std::string::npos)
      << status.ToString();
  EXPECT_CODE(queue->Send("1"), StatusCode::kFailedPrecondition);
  EXPECT_CODE(queue->Receive(1, seconds(0), seconds(30), {}), StatusCode::kFailedPrecondition);
}

TEST_F(SqsOnMotoTest, AnUnknownKeyIsFailedPreconditionNamingTheKeyVariable) {
  ASSERT_OK_AND_ASSIGN(auto queue,
                       Open(queue_url_, TestCredentials("AKIAUNKNOWNKEY000000", kWrongSecret)));
  Status status = queue->CheckAccess({});
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_NE(status.message().find("AWS_ACCESS_KEY_ID"), std::string::npos) << status.ToString();
  EXPECT_EQ(status.message().find(kWrongSecret), std::string::npos) << status.ToString();
}

TEST_F(SqsOnMotoTest, AMissingQueueIsNotFoundWithAClearMessage) {
  const std::string missing = moto_->server->endpoint() + "/123456789012/no-such-queue";
  ASSERT_OK_AND_ASSIGN(auto queue, Open(missing, moto_->key));
  Status status = queue->CheckAccess({});
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.ToString();
  EXPECT_NE(status.message().find("queue " + missing +
                                  " does not exist (check SQS_QUEUE_URL and AWS_REGION)"),
            std::string::npos)
      << status.ToString();
}

// moto refuses a malformed handle as AWS does (fauxqs accepts any).
TEST_F(SqsOnMotoTest, AMalformedReceiptHandleIsInvalidArgument) {
  ASSERT_OK(queue_->Send("1"));
  for (const char* handle : {"garbage", "1", "1.zz"}) {
    EXPECT_CODE(queue_->Delete(handle), StatusCode::kInvalidArgument) << handle;
  }
}

TEST_F(SqsOnMotoTest, StatsFindTheDeadLetterQueueByItsArn) {
  SqsTestQueues admin(moto_->server->endpoint(), moto_->key);
  ASSERT_OK_AND_ASSIGN(std::string url, admin.CreateWithDeadLetters(UniqueTestQueueName(), 1));
  ASSERT_OK_AND_ASSIGN(auto queue, Open(url, moto_->key));
  ASSERT_OK(queue->Send("poison"));
  ASSERT_OK_AND_ASSIGN(auto first, queue->Receive(1, seconds(0), seconds(1), {}));
  ASSERT_EQ(first.size(), 1u);
  std::this_thread::sleep_for(milliseconds(1500));  // the lease runs out for real
  ASSERT_OK_AND_ASSIGN(auto none, queue->Receive(1, seconds(0), seconds(1), {}));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue->Stats());
  EXPECT_EQ(stats.dead_lettered, 1);
}

// ---- The aws CLI (the seed's own workflow) and SqsQueue, on one signature-checking server ----

TEST_F(SqsOnMotoTest, AMessageTheAwsCliSendsIsReceived) {
  ASSERT_OK_AND_ASSIGN(CommandOutput sent, RunAwsCli({"sqs", "send-message", "--queue-url",
                                                      queue_url_, "--message-body", "123"},
                                                     moto_->server->endpoint(), moto_->key));
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  std::string id = json::parse(sent.out, nullptr, false).value("MessageId", "");
  EXPECT_FALSE(id.empty()) << sent.out;

  ASSERT_OK_AND_ASSIGN(auto messages, queue_->Receive(1, seconds(1), seconds(30), {}));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, "123");
  EXPECT_EQ(messages[0].id, id);
  EXPECT_OK(queue_->Delete(messages[0].receipt_handle));
}

TEST_F(SqsOnMotoTest, AMessageSqsQueueSendsIsSeenByTheAwsCli) {
  const std::string body = R"({"product_id": 42})";
  ASSERT_OK_AND_ASSIGN(std::string id, queue_->Send(body));
  ASSERT_OK_AND_ASSIGN(CommandOutput received,
                       RunAwsCli({"sqs", "receive-message", "--queue-url", queue_url_,
                                  "--wait-time-seconds", "1", "--max-number-of-messages", "1"},
                                 moto_->server->endpoint(), moto_->key));
  ASSERT_EQ(received.exit_code, 0) << received.err;
  json doc = json::parse(received.out, nullptr, false);
  ASSERT_TRUE(doc.is_object() && doc.contains("Messages")) << received.out;
  ASSERT_EQ(doc["Messages"].size(), 1u) << received.out;
  EXPECT_EQ(doc["Messages"][0]["Body"], body);
  EXPECT_EQ(doc["Messages"][0]["MessageId"], id);

  // The CLI's receipt handle works in SqsQueue too.
  EXPECT_OK(queue_->Delete(doc["Messages"][0]["ReceiptHandle"].get<std::string>()));
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible + stats.in_flight, 0);
}

}  // namespace
}  // namespace enhancer
