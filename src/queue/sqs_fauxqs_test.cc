// SqsQueue against fauxqs, an SQS emulator started on 127.0.0.1 by this test binary: the Queue
// contract (the same suite as the embedded queue's), then what only SqsQueue offers.
#include <gtest/gtest.h>

#include <future>
#include <set>
#include <thread>

#include "core/status_matchers.h"
#include "peers/fauxqs_process.h"
#include "queue/queue_contract_test.h"
#include "queue/sqs_queue.h"
#include "queue/sqs_test_queues.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kMaxReceives = 3;

// fauxqs checks no signature; any key signs.
AwsCredentials FauxqsCredentials() { return TestCredentials("fauxqs", "fauxqs"); }

// One fauxqs for the whole binary, started on first use and stopped (by its pid) at exit.
Result<peers::FauxqsProcess*> Fauxqs() {
  static Result<std::unique_ptr<peers::FauxqsProcess>> server = peers::FauxqsProcess::Start();
  if (!server) return server.error();
  return server->get();
}

// Opens `queue_url` through fauxqs's endpoint; the URL's own host does not resolve.
Result<std::unique_ptr<SqsQueue>> OpenOnFauxqs(const std::string& queue_url, HttpClient& http,
                                               CredentialsProvider& credentials,
                                               SqsQueueOptions options = {}) {
  Result<peers::FauxqsProcess*> fauxqs = Fauxqs();
  if (!fauxqs) return fauxqs.error();
  options.queue_url = queue_url;
  options.endpoint = (*fauxqs)->endpoint();
  options.region = kSqsTestRegion;
  return OpenSqsQueue(options, http, credentials);
}

// A fresh queue with a dead-letter queue behind it for each test; Open() after the first call
// reaches the same queue through a new SqsQueue (a worker's restart). Time passes for real:
// the contract keeps its waits to a few seconds.
class FauxqsHarness final : public QueueHarness {
 public:
  Result<std::unique_ptr<Queue>> Open() override {
    if (queue_url_.empty()) {
      Result<peers::FauxqsProcess*> fauxqs = Fauxqs();
      if (!fauxqs) return fauxqs.error();
      SqsTestQueues admin((*fauxqs)->endpoint(), FauxqsCredentials());
      Result<std::string> url = admin.CreateWithDeadLetters(UniqueTestQueueName(), kMaxReceives);
      if (!url) return url.error();
      queue_url_ = *url;
    }
    Result<std::unique_ptr<SqsQueue>> queue = OpenOnFauxqs(queue_url_, *http_, credentials_);
    if (!queue) return queue.error();
    return std::unique_ptr<Queue>(std::move(*queue));
  }
  void Advance(milliseconds d) override { std::this_thread::sleep_for(d); }
  int max_receive_count() const override { return kMaxReceives; }
  bool refuses_stale_delete() const override { return false; }
  bool refuses_malformed_delete() const override { return false; }

 private:
  std::unique_ptr<HttpClient> http_ = MakeCurlHttpClient();
  StaticCredentialsProvider credentials_{FauxqsCredentials()};
  std::string queue_url_;
};

INSTANTIATE_TEST_SUITE_P(Fauxqs, QueueContractTest,
                         ::testing::Values(QueueContractParam{
                             "Fauxqs", [] { return std::make_unique<FauxqsHarness>(); }}),
                         QueueContractParamName);

// ---- What only SqsQueue offers ----

class SqsOnFauxqsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(peers::FauxqsProcess * fauxqs, Fauxqs());
    admin_ = std::make_unique<SqsTestQueues>(fauxqs->endpoint(), FauxqsCredentials());
    ASSERT_OK_AND_ASSIGN(queue_url_,
                         admin_->CreateWithDeadLetters(UniqueTestQueueName(), kMaxReceives));
    ASSERT_OK_AND_ASSIGN(queue_, OpenOnFauxqs(queue_url_, *http_, credentials_));
  }

  std::unique_ptr<HttpClient> http_ = MakeCurlHttpClient();
  StaticCredentialsProvider credentials_{FauxqsCredentials()};
  std::unique_ptr<SqsTestQueues> admin_;
  std::string queue_url_;
  std::unique_ptr<SqsQueue> queue_;
};

TEST_F(SqsOnFauxqsTest, TheQueueUrlIsAnIdentifierNotAnAddress) {
  // fauxqs names a host that does not resolve here; every call still reaches it.
  EXPECT_NE(queue_url_.find(".localhost:"), std::string::npos) << queue_url_;
  EXPECT_EQ(queue_->Describe(), queue_url_);
  EXPECT_OK(queue_->CheckAccess(std::stop_token()));
  ASSERT_OK(queue_->Send("1"));
}

TEST_F(SqsOnFauxqsTest, CheckAccessNamesAMissingQueue) {
  const std::string missing = queue_url_ + "-missing";
  ASSERT_OK_AND_ASSIGN(auto queue, OpenOnFauxqs(missing, *http_, credentials_));
  Status status = queue->CheckAccess(std::stop_token());
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.ToString();
  EXPECT_NE(status.message().find("queue " + missing +
                                  " does not exist (check SQS_QUEUE_URL and AWS_REGION)"),
            std::string::npos)
      << status.ToString();
  EXPECT_CODE(queue->Send("1"), StatusCode::kNotFound);
  EXPECT_CODE(queue->Receive(1, seconds(0), seconds(30), std::stop_token()), StatusCode::kNotFound);
}

TEST_F(SqsOnFauxqsTest, SendBatchSendsEveryEntryInCallsOfTenAndRefusesBadOnesAlone) {
  std::vector<SendEntry> entries;
  for (int i = 0; i < 23; ++i) entries.push_back({std::to_string(i), seconds(0)});
  entries[4].body = "";                        // refused before sending
  entries[17].delay = seconds(901);            // likewise
  entries[20].body = std::string("\xff\xfe");  // not UTF-8
  std::vector<Result<std::string>> sent = queue_->SendBatch(entries);
  ASSERT_EQ(sent.size(), entries.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < sent.size(); ++i) {
    if (i == 4 || i == 17 || i == 20) {
      EXPECT_CODE(sent[i], StatusCode::kInvalidArgument) << i;
    } else {
      ASSERT_OK(sent[i]) << i;
      ids.insert(*sent[i]);
    }
  }
  EXPECT_EQ(ids.size(), 20u);

  std::set<std::string> received;
  for (int round = 0; round < 10 && received.size() < ids.size(); ++round) {
    ASSERT_OK_AND_ASSIGN(auto batch, queue_->Receive(10, seconds(0), seconds(30), {}));
    for (const QueueMessage& m : batch) received.insert(m.id);
  }
  EXPECT_EQ(received, ids);
}

TEST_F(SqsOnFauxqsTest, DeleteBatchDeletesEveryEntry) {
  for (int i = 0; i < 12; ++i) ASSERT_OK(queue_->Send(std::to_string(i)));
  std::vector<std::string> handles;
  for (int round = 0; round < 10 && handles.size() < 12; ++round) {
    ASSERT_OK_AND_ASSIGN(auto batch, queue_->Receive(10, seconds(0), seconds(30), {}));
    for (const QueueMessage& m : batch) handles.push_back(m.receipt_handle);
  }
  ASSERT_EQ(handles.size(), 12u);
  handles.push_back("");  // refused alone
  std::vector<Status> deleted = queue_->DeleteBatch(handles);
  ASSERT_EQ(deleted.size(), 13u);
  for (size_t i = 0; i < 12; ++i) EXPECT_OK(deleted[i]) << i;
  EXPECT_CODE(deleted[12], StatusCode::kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed, 0);
}

TEST_F(SqsOnFauxqsTest, ChangeVisibilityBatchReportsTheStaleEntryAndChangesTheRest) {
  ASSERT_OK(queue_->Send("a"));
  ASSERT_OK(queue_->Send("b"));
  ASSERT_OK_AND_ASSIGN(auto first, queue_->Receive(10, seconds(0), seconds(1), {}));
  ASSERT_EQ(first.size(), 2u);
  std::this_thread::sleep_for(milliseconds(1500));
  // Received again: the first handles are stale now.
  ASSERT_OK_AND_ASSIGN(auto second, queue_->Receive(10, seconds(0), seconds(30), {}));
  ASSERT_EQ(second.size(), 2u);

  std::vector<Status> changed = queue_->ChangeVisibilityBatch({
      {second[0].receipt_handle, seconds(0)},
      {first[1].receipt_handle, seconds(0)},
      {second[1].receipt_handle, seconds(SqsQueue::kMaxVisibility.count() + 1)},
  });
  ASSERT_EQ(changed.size(), 3u);
  EXPECT_OK(changed[0]);
  EXPECT_EQ(changed[1].code(), StatusCode::kInvalidArgument) << changed[1].ToString();
  EXPECT_NE(changed[1].message().find("stale receipt handle"), std::string::npos)
      << changed[1].ToString();
  EXPECT_CODE(changed[2], StatusCode::kInvalidArgument);

  // Only the released message is back.
  ASSERT_OK_AND_ASSIGN(auto back, queue_->Receive(10, seconds(0), seconds(30), {}));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].id, second[0].id);
}

TEST_F(SqsOnFauxqsTest, StatsCountTheDeadLetterQueueNamedByTheRedrivePolicy) {
  ASSERT_OK_AND_ASSIGN(std::string url, admin_->CreateWithDeadLetters(UniqueTestQueueName(), 1));
  ASSERT_OK_AND_ASSIGN(auto queue, OpenOnFauxqs(url, *http_, credentials_));
  ASSERT_OK(queue->Send("poison"));
  ASSERT_OK_AND_ASSIGN(auto first, queue->Receive(1, seconds(0), seconds(1), {}));
  ASSERT_EQ(first.size(), 1u);
  std::this_thread::sleep_for(milliseconds(1500));
  // maxReceiveCount is 1: this receive moves the message aside instead.
  ASSERT_OK_AND_ASSIGN(auto none, queue->Receive(1, seconds(0), seconds(1), {}));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue->Stats());
  EXPECT_EQ(stats.dead_lettered, 1);
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed, 0);
}

TEST_F(SqsOnFauxqsTest, AQueueWithoutRedrivePolicyHasNoDeadLetters) {
  ASSERT_OK_AND_ASSIGN(std::string plain, admin_->Create(UniqueTestQueueName()));
  ASSERT_OK_AND_ASSIGN(auto queue, OpenOnFauxqs(plain, *http_, credentials_));
  ASSERT_OK(queue->Send("1"));
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue->Stats());
  EXPECT_EQ(stats.visible, 1);
  EXPECT_EQ(stats.dead_lettered, 0);
}

// A long poll's HTTP timeout is its wait plus a grace, whatever the timeout of other calls: a
// client that cut the poll at request_timeout would fail every empty poll.
TEST_F(SqsOnFauxqsTest, ALongPollOutlastsTheRequestTimeout) {
  SqsQueueOptions options;
  options.request_timeout = milliseconds(500);
  options.long_poll_grace = seconds(5);
  ASSERT_OK_AND_ASSIGN(auto queue, OpenOnFauxqs(queue_url_, *http_, credentials_, options));
  ASSERT_OK_AND_ASSIGN(auto messages, queue->Receive(1, seconds(2), seconds(30), {}));
  EXPECT_TRUE(messages.empty());
}

TEST_F(SqsOnFauxqsTest, ManyThreadsSendAndReceiveEveryMessageOnce) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::string> errors(kThreads);
  {
    std::vector<std::jthread> senders;
    for (int t = 0; t < kThreads; ++t) {
      senders.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          Result<std::string> id = queue_->Send(std::to_string(t * kPerThread + i));
          if (!id) errors[t] = id.error().ToString();
        }
      });
    }
  }
  for (const std::string& e : errors) EXPECT_EQ(e, "");
  std::multiset<std::string> bodies;
  for (int round = 0; round < 50 && bodies.size() < kThreads * kPerThread; ++round) {
    ASSERT_OK_AND_ASSIGN(auto batch, queue_->Receive(10, seconds(1), seconds(60), {}));
    for (const QueueMessage& m : batch) bodies.insert(m.body);
  }
  EXPECT_EQ(bodies.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(std::set<std::string>(bodies.begin(), bodies.end()).size(), bodies.size());
}

}  // namespace
}  // namespace enhancer
