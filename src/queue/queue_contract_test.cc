#include "queue/queue_contract_test.h"

#include <future>
#include <set>
#include <stop_token>
#include <thread>

#include "core/status_matchers.h"

namespace enhancer {

using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// Only guards against a hang; no test asserts how long anything takes.
constexpr seconds kHangGuard{60};
constexpr seconds kNoWait{0};
constexpr seconds kLongPoll{20};

}  // namespace

void QueueContractTest::SetUp() {
  harness_ = GetParam().make_harness();
  ASSERT_NE(harness_, nullptr);
  ASSERT_OK_AND_ASSIGN(queue_, harness_->Open());
}

void QueueContractTest::Reopen() {
  queue_.reset();
  Result<std::unique_ptr<Queue>> reopened = harness_->Open();
  ASSERT_TRUE(reopened.has_value()) << reopened.error().ToString();
  queue_ = std::move(*reopened);
}

Result<std::vector<QueueMessage>> QueueContractTest::ReceiveNow(int max_messages,
                                                                seconds visibility) {
  return queue_->Receive(max_messages, kNoWait, visibility, std::stop_token());
}

// ---- Send and Receive ----

TEST_P(QueueContractTest, DeliversTheBodyWithReceiveCountOne) {
  ASSERT_OK_AND_ASSIGN(std::string id, queue_->Send("123"));
  EXPECT_FALSE(id.empty());
  ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].id, id);
  EXPECT_EQ(messages[0].body, "123");
  EXPECT_EQ(messages[0].receive_count, 1);
  EXPECT_FALSE(messages[0].receipt_handle.empty());
}

TEST_P(QueueContractTest, KeepsBodiesByteForByte) {
  const std::string body = R"({"product_id": 42, "note": "été ✓"})";
  ASSERT_OK(queue_->Send(body));
  ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, body);
}

TEST_P(QueueContractTest, EmptyQueueReceivesNothing) {
  ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(10, seconds(30)));
  EXPECT_TRUE(messages.empty());
}

// SQS standard queues do not promise order, so the contract checks only batch size and
// completeness; the embedded queue's own test checks that it delivers oldest first.
TEST_P(QueueContractTest, ReceivesAtMostTheBatchSizeAndEveryMessageOnce) {
  std::set<std::string> sent;
  for (int i = 1; i <= 5; ++i) {
    ASSERT_OK_AND_ASSIGN(std::string id, queue_->Send(std::to_string(i)));
    sent.insert(id);
  }
  std::set<std::string> received;
  for (int batch = 0; batch < 10 && received.size() < sent.size(); ++batch) {
    ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(3, seconds(30)));
    EXPECT_LE(messages.size(), 3u);
    for (const QueueMessage& m : messages) {
      EXPECT_TRUE(received.insert(m.id).second) << "delivered twice: " << m.id;
    }
  }
  EXPECT_EQ(received, sent);
  ASSERT_OK_AND_ASSIGN(auto none, ReceiveNow(10, seconds(30)));
  EXPECT_TRUE(none.empty());
}

TEST_P(QueueContractTest, RefusesBadArguments) {
  EXPECT_CODE(queue_->Send(""), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue_->Send(std::string(256 * 1024 + 1, 'x')), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue_->Send("1", seconds(-1)), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue_->Send("1", seconds(901)), StatusCode::kInvalidArgument);
  EXPECT_CODE(ReceiveNow(0, seconds(30)), StatusCode::kInvalidArgument);
  EXPECT_CODE(ReceiveNow(11, seconds(30)), StatusCode::kInvalidArgument);
  EXPECT_CODE(ReceiveNow(1, seconds(-1)), StatusCode::kInvalidArgument);
  EXPECT_CODE(ReceiveNow(1, seconds(12 * 3600 + 1)), StatusCode::kInvalidArgument);
  EXPECT_CODE(queue_->Receive(1, seconds(21), seconds(30), std::stop_token()),
              StatusCode::kInvalidArgument);
  ASSERT_OK(queue_->Send(std::string(256 * 1024, 'x')));  // the limit itself is fine
}

// ---- Visibility ----

TEST_P(QueueContractTest, AReceivedMessageIsInvisibleUntilItsTimeoutThenComesBack) {
  ASSERT_OK_AND_ASSIGN(std::string id, queue_->Send("7"));
  ASSERT_OK_AND_ASSIGN(auto first, ReceiveNow(1, seconds(3)));
  ASSERT_EQ(first.size(), 1u);

  ASSERT_OK_AND_ASSIGN(auto during, ReceiveNow(1, seconds(3)));
  EXPECT_TRUE(during.empty());
  harness_->Advance(milliseconds(2000));
  ASSERT_OK_AND_ASSIGN(during, ReceiveNow(1, seconds(3)));
  EXPECT_TRUE(during.empty());

  harness_->Advance(milliseconds(1500));
  ASSERT_OK_AND_ASSIGN(auto again, ReceiveNow(1, seconds(3)));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, id);
  EXPECT_EQ(again[0].receive_count, 2);
  EXPECT_NE(again[0].receipt_handle, first[0].receipt_handle);
}

TEST_P(QueueContractTest, VisibilityZeroLeavesTheMessageVisibleButNotTwiceInOneBatch) {
  ASSERT_OK(queue_->Send("1"));
  ASSERT_OK_AND_ASSIGN(auto first, ReceiveNow(10, seconds(0)));
  ASSERT_EQ(first.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto second, ReceiveNow(10, seconds(0)));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].receive_count, 2);
}

TEST_P(QueueContractTest, ChangeVisibilityZeroReleasesAtOnceWithoutCountingAReceive) {
  ASSERT_OK(queue_->Send("1"));
  ASSERT_OK_AND_ASSIGN(auto first, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(first.size(), 1u);
  ASSERT_OK(queue_->ChangeVisibility(first[0].receipt_handle, seconds(0)));
  ASSERT_OK_AND_ASSIGN(auto again, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);  // the release itself did not count
}

TEST_P(QueueContractTest, ChangeVisibilityCountsFromNow) {
  ASSERT_OK(queue_->Send("1"));
  ASSERT_OK_AND_ASSIGN(auto first, ReceiveNow(1, seconds(2)));
  ASSERT_EQ(first.size(), 1u);
  harness_->Advance(milliseconds(1000));
  // Extended at t=1 by 3 s: hidden until t=4, past the original t=2.
  ASSERT_OK(queue_->ChangeVisibility(first[0].receipt_handle, seconds(3)));
  harness_->Advance(milliseconds(2000));
  ASSERT_OK_AND_ASSIGN(auto hidden, ReceiveNow(1, seconds(30)));
  EXPECT_TRUE(hidden.empty());
  harness_->Advance(milliseconds(1500));
  ASSERT_OK_AND_ASSIGN(auto back, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].receive_count, 2);
}

TEST_P(QueueContractTest, ADelayedMessageWaitsForItsDelay) {
  ASSERT_OK(queue_->Send("later", seconds(2)));
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.delayed, 1);
  EXPECT_EQ(stats.visible, 0);
  ASSERT_OK_AND_ASSIGN(auto early, ReceiveNow(1, seconds(30)));
  EXPECT_TRUE(early.empty());
  harness_->Advance(milliseconds(2500));
  ASSERT_OK_AND_ASSIGN(auto due, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].body, "later");
  EXPECT_EQ(due[0].receive_count, 1);
}

// ---- Delete and receipt handles ----

TEST_P(QueueContractTest, DeleteRemovesTheMessageForGood) {
  ASSERT_OK(queue_->Send("1"));
  ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(1, seconds(1)));
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_OK(queue_->Delete(messages[0].receipt_handle));
  harness_->Advance(milliseconds(1500));
  ASSERT_OK_AND_ASSIGN(auto after, ReceiveNow(1, seconds(30)));
  EXPECT_TRUE(after.empty());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed + stats.dead_lettered, 0);
}

TEST_P(QueueContractTest, DeletingTwiceIsOk) {
  ASSERT_OK(queue_->Send("1"));
  ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_OK(queue_->Delete(messages[0].receipt_handle));
  EXPECT_OK(queue_->Delete(messages[0].receipt_handle));
}

TEST_P(QueueContractTest, AStaleHandleNeitherDeletesNorChangesTheMessage) {
  ASSERT_OK(queue_->Send("1"));
  ASSERT_OK_AND_ASSIGN(auto first, ReceiveNow(1, seconds(1)));
  ASSERT_EQ(first.size(), 1u);
  harness_->Advance(milliseconds(1500));
  ASSERT_OK_AND_ASSIGN(auto second, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(second.size(), 1u);

  const std::string& stale = first[0].receipt_handle;
  Status deleted = queue_->Delete(stale);
  if (harness_->refuses_stale_delete()) {
    EXPECT_EQ(deleted.code(), StatusCode::kInvalidArgument) << deleted.ToString();
    EXPECT_NE(deleted.message().find("stale receipt handle"), std::string::npos)
        << deleted.ToString();
  } else {
    EXPECT_OK(deleted);  // and the checks below show it deleted nothing
  }
  EXPECT_CODE(queue_->ChangeVisibility(stale, seconds(0)), StatusCode::kInvalidArgument);

  // Still leased by the second receive: not visible, not gone.
  ASSERT_OK_AND_ASSIGN(auto hidden, ReceiveNow(1, seconds(30)));
  EXPECT_TRUE(hidden.empty());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_OK(queue_->Delete(second[0].receipt_handle));
}

TEST_P(QueueContractTest, TheNewestHandleWorksEvenAfterItsTimeoutIfNobodyReceivedSince) {
  ASSERT_OK(queue_->Send("1"));
  ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(1, seconds(1)));
  ASSERT_EQ(messages.size(), 1u);
  harness_->Advance(milliseconds(1500));
  EXPECT_OK(queue_->Delete(messages[0].receipt_handle));
  ASSERT_OK_AND_ASSIGN(auto after, ReceiveNow(1, seconds(30)));
  EXPECT_TRUE(after.empty());
}

TEST_P(QueueContractTest, GarbageHandlesAreInvalidArguments) {
  ASSERT_OK(queue_->Send("1"));
  for (const char* handle : {"", "garbage", "1", "1.", "1.zz"}) {
    if (*handle == '\0' || harness_->refuses_malformed_delete()) {
      EXPECT_CODE(queue_->Delete(handle), StatusCode::kInvalidArgument) << handle;
    }
    EXPECT_CODE(queue_->ChangeVisibility(handle, seconds(0)), StatusCode::kInvalidArgument)
        << handle;
  }
}

TEST_P(QueueContractTest, ChangeVisibilityOfADeletedMessageIsInvalidArgument) {
  ASSERT_OK(queue_->Send("1"));
  ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_OK(queue_->Delete(messages[0].receipt_handle));
  EXPECT_CODE(queue_->ChangeVisibility(messages[0].receipt_handle, seconds(5)),
              StatusCode::kInvalidArgument);
}

// ---- Dead letters ----

TEST_P(QueueContractTest, AMessageIsDeadLetteredInsteadOfExceedingMaxReceives) {
  const int max = harness_->max_receive_count();
  ASSERT_OK_AND_ASSIGN(std::string id, queue_->Send("poison"));
  for (int i = 1; i <= max; ++i) {
    ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(1, seconds(1)));
    ASSERT_EQ(messages.size(), 1u) << "receive " << i;
    EXPECT_EQ(messages[0].id, id);
    EXPECT_EQ(messages[0].receive_count, i);
    harness_->Advance(milliseconds(1500));
  }
  ASSERT_OK_AND_ASSIGN(auto none, ReceiveNow(1, seconds(1)));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.dead_lettered, 1);
  EXPECT_EQ(stats.visible, 0);
  EXPECT_EQ(stats.in_flight, 0);
}

TEST_P(QueueContractTest, DeadLetteringMakesRoomForTheNextMessageInTheSameReceive) {
  const int max = harness_->max_receive_count();
  ASSERT_OK(queue_->Send("poison"));
  for (int i = 1; i <= max; ++i) {
    ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(1, seconds(1)));
    ASSERT_EQ(messages.size(), 1u);
    harness_->Advance(milliseconds(1500));
  }
  ASSERT_OK(queue_->Send("healthy"));
  ASSERT_OK_AND_ASSIGN(auto messages, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, "healthy");
}

// ---- Stats ----

TEST_P(QueueContractTest, StatsCountEachState) {
  ASSERT_OK(queue_->Send("visible1"));
  ASSERT_OK(queue_->Send("visible2"));
  ASSERT_OK(queue_->Send("delayed", seconds(60)));
  ASSERT_OK_AND_ASSIGN(auto leased, ReceiveNow(1, seconds(30)));
  ASSERT_EQ(leased.size(), 1u);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible, 1);
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.delayed, 1);
  EXPECT_EQ(stats.dead_lettered, 0);
}

// ---- Durability ----

TEST_P(QueueContractTest, MessagesAndLeasesSurviveARestart) {
  ASSERT_OK_AND_ASSIGN(std::string leased_id, queue_->Send("leased"));
  ASSERT_OK(queue_->Send("waiting"));
  ASSERT_OK_AND_ASSIGN(auto leased, ReceiveNow(1, seconds(2)));
  ASSERT_EQ(leased.size(), 1u);

  Reopen();
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible, 1);
  EXPECT_EQ(stats.in_flight, 1);
  ASSERT_OK_AND_ASSIGN(auto waiting, ReceiveNow(10, seconds(30)));
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].body, "waiting");

  // The lease still ends on time, and the handle from before the restart goes stale only when
  // the message is received again.
  harness_->Advance(milliseconds(2500));
  ASSERT_OK_AND_ASSIGN(auto back, ReceiveNow(10, seconds(30)));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].id, leased_id);
  EXPECT_EQ(back[0].receive_count, 2);
  if (harness_->refuses_stale_delete()) {
    EXPECT_CODE(queue_->Delete(leased[0].receipt_handle), StatusCode::kInvalidArgument);
  }
  EXPECT_OK(queue_->Delete(back[0].receipt_handle));
  EXPECT_OK(queue_->Delete(waiting[0].receipt_handle));
}

// ---- Threads and long polls ----

TEST_P(QueueContractTest, TwoThreadsReceivingNeverGetTheSameMessage) {
  constexpr int kMessages = 60;
  for (int i = 0; i < kMessages; ++i) ASSERT_OK(queue_->Send(std::to_string(i)));

  std::vector<std::string> got[2];
  std::string errors[2];
  {
    std::jthread receivers[2];
    for (int t = 0; t < 2; ++t) {
      receivers[t] = std::jthread([&, t] {
        while (true) {
          Result<std::vector<QueueMessage>> batch = ReceiveNow(3, seconds(300));
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

TEST_P(QueueContractTest, ALongPollReturnsWhenAnotherThreadSends) {
  auto poll = std::async(std::launch::async, [&] {
    return queue_->Receive(1, kLongPoll, seconds(30), std::stop_token());
  });
  ASSERT_OK(queue_->Send("wake up"));
  ASSERT_EQ(poll.wait_for(kHangGuard), std::future_status::ready);
  ASSERT_OK_AND_ASSIGN(auto messages, poll.get());
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, "wake up");
}

TEST_P(QueueContractTest, AStopRequestEndsALongPollWithNothing) {
  std::stop_source stop;
  std::promise<void> started;
  auto poll = std::async(std::launch::async, [&] {
    started.set_value();
    return queue_->Receive(1, kLongPoll, seconds(30), stop.get_token());
  });
  started.get_future().wait();
  stop.request_stop();
  ASSERT_EQ(poll.wait_for(kHangGuard), std::future_status::ready);
  ASSERT_OK_AND_ASSIGN(auto messages, poll.get());
  EXPECT_TRUE(messages.empty());
}

TEST_P(QueueContractTest, AnAlreadyStoppedReceiveLeasesNothing) {
  ASSERT_OK(queue_->Send("1"));
  std::stop_source stop;
  stop.request_stop();
  ASSERT_OK_AND_ASSIGN(auto messages, queue_->Receive(1, kLongPoll, seconds(30), stop.get_token()));
  EXPECT_TRUE(messages.empty());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible, 1);
}

TEST_P(QueueContractTest, DescribeSaysWhereTheQueueIs) { EXPECT_FALSE(queue_->Describe().empty()); }

}  // namespace enhancer
