#include "queue/embedded_queue.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <regex>
#include <set>
#include <thread>

#include "db/scoped_temp_dir.h"
#include "core/status_matchers.h"
#include "queue/queue_contract_test.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr seconds kHangGuard{60};
constexpr int kMaxReceives = 3;

EmbeddedQueueOptions OptionsFor(const std::string& path, const Clock* clock) {
  EmbeddedQueueOptions options;
  options.path = path;
  options.max_receive_count = kMaxReceives;
  options.clock = clock;
  options.poll_interval = milliseconds(20);
  return options;
}

class EmbeddedQueueHarness final : public QueueHarness {
 public:
  Result<std::unique_ptr<Queue>> Open() override { return OpenEmbeddedQueue(options()); }
  void Advance(milliseconds d) override { clock_.Advance(d); }
  int max_receive_count() const override { return kMaxReceives; }

  EmbeddedQueueOptions options() const { return OptionsFor(path(), &clock_); }
  std::string path() const { return dir_.File("data/queue.db"); }
  FakeClock& clock() { return clock_; }

 private:
  ScopedTempDir dir_;
  FakeClock clock_;
};

INSTANTIATE_TEST_SUITE_P(Embedded, QueueContractTest,
                         ::testing::Values(QueueContractParam{
                             "Embedded", [] { return std::make_unique<EmbeddedQueueHarness>(); }}),
                         QueueContractParamName);

// What only the embedded queue promises: its options, its file, redrive, and several processes
// on one file.
class EmbeddedQueueTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(queue_, EmbeddedQueue::Open(harness_.options())); }

  Result<std::vector<QueueMessage>> ReceiveNow(EmbeddedQueue& queue, int max, seconds visibility) {
    return queue.Receive(max, seconds(0), visibility, std::stop_token());
  }

  EmbeddedQueueHarness harness_;
  std::unique_ptr<EmbeddedQueue> queue_;
};

TEST_F(EmbeddedQueueTest, OptionsAreValidated) {
  struct Case {
    const char* what;
    std::function<void(EmbeddedQueueOptions&)> spoil;
  };
  const Case kCases[] = {
      {"empty path", [](EmbeddedQueueOptions& o) { o.path = ""; }},
      {"zero receives", [](EmbeddedQueueOptions& o) { o.max_receive_count = 0; }},
      {"too many receives", [](EmbeddedQueueOptions& o) { o.max_receive_count = 1001; }},
      {"zero poll interval", [](EmbeddedQueueOptions& o) { o.poll_interval = milliseconds(0); }},
  };
  for (const Case& c : kCases) {
    EmbeddedQueueOptions options = harness_.options();
    c.spoil(options);
    EXPECT_CODE(options.Validate(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_CODE(EmbeddedQueue::Open(options), StatusCode::kInvalidArgument) << c.what;
    EXPECT_CODE(OpenEmbeddedQueue(options), StatusCode::kInvalidArgument) << c.what;
  }
  EXPECT_OK(harness_.options().Validate());
  EXPECT_OK(EmbeddedQueueOptions{.path = "q.db"}.Validate());  // the defaults are valid
}

TEST_F(EmbeddedQueueTest, DeliversOldestFirst) {
  std::vector<std::string> ids;
  for (int i = 1; i <= 5; ++i) {
    ASSERT_OK_AND_ASSIGN(std::string id, queue_->Send(std::to_string(i)));
    ids.push_back(id);
  }
  ASSERT_OK_AND_ASSIGN(auto first, ReceiveNow(*queue_, 3, seconds(30)));
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].body, "1");
  EXPECT_EQ(first[1].body, "2");
  EXPECT_EQ(first[2].body, "3");
  // A message released early goes back in its original place, ahead of younger ones.
  ASSERT_OK(queue_->ChangeVisibility(first[1].receipt_handle, seconds(0)));
  ASSERT_OK_AND_ASSIGN(auto rest, ReceiveNow(*queue_, 10, seconds(30)));
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].id, ids[1]);
  EXPECT_EQ(rest[1].id, ids[3]);
  EXPECT_EQ(rest[2].id, ids[4]);
}

TEST_F(EmbeddedQueueTest, DescribeNamesTheFile) {
  EXPECT_EQ(queue_->Describe(), "sqlite:" + harness_.path() + " (embedded)");
}

TEST_F(EmbeddedQueueTest, ReceiptHandlesAreFreshAndRandomForEachReceive) {
  ASSERT_OK(queue_->Send("1"));
  std::set<std::string> handles;
  for (int i = 0; i < kMaxReceives; ++i) {
    ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(*queue_, 1, seconds(0)));
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_TRUE(
        std::regex_match(messages[0].receipt_handle, std::regex(R"([1-9][0-9]*\.[0-9a-f]{32})")))
        << messages[0].receipt_handle;
    handles.insert(messages[0].receipt_handle);
  }
  EXPECT_EQ(handles.size(), static_cast<size_t>(kMaxReceives));
}

TEST_F(EmbeddedQueueTest, AHandleForAMessageNeverSentIsInvalid) {
  ASSERT_OK(queue_->Send("1"));
  const std::string never_issued = "99." + std::string(32, 'a');
  Status status = queue_->Delete(never_issued);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("unknown receipt handle"), std::string::npos)
      << status.ToString();
  // A forged handle for a real message is as good as a stale one: refused.
  EXPECT_CODE(queue_->Delete("1." + std::string(32, 'a')), StatusCode::kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible, 1);
}

TEST_F(EmbeddedQueueTest, RedriveBringsDeadLettersBackWithAFreshCount) {
  ASSERT_OK_AND_ASSIGN(std::string id, queue_->Send("poison"));
  std::string last_handle;
  for (int i = 0; i < kMaxReceives; ++i) {
    ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(*queue_, 1, seconds(0)));
    ASSERT_EQ(messages.size(), 1u);
    last_handle = messages[0].receipt_handle;
  }
  ASSERT_OK_AND_ASSIGN(auto none, ReceiveNow(*queue_, 1, seconds(0)));
  ASSERT_TRUE(none.empty());
  // The last handle went stale when the message was moved aside.
  Status stale = queue_->Delete(last_handle);
  EXPECT_EQ(stale.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(stale.message().find("dead-letter"), std::string::npos) << stale.ToString();

  ASSERT_OK_AND_ASSIGN(int64_t moved, queue_->RedriveDeadLetters());
  EXPECT_EQ(moved, 1);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.dead_lettered, 0);
  EXPECT_EQ(stats.visible, 1);
  ASSERT_OK_AND_ASSIGN(auto back, ReceiveNow(*queue_, 1, seconds(30)));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].id, id);
  EXPECT_EQ(back[0].body, "poison");
  EXPECT_EQ(back[0].receive_count, 1);
  EXPECT_CODE(queue_->Delete(last_handle), StatusCode::kInvalidArgument);
  EXPECT_OK(queue_->Delete(back[0].receipt_handle));

  ASSERT_OK_AND_ASSIGN(moved, queue_->RedriveDeadLetters());
  EXPECT_EQ(moved, 0);
}

TEST_F(EmbeddedQueueTest, RedriveWakesALongPoll) {
  ASSERT_OK(queue_->Send("poison"));
  for (int i = 0; i < kMaxReceives; ++i) ASSERT_OK(ReceiveNow(*queue_, 1, seconds(0)));
  ASSERT_OK(ReceiveNow(*queue_, 1, seconds(0)));  // moves it aside
  auto poll = std::async(std::launch::async, [&] {
    return queue_->Receive(1, seconds(20), seconds(30), std::stop_token());
  });
  ASSERT_OK(queue_->RedriveDeadLetters());
  ASSERT_EQ(poll.wait_for(kHangGuard), std::future_status::ready);
  ASSERT_OK_AND_ASSIGN(auto messages, poll.get());
  EXPECT_EQ(messages.size(), 1u);
}

// Two objects on one file stand for two processes: `enhancer enqueue` sends, the worker's long
// poll finds the message by polling the file.
TEST_F(EmbeddedQueueTest, ALongPollSeesASendFromAnotherConnection) {
  ASSERT_OK_AND_ASSIGN(auto sender, EmbeddedQueue::Open(harness_.options()));
  auto poll = std::async(std::launch::async, [&] {
    return queue_->Receive(1, seconds(20), seconds(30), std::stop_token());
  });
  ASSERT_OK(sender->Send("from elsewhere"));
  ASSERT_EQ(poll.wait_for(kHangGuard), std::future_status::ready);
  ASSERT_OK_AND_ASSIGN(auto messages, poll.get());
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, "from elsewhere");
}

TEST_F(EmbeddedQueueTest, ReceiversOnSeparateConnectionsNeverShareAMessage) {
  constexpr int kMessages = 60;
  for (int i = 0; i < kMessages; ++i) ASSERT_OK(queue_->Send(std::to_string(i)));
  ASSERT_OK_AND_ASSIGN(auto other, EmbeddedQueue::Open(harness_.options()));

  std::vector<std::string> got[2];
  std::string errors[2];
  {
    EmbeddedQueue* queues[2] = {queue_.get(), other.get()};
    std::jthread receivers[2];
    for (int t = 0; t < 2; ++t) {
      receivers[t] = std::jthread([&, t] {
        while (true) {
          Result<std::vector<QueueMessage>> batch = ReceiveNow(*queues[t], 2, seconds(300));
          if (!batch) {
            errors[t] = batch.error().ToString();
            return;
          }
          if (batch->empty()) return;
          for (const QueueMessage& m : *batch) got[t].push_back(m.id);
        }
      });
    }
  }
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  std::set<std::string> distinct(got[0].begin(), got[0].end());
  distinct.insert(got[1].begin(), got[1].end());
  EXPECT_EQ(got[0].size() + got[1].size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kMessages));
}

// Real processes: children fork from a parent holding no connection (SQLite connections must not
// cross a fork), each opens the file itself and leases what it can; every message must be leased
// exactly once across all of them.
TEST_F(EmbeddedQueueTest, ReceiversInSeparateProcessesNeverShareAMessage) {
  constexpr int kMessages = 80;
  constexpr int kChildren = 3;
  for (int i = 0; i < kMessages; ++i) ASSERT_OK(queue_->Send(std::to_string(i)));
  queue_.reset();

  std::vector<pid_t> children;
  for (int c = 0; c < kChildren; ++c) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Real clock in the children: their fake clocks could not be advanced anyway, and leases
      // of 300 s do not expire during the test.
      EmbeddedQueueOptions options = OptionsFor(harness_.path(), nullptr);
      Result<std::unique_ptr<EmbeddedQueue>> queue = EmbeddedQueue::Open(options);
      if (!queue) _exit(2);
      std::ofstream out(harness_.path() + ".child" + std::to_string(c));
      while (true) {
        Result<std::vector<QueueMessage>> batch =
            (*queue)->Receive(2, seconds(0), seconds(300), std::stop_token());
        if (!batch) _exit(3);
        if (batch->empty()) break;
        for (const QueueMessage& m : *batch) out << m.id << "\n";
      }
      out.close();
      _exit(0);  // no destructors or atexit handlers of the parent's test state
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }

  std::multiset<std::string> ids;
  for (int c = 0; c < kChildren; ++c) {
    std::ifstream in(harness_.path() + ".child" + std::to_string(c));
    for (std::string line; std::getline(in, line);) ids.insert(line);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), static_cast<size_t>(kMessages));
}

// A process killed outright (no destructors, no close) loses nothing it had sent or leased.
TEST_F(EmbeddedQueueTest, SurvivesAKilledProcess) {
  queue_.reset();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    Result<std::unique_ptr<EmbeddedQueue>> queue =
        EmbeddedQueue::Open(OptionsFor(harness_.path(), nullptr));
    if (!queue) _exit(2);
    for (int i = 0; i < 10; ++i) {
      if (!(*queue)->Send(std::to_string(i))) _exit(3);
    }
    if (!(*queue)->Receive(4, seconds(0), seconds(3600), std::stop_token())) _exit(4);
    raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  ASSERT_OK_AND_ASSIGN(queue_, EmbeddedQueue::Open(OptionsFor(harness_.path(), nullptr)));
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible, 6);
  EXPECT_EQ(stats.in_flight, 4);
}

TEST_F(EmbeddedQueueTest, ReopeningMigratesOnceAndKeepsMessages) {
  ASSERT_OK(queue_->Send("kept"));
  queue_.reset();
  ASSERT_OK_AND_ASSIGN(queue_, EmbeddedQueue::Open(harness_.options()));
  ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(*queue_, 1, seconds(30)));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, "kept");
}

}  // namespace
}  // namespace enhancer
