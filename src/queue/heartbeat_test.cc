#include "queue/heartbeat.h"

#include <gtest/gtest.h>

#include <thread>

#include "db/scoped_temp_dir.h"
#include "db/status_test_macros.h"
#include "queue/embedded_queue.h"
#include "queue/recording_queue.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Call = RecordingQueue::Call;

class HeartbeatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EmbeddedQueueOptions options;
    options.path = dir_.File("queue.db");
    options.clock = &clock_;
    ASSERT_OK_AND_ASSIGN(queue_, EmbeddedQueue::Open(options));
    recording_ = std::make_unique<RecordingQueue>(*queue_);
    ASSERT_OK(queue_->Send("1"));
    ASSERT_OK_AND_ASSIGN(auto messages,
                         queue_->Receive(1, seconds(0), seconds(30), std::stop_token()));
    ASSERT_EQ(messages.size(), 1u);
    message_ = messages[0];
  }

  ScopedTempDir dir_;
  FakeClock clock_;
  std::unique_ptr<EmbeddedQueue> queue_;
  std::unique_ptr<RecordingQueue> recording_;
  QueueMessage message_;
};

TEST_F(HeartbeatTest, ExtendsTheLeaseByTheVisibilityUntilDestroyed) {
  int calls_at_destruction = 0;
  {
    Heartbeat heartbeat(*recording_, message_.id, message_.receipt_handle, milliseconds(10),
                        seconds(45));
    ASSERT_TRUE(recording_->WaitForCount(Call::kChangeVisibility, 2));
    EXPECT_FALSE(heartbeat.lease_lost());
  }
  calls_at_destruction = recording_->Count(Call::kChangeVisibility);
  for (const Call& call : recording_->calls()) {
    ASSERT_EQ(call.kind, Call::kChangeVisibility);
    EXPECT_EQ(call.receipt_handle, message_.receipt_handle);
    EXPECT_EQ(call.timeout, seconds(45));
    EXPECT_OK(call.status);
  }
  // The lease now ends 45 s after the last beat: invisible at +44 s, back at +45 s.
  clock_.Advance(seconds(44));
  ASSERT_OK_AND_ASSIGN(auto hidden, queue_->Receive(1, seconds(0), seconds(30), std::stop_token()));
  EXPECT_TRUE(hidden.empty());
  clock_.Advance(seconds(1));
  ASSERT_OK_AND_ASSIGN(auto back, queue_->Receive(1, seconds(0), seconds(30), std::stop_token()));
  EXPECT_EQ(back.size(), 1u);
  // Nothing beat after the destructor returned.
  EXPECT_EQ(recording_->Count(Call::kChangeVisibility), calls_at_destruction);
}

TEST_F(HeartbeatTest, DestroyingBeforeTheFirstBeatSendsNothing) {
  {
    Heartbeat heartbeat(*recording_, message_.id, message_.receipt_handle, seconds(3600),
                        seconds(45));
  }
  EXPECT_EQ(recording_->Count(Call::kChangeVisibility), 0);
}

TEST_F(HeartbeatTest, AStaleHandleStopsTheBeatsAndReportsTheLostLease) {
  // The lease lapses and another consumer receives the message: this handle is stale now.
  clock_.Advance(seconds(31));
  ASSERT_OK_AND_ASSIGN(auto again, queue_->Receive(1, seconds(0), seconds(30), std::stop_token()));
  ASSERT_EQ(again.size(), 1u);

  Heartbeat heartbeat(*recording_, message_.id, message_.receipt_handle, milliseconds(10),
                      seconds(45));
  ASSERT_TRUE(recording_->WaitForCount(Call::kChangeVisibility, 1));
  // lease_lost is set just after the refused call is recorded.
  const auto guard = std::chrono::steady_clock::now() + seconds(60);
  while (!heartbeat.lease_lost() && std::chrono::steady_clock::now() < guard) {
    std::this_thread::yield();
  }
  EXPECT_TRUE(heartbeat.lease_lost());
  EXPECT_CODE(recording_->calls()[0].status, StatusCode::kInvalidArgument);
  EXPECT_EQ(heartbeat.beats(), 0);
}

TEST_F(HeartbeatTest, ATransientFailureIsRetriedAtTheNextBeat) {
  recording_->FailChangeVisibility(UnavailableError("queue down"));
  Heartbeat heartbeat(*recording_, message_.id, message_.receipt_handle, milliseconds(10),
                      seconds(45));
  ASSERT_TRUE(recording_->WaitForCount(Call::kChangeVisibility, 2));
  recording_->FailChangeVisibility(OkStatus());
  ASSERT_TRUE(recording_->WaitFor(
      [](const std::vector<Call>& calls) { return !calls.empty() && calls.back().status.ok(); }));
  EXPECT_FALSE(heartbeat.lease_lost());
}

}  // namespace
}  // namespace enhancer
