#include "queue/heartbeat.h"

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <set>
#include <thread>

#include "db/scoped_temp_dir.h"
#include "core/status_matchers.h"
#include "queue/embedded_queue.h"
#include "queue/recording_queue.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Call = RecordingQueue::Call;

constexpr seconds kHangGuard{60};

// Records the size of every ChangeVisibilityBatch call, then forwards it entry by entry (the
// Queue default) so the RecordingQueue below still sees each renewal. It can also hold a batch
// until the test lets it go.
class BatchRecordingQueue final : public QueueWrapper {
 public:
  using QueueWrapper::QueueWrapper;

  std::vector<Status> ChangeVisibilityBatch(const std::vector<VisibilityChange>& changes) override {
    {
      std::unique_lock lock(mu_);
      batch_sizes_.push_back(changes.size());
      ++batches_started_;
      changed_.notify_all();
      changed_.wait(lock, [&] { return !hold_; });
    }
    return Queue::ChangeVisibilityBatch(changes);
  }

  void Hold(bool hold) {
    {
      std::lock_guard lock(mu_);
      hold_ = hold;
    }
    changed_.notify_all();
  }
  bool WaitForBatches(int n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, kHangGuard, [&] { return batches_started_ >= n; });
  }
  std::vector<size_t> batch_sizes() const {
    std::lock_guard lock(mu_);
    return batch_sizes_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<size_t> batch_sizes_;
  int batches_started_ = 0;
  bool hold_ = false;
};

class HeartbeatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EmbeddedQueueOptions options;
    options.path = dir_.File("queue.db");
    options.clock = &clock_;
    ASSERT_OK_AND_ASSIGN(queue_, EmbeddedQueue::Open(options));
    recording_ = std::make_unique<RecordingQueue>(*queue_);
    batches_ = std::make_unique<BatchRecordingQueue>(*recording_);
    options_.interval = milliseconds(10);
    options_.visibility = seconds(45);
    options_.max_lease = seconds(900);
    options_.clock = &clock_;
  }

  // Sends and receives `n` messages (30 s leases).
  std::vector<QueueMessage> Receive(int n) {
    for (int i = 0; i < n; ++i) EXPECT_OK(queue_->Send(std::to_string(i)));
    Result<std::vector<QueueMessage>> messages =
        queue_->Receive(n, seconds(0), seconds(30), std::stop_token());
    EXPECT_OK(messages);
    return messages ? *messages : std::vector<QueueMessage>{};
  }

  std::vector<Call> RenewalsOf(const std::string& handle) {
    std::vector<Call> out;
    for (const Call& c : recording_->calls()) {
      if (c.kind == Call::kChangeVisibility && c.receipt_handle == handle) out.push_back(c);
    }
    return out;
  }

  ScopedTempDir dir_;
  FakeClock clock_;
  std::unique_ptr<EmbeddedQueue> queue_;
  std::unique_ptr<RecordingQueue> recording_;
  std::unique_ptr<BatchRecordingQueue> batches_;
  HeartbeatOptions options_;
};

// Real beats from the heartbeat's own thread.
TEST_F(HeartbeatTest, ExtendsTheLeaseByTheVisibilityUntilTheLeaseIsDestroyed) {
  std::vector<QueueMessage> messages = Receive(1);
  ASSERT_EQ(messages.size(), 1u);
  Heartbeat heartbeat(*batches_, options_);
  {
    Heartbeat::Lease lease = heartbeat.Keep(messages[0]);
    ASSERT_TRUE(recording_->WaitForCount(Call::kChangeVisibility, 2));
    EXPECT_FALSE(lease.lost());
    EXPECT_FALSE(lease.past_ceiling());
  }
  EXPECT_EQ(heartbeat.kept(), 0u);
  for (const Call& call : recording_->calls()) {
    ASSERT_EQ(call.kind, Call::kChangeVisibility);
    EXPECT_EQ(call.receipt_handle, messages[0].receipt_handle);
    EXPECT_EQ(call.timeout, seconds(45));
    EXPECT_OK(call.status);
  }
  // The lease now ends 45 s after the last renewal: invisible at +44 s, back at +45 s.
  clock_.Advance(seconds(44));
  ASSERT_OK_AND_ASSIGN(auto hidden, queue_->Receive(1, seconds(0), seconds(30), std::stop_token()));
  EXPECT_TRUE(hidden.empty());
  clock_.Advance(seconds(1));
  ASSERT_OK_AND_ASSIGN(auto back, queue_->Receive(1, seconds(0), seconds(30), std::stop_token()));
  EXPECT_EQ(back.size(), 1u);
}

// From here on the thread never beats within a test (1 h interval): each test beats by hand.
class ManualHeartbeatTest : public HeartbeatTest {
 protected:
  void SetUp() override {
    HeartbeatTest::SetUp();
    options_.interval = milliseconds(3'600'000);
  }
};

TEST_F(ManualHeartbeatTest, RenewsEveryKeptMessageInOneBatchCall) {
  std::vector<QueueMessage> messages = Receive(3);
  ASSERT_EQ(messages.size(), 3u);
  Heartbeat heartbeat(*batches_, options_);
  std::vector<Heartbeat::Lease> leases;
  for (const QueueMessage& m : messages) leases.push_back(heartbeat.Keep(m));
  EXPECT_EQ(heartbeat.kept(), 3u);
  heartbeat.BeatForTest();
  heartbeat.BeatForTest();
  EXPECT_EQ(batches_->batch_sizes(), (std::vector<size_t>{3, 3}));
  for (const QueueMessage& m : messages) {
    std::vector<Call> renewals = RenewalsOf(m.receipt_handle);
    ASSERT_EQ(renewals.size(), 2u);
    for (const Call& c : renewals) {
      EXPECT_EQ(c.timeout, seconds(45));
      EXPECT_OK(c.status);
    }
  }
  for (const Heartbeat::Lease& lease : leases) EXPECT_EQ(lease.beats(), 2);

  leases.erase(leases.begin());  // the first message's work is done
  heartbeat.BeatForTest();
  EXPECT_EQ(batches_->batch_sizes().back(), 2u);
  EXPECT_EQ(RenewalsOf(messages[0].receipt_handle).size(), 2u);
  leases.clear();
  heartbeat.BeatForTest();  // nothing kept: nothing sent
  EXPECT_EQ(batches_->batch_sizes().size(), 3u);
}

TEST_F(ManualHeartbeatTest, NothingIsSentBeforeTheFirstBeat) {
  std::vector<QueueMessage> messages = Receive(1);
  {
    Heartbeat heartbeat(*batches_, options_);
    Heartbeat::Lease lease = heartbeat.Keep(messages[0]);
  }
  EXPECT_EQ(recording_->Count(Call::kChangeVisibility), 0);
  EXPECT_TRUE(batches_->batch_sizes().empty());
}

TEST_F(ManualHeartbeatTest, AStaleHandleStopsTheRenewalsOfThatMessageOnly) {
  std::vector<QueueMessage> messages = Receive(2);
  ASSERT_EQ(messages.size(), 2u);
  // Message 0's lease lapses and another consumer receives it: its handle is stale now.
  ASSERT_OK(queue_->ChangeVisibility(messages[0].receipt_handle, seconds(0)));
  ASSERT_OK_AND_ASSIGN(auto again, queue_->Receive(1, seconds(0), seconds(30), std::stop_token()));
  ASSERT_EQ(again.size(), 1u);
  ASSERT_EQ(again[0].id, messages[0].id);

  Heartbeat heartbeat(*batches_, options_);
  Heartbeat::Lease stale = heartbeat.Keep(messages[0]);
  Heartbeat::Lease good = heartbeat.Keep(messages[1]);
  for (int i = 0; i < 3; ++i) heartbeat.BeatForTest();
  EXPECT_TRUE(stale.lost());
  EXPECT_EQ(stale.beats(), 0);
  EXPECT_FALSE(good.lost());
  EXPECT_EQ(good.beats(), 3);
  std::vector<Call> stale_calls = RenewalsOf(messages[0].receipt_handle);
  ASSERT_EQ(stale_calls.size(), 1u);
  EXPECT_CODE(stale_calls[0].status, StatusCode::kInvalidArgument);
  EXPECT_EQ(batches_->batch_sizes(), (std::vector<size_t>{2, 1, 1}));
}

TEST_F(ManualHeartbeatTest, ATransientFailureIsRetriedAtTheNextBeat) {
  std::vector<QueueMessage> messages = Receive(1);
  recording_->FailChangeVisibility(UnavailableError("queue down"));
  Heartbeat heartbeat(*batches_, options_);
  Heartbeat::Lease lease = heartbeat.Keep(messages[0]);
  heartbeat.BeatForTest();
  heartbeat.BeatForTest();
  EXPECT_EQ(lease.beats(), 0);
  recording_->FailChangeVisibility(OkStatus());
  heartbeat.BeatForTest();
  EXPECT_FALSE(lease.lost());
  EXPECT_EQ(lease.beats(), 1);
  std::vector<Call> renewals = RenewalsOf(messages[0].receipt_handle);
  ASSERT_EQ(renewals.size(), 3u);
  EXPECT_CODE(renewals[0].status, StatusCode::kUnavailable);
  EXPECT_OK(renewals[2].status);
}

// max_lease counts on the fake clock: renewals shrink so the lease ends exactly at the ceiling,
// then stop, and the owner is told once. A message kept later is renewed all along.
TEST_F(ManualHeartbeatTest, AMessageIsNotKeptPastTheCeiling) {
  options_.max_lease = seconds(100);
  std::vector<QueueMessage> messages = Receive(2);
  ASSERT_EQ(messages.size(), 2u);
  Heartbeat heartbeat(*batches_, options_);
  int ceiling_calls = 0;
  Heartbeat::Lease stuck = heartbeat.Keep(messages[0], [&] { ++ceiling_calls; });
  heartbeat.BeatForTest();
  clock_.Advance(seconds(70));  // 30 s left: the renewal reaches the ceiling, not past it
  Heartbeat::Lease later = heartbeat.Keep(messages[1]);
  heartbeat.BeatForTest();
  clock_.Advance(seconds(29));  // 1 s left
  heartbeat.BeatForTest();
  EXPECT_FALSE(stuck.past_ceiling());
  EXPECT_EQ(ceiling_calls, 0);
  clock_.Advance(seconds(1));  // the ceiling
  heartbeat.BeatForTest();
  heartbeat.BeatForTest();
  EXPECT_TRUE(stuck.past_ceiling());
  EXPECT_EQ(ceiling_calls, 1);

  std::vector<seconds> timeouts;
  for (const Call& c : RenewalsOf(messages[0].receipt_handle)) timeouts.push_back(c.timeout);
  EXPECT_EQ(timeouts, (std::vector<seconds>{seconds(45), seconds(30), seconds(1)}));
  EXPECT_EQ(later.beats(), 4);
  EXPECT_FALSE(later.past_ceiling());
  EXPECT_EQ(batches_->batch_sizes(), (std::vector<size_t>{1, 2, 2, 1, 1}));

  // Its last lease ended at the ceiling: it is back on the queue for another consumer.
  ASSERT_OK_AND_ASSIGN(auto back, queue_->Receive(1, seconds(0), seconds(30), std::stop_token()));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].id, messages[0].id);
  EXPECT_EQ(back[0].receive_count, 2);
}

// Destroying a Lease while a beat that carries it is at the queue waits for that beat, so the
// owner's Delete can never be followed by a renewal of the same message.
TEST_F(ManualHeartbeatTest, DestroyingALeaseWaitsForTheBeatThatCarriesIt) {
  std::vector<QueueMessage> messages = Receive(1);
  Heartbeat heartbeat(*batches_, options_);
  auto lease = std::make_unique<Heartbeat::Lease>(heartbeat.Keep(messages[0]));
  batches_->Hold(true);
  auto beat = std::async(std::launch::async, [&] { heartbeat.BeatForTest(); });
  ASSERT_TRUE(batches_->WaitForBatches(1));
  auto destroyed = std::async(std::launch::async, [&] { lease.reset(); });
  // The beat is held at the queue, so the destructor must still be waiting (a wait here can only
  // miss a bug, never invent one).
  EXPECT_EQ(destroyed.wait_for(milliseconds(200)), std::future_status::timeout);
  batches_->Hold(false);
  ASSERT_EQ(destroyed.wait_for(kHangGuard), std::future_status::ready);
  ASSERT_EQ(beat.wait_for(kHangGuard), std::future_status::ready);
  EXPECT_EQ(recording_->Count(Call::kChangeVisibility), 1);
  ASSERT_OK(queue_->Delete(messages[0].receipt_handle));
  heartbeat.BeatForTest();
  EXPECT_EQ(recording_->Count(Call::kChangeVisibility), 1);
}

}  // namespace
}  // namespace enhancer
