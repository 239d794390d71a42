#include "queue/consumer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <set>
#include <stdexcept>
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

// A gate handlers wait at until the test opens it, or their stop_token is requested.
class Gate {
 public:
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  // True when opened, false when stopped first.
  bool Wait(std::stop_token stop) {
    std::unique_lock lock(mu_);
    return cv_.wait(lock, stop, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool open_ = false;
};

class ConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(queue_, EmbeddedQueue::Open(QueueOptions(&clock_)));
    recording_ = std::make_unique<RecordingQueue>(*queue_);
    options_.wait_seconds = 1;
    options_.visibility = seconds(30);
    options_.heartbeat_interval = seconds(10);
    options_.base_backoff = seconds(5);
    options_.max_backoff = seconds(300);
    options_.receive_error_pause = milliseconds(10);
    options_.shutdown_grace = milliseconds(60'000);
  }

  EmbeddedQueueOptions QueueOptions(const Clock* clock) {
    EmbeddedQueueOptions options;
    options.path = dir_.File("queue.db");
    options.clock = clock;
    options.poll_interval = milliseconds(10);
    return options;
  }

  Result<std::vector<QueueMessage>> ReceiveNow() {
    return queue_->Receive(10, seconds(0), seconds(30), std::stop_token());
  }

  // Handles of the calls of `kind`, in order.
  std::vector<Call> CallsOf(Call::Kind kind) {
    std::vector<Call> out;
    for (const Call& c : recording_->calls()) {
      if (c.kind == kind) out.push_back(c);
    }
    return out;
  }

  ScopedTempDir dir_;
  FakeClock clock_;
  std::unique_ptr<EmbeddedQueue> queue_;
  std::unique_ptr<RecordingQueue> recording_;
  ConsumerOptions options_;
};

TEST_F(ConsumerTest, ASuccessDeletesTheMessage) {
  ASSERT_OK(queue_->Send("42"));
  std::promise<std::string> handled;
  Consumer consumer(
      *recording_,
      [&](const QueueMessage& m, std::stop_token) {
        handled.set_value(m.body);
        return OkStatus();
      },
      options_);
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(recording_->WaitForCount(Call::kDelete, 1));
  consumer.Stop();

  EXPECT_EQ(handled.get_future().get(), "42");
  EXPECT_OK(CallsOf(Call::kDelete)[0].status);
  EXPECT_TRUE(CallsOf(Call::kChangeVisibility).empty());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed + stats.dead_lettered, 0);
}

TEST_F(ConsumerTest, APermanentErrorDeletesTheMessage) {
  ASSERT_OK(queue_->Send("42"));
  Consumer consumer(
      *recording_,
      [&](const QueueMessage&, std::stop_token) {
        return NotFoundError("product 42 does not exist");
      },
      options_);
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(recording_->WaitForCount(Call::kDelete, 1));
  consumer.Stop();
  EXPECT_TRUE(CallsOf(Call::kChangeVisibility).empty());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible + stats.in_flight, 0);
}

TEST_F(ConsumerTest, ATransientErrorReleasesWithABackoffThatGrowsPerReceive) {
  ASSERT_OK(queue_->Send("42"));
  std::atomic<int> attempts{0};
  Consumer consumer(
      *recording_,
      [&](const QueueMessage& m, std::stop_token) {
        EXPECT_EQ(m.receive_count, attempts.fetch_add(1) + 1);
        return UnavailableError("gemini said 503");
      },
      options_);
  ASSERT_OK(consumer.Start());

  ASSERT_TRUE(recording_->WaitForCount(Call::kChangeVisibility, 1));
  EXPECT_EQ(CallsOf(Call::kChangeVisibility)[0].timeout, seconds(5));
  // The fake clock has not moved, so the message stays invisible: no second attempt yet.
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.visible, 0);

  clock_.Advance(seconds(5));  // the backoff has passed: the consumer picks it up again
  ASSERT_TRUE(recording_->WaitForCount(Call::kChangeVisibility, 2));
  EXPECT_EQ(CallsOf(Call::kChangeVisibility)[1].timeout, seconds(10));
  consumer.Stop();
  EXPECT_EQ(attempts.load(), 2);
  EXPECT_TRUE(CallsOf(Call::kDelete).empty());

  // Released for 10 s from now: hidden at +9 s, back at +10 s with its third receive.
  clock_.Advance(seconds(9));
  ASSERT_OK_AND_ASSIGN(auto hidden, ReceiveNow());
  EXPECT_TRUE(hidden.empty());
  clock_.Advance(seconds(1));
  ASSERT_OK_AND_ASSIGN(auto back, ReceiveNow());
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].receive_count, 3);
}

TEST_F(ConsumerTest, AThrowingHandlerCountsAsABugAndIsRetried) {
  ASSERT_OK(queue_->Send("42"));
  Consumer consumer(
      *recording_,
      [&](const QueueMessage&, std::stop_token) -> Status { throw std::runtime_error("boom"); },
      options_);
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(recording_->WaitForCount(Call::kChangeVisibility, 1));
  consumer.Stop();
  EXPECT_EQ(CallsOf(Call::kChangeVisibility)[0].timeout, seconds(5));
  EXPECT_TRUE(CallsOf(Call::kDelete).empty());
}

TEST_F(ConsumerTest, NoMoreThanConcurrencyMessagesAreLeasedAtOnce) {
  constexpr int kMessages = 7;
  constexpr int kConcurrency = 3;
  for (int i = 0; i < kMessages; ++i) ASSERT_OK(queue_->Send(std::to_string(i)));
  std::mutex mu;
  std::condition_variable cv;
  int active = 0;
  int most_active = 0;
  std::set<std::string> bodies;
  Gate gate;
  options_.concurrency = kConcurrency;
  Consumer consumer(
      *recording_,
      [&](const QueueMessage& m, std::stop_token stop) {
        {
          std::lock_guard lock(mu);
          most_active = std::max(most_active, ++active);
          bodies.insert(m.body);
        }
        cv.notify_all();
        gate.Wait(stop);
        std::lock_guard lock(mu);
        --active;
        return OkStatus();
      },
      options_);
  ASSERT_OK(consumer.Start());
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kHangGuard, [&] { return active == kConcurrency; }));
  }
  // Every worker is busy, so none has leased another message: exactly three are in flight.
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.in_flight, kConcurrency);
  EXPECT_EQ(stats.visible, kMessages - kConcurrency);

  gate.Open();
  ASSERT_TRUE(recording_->WaitForCount(Call::kDelete, kMessages));
  consumer.Stop();
  EXPECT_EQ(most_active, kConcurrency);
  EXPECT_EQ(bodies.size(), static_cast<size_t>(kMessages));
}

// Real time: the lease is 2 s and renewed every 1 s while the job runs for longer than 2 s.
// A second receiver long-polls past the original lease and must get nothing.
TEST_F(ConsumerTest, TheHeartbeatKeepsALongJobInvisibleAndStopsWithIt) {
  ASSERT_OK_AND_ASSIGN(queue_, EmbeddedQueue::Open(QueueOptions(nullptr)));
  recording_ = std::make_unique<RecordingQueue>(*queue_);
  ASSERT_OK(queue_->Send("slow"));
  options_.visibility = seconds(2);
  options_.heartbeat_interval = seconds(1);
  Gate gate;
  std::promise<std::string> started;
  Consumer consumer(
      *recording_,
      [&](const QueueMessage& m, std::stop_token stop) {
        started.set_value(m.receipt_handle);
        gate.Wait(stop);
        return OkStatus();
      },
      options_);
  ASSERT_OK(consumer.Start());
  const std::string handle = started.get_future().get();

  ASSERT_OK_AND_ASSIGN(auto stolen, queue_->Receive(1, seconds(4), seconds(30), std::stop_token()));
  EXPECT_TRUE(stolen.empty()) << "the message was redelivered while its job was running";

  gate.Open();
  ASSERT_TRUE(recording_->WaitForCount(Call::kDelete, 1));
  consumer.Stop();

  std::vector<Call> calls = recording_->calls();
  int beats = 0;
  bool deleted = false;
  for (const Call& c : calls) {
    if (c.kind == Call::kChangeVisibility) {
      EXPECT_FALSE(deleted) << "a heartbeat ran after the message was settled";
      EXPECT_EQ(c.receipt_handle, handle);
      EXPECT_EQ(c.timeout, seconds(2));
      EXPECT_OK(c.status);
      ++beats;
    }
    if (c.kind == Call::kDelete) {
      deleted = true;
      EXPECT_OK(c.status);
    }
  }
  EXPECT_GE(beats, 1);
}

// Real time: three jobs run at once, each renewed by the one heartbeat every second, and end in
// turn (success, permanent failure, transient failure). No renewal of a message may follow its
// delete or release.
TEST_F(ConsumerTest, EachMessagesHeartbeatEndsExactlyWhenItsWorkEnds) {
  ASSERT_OK_AND_ASSIGN(queue_, EmbeddedQueue::Open(QueueOptions(nullptr)));
  recording_ = std::make_unique<RecordingQueue>(*queue_);
  for (const char* body : {"ok", "permanent", "transient"}) ASSERT_OK(queue_->Send(body));
  options_.concurrency = 3;
  options_.visibility = seconds(2);
  options_.heartbeat_interval = seconds(1);
  std::mutex mu;
  std::map<std::string, std::string> handle_of;  // body -> receipt handle
  std::map<std::string, std::unique_ptr<Gate>> gates;
  for (const char* body : {"ok", "permanent", "transient"}) gates[body] = std::make_unique<Gate>();
  Consumer consumer(
      *recording_,
      [&](const QueueMessage& m, std::stop_token stop) {
        {
          std::lock_guard lock(mu);
          handle_of[m.body] = m.receipt_handle;
        }
        gates.at(m.body)->Wait(stop);
        if (m.body == "permanent") return InvalidArgumentError("not an image");
        if (m.body == "transient") return UnavailableError("503");
        return OkStatus();
      },
      options_);
  ASSERT_OK(consumer.Start());
  auto renewals_of = [&](const std::vector<Call>& calls, const std::string& handle) {
    int n = 0;
    for (const Call& c : calls) {
      n += c.kind == Call::kChangeVisibility && c.receipt_handle == handle &&
                   c.timeout == options_.visibility
               ? 1
               : 0;
    }
    return n;
  };
  // Every job has been renewed at least twice before any ends.
  ASSERT_TRUE(recording_->WaitFor([&](const std::vector<Call>& calls) {
    std::lock_guard lock(mu);
    if (handle_of.size() < 3) return false;
    for (const auto& [body, handle] : handle_of) {
      if (renewals_of(calls, handle) < 2) return false;
    }
    return true;
  }));
  gates["ok"]->Open();
  ASSERT_TRUE(recording_->WaitForCount(Call::kDelete, 1));
  gates["permanent"]->Open();
  ASSERT_TRUE(recording_->WaitForCount(Call::kDelete, 2));
  // The last one keeps beating alone for a while after the others ended.
  const std::vector<Call> at_second_end = recording_->calls();
  ASSERT_TRUE(recording_->WaitFor([&](const std::vector<Call>& calls) {
    return renewals_of(calls, handle_of["transient"]) >=
           renewals_of(at_second_end, handle_of["transient"]) + 2;
  }));
  gates["transient"]->Open();
  ASSERT_TRUE(recording_->WaitFor([&](const std::vector<Call>& calls) {
    for (const Call& c : calls) {
      if (c.kind == Call::kChangeVisibility && c.timeout == options_.base_backoff) return true;
    }
    return false;
  }));
  consumer.Stop();

  for (const auto& [body, handle] : handle_of) {
    bool settled = false;
    int renewals = 0;
    for (const Call& c : recording_->calls()) {
      if (c.receipt_handle != handle) continue;
      const bool renewal = c.kind == Call::kChangeVisibility && c.timeout == options_.visibility;
      if (renewal) {
        EXPECT_FALSE(settled) << body << ": renewed after it was settled";
        EXPECT_OK(c.status) << body;
        ++renewals;
      } else {
        EXPECT_FALSE(settled) << body << ": settled twice";
        settled = true;
        EXPECT_OK(c.status) << body;
        if (body == "transient") {
          EXPECT_EQ(c.kind, Call::kChangeVisibility);
          EXPECT_EQ(c.timeout, options_.base_backoff);
        } else {
          EXPECT_EQ(c.kind, Call::kDelete) << body;
        }
      }
    }
    EXPECT_TRUE(settled) << body;
    EXPECT_GE(renewals, 2) << body;
  }
}

// The fake clock runs the ceiling: a job still running after max_job_time has its stop_token
// requested by the heartbeat (not by shutdown), and its message goes back with the usual backoff.
TEST_F(ConsumerTest, AJobStillRunningAfterMaxJobTimeIsStoppedAndItsMessageReleased) {
  ASSERT_OK(queue_->Send("stuck"));
  options_.visibility = seconds(2);
  options_.heartbeat_interval = seconds(1);
  options_.max_job_time = seconds(4);
  options_.clock = &clock_;
  std::promise<void> started;
  std::promise<Consumer::State> stopped_in_state;
  Consumer* self = nullptr;
  Consumer consumer(
      *recording_,
      [&](const QueueMessage&, std::stop_token stop) {
        started.set_value();
        Gate never;
        never.Wait(stop);
        stopped_in_state.set_value(self->state());
        return CancelledError("stopped");
      },
      options_);
  self = &consumer;
  ASSERT_OK(consumer.Start());
  started.get_future().get();
  ASSERT_TRUE(recording_->WaitForCount(Call::kChangeVisibility, 1));  // renewed while young

  clock_.Advance(seconds(4));
  auto state = stopped_in_state.get_future();
  ASSERT_EQ(state.wait_for(kHangGuard), std::future_status::ready);
  EXPECT_EQ(state.get(), Consumer::State::kRunning) << "stopped by the ceiling, not by shutdown";
  auto released = [](const Call& c) {
    return c.kind == Call::kChangeVisibility && c.timeout == seconds(5);
  };
  ASSERT_TRUE(recording_->WaitFor([&](const std::vector<Call>& calls) {
    return std::any_of(calls.begin(), calls.end(), released);
  }));
  consumer.Stop();
  int releases = 0;
  for (const Call& c : CallsOf(Call::kChangeVisibility)) {
    if (released(c)) {
      ++releases;
      EXPECT_OK(c.status);
    } else {
      EXPECT_LE(c.timeout, seconds(2)) << "renewals never reach past the lease";
    }
  }
  EXPECT_EQ(releases, 1);
  EXPECT_TRUE(CallsOf(Call::kDelete).empty());
}

TEST_F(ConsumerTest, StopEndsAParkedLongPollPromptly) {
  options_.wait_seconds = 20;
  Consumer consumer(
      *recording_, [](const QueueMessage&, std::stop_token) { return OkStatus(); }, options_);
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(recording_->WaitForCount(Call::kReceiveStarted, 1));
  auto stopping = std::async(std::launch::async, [&] { consumer.Stop(); });
  // Well under the 20 s long poll: only a stop that reaches the parked Receive gets here.
  ASSERT_EQ(stopping.wait_for(seconds(10)), std::future_status::ready);
  EXPECT_EQ(consumer.state(), Consumer::State::kStopped);
  std::vector<Call> received = CallsOf(Call::kReceived);
  ASSERT_FALSE(received.empty());
  EXPECT_TRUE(received.back().stop_requested);
}

TEST_F(ConsumerTest, StopLetsARunningHandlerFinishWithinTheGracePeriod) {
  ASSERT_OK(queue_->Send("42"));
  Gate gate;
  std::promise<void> started;
  std::atomic<bool> handler_was_stopped{false};
  Consumer consumer(
      *recording_,
      [&](const QueueMessage&, std::stop_token stop) {
        started.set_value();
        handler_was_stopped = !gate.Wait(stop);
        return OkStatus();
      },
      options_);
  ASSERT_OK(consumer.Start());
  started.get_future().get();

  auto stopping = std::async(std::launch::async, [&] { consumer.Stop(); });
  const auto guard = std::chrono::steady_clock::now() + kHangGuard;
  while (consumer.state() != Consumer::State::kStopping &&
         std::chrono::steady_clock::now() < guard) {
    std::this_thread::yield();
  }
  EXPECT_EQ(consumer.state(), Consumer::State::kStopping);
  gate.Open();
  ASSERT_EQ(stopping.wait_for(kHangGuard), std::future_status::ready);

  EXPECT_FALSE(handler_was_stopped.load());
  EXPECT_EQ(CallsOf(Call::kDelete).size(), 1u);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, queue_->Stats());
  EXPECT_EQ(stats.visible + stats.in_flight, 0);
}

TEST_F(ConsumerTest, AfterTheGracePeriodHandlersAreStoppedAndTheirMessagesReleasedAtOnce) {
  ASSERT_OK(queue_->Send("42"));
  options_.shutdown_grace = milliseconds(0);
  std::promise<void> started;
  Consumer consumer(
      *recording_,
      [&](const QueueMessage&, std::stop_token stop) {
        started.set_value();
        Gate never;
        never.Wait(stop);
        return CancelledError("stopped");
      },
      options_);
  ASSERT_OK(consumer.Start());
  started.get_future().get();
  consumer.Stop();

  std::vector<Call> released = CallsOf(Call::kChangeVisibility);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].timeout, seconds(0));
  EXPECT_TRUE(CallsOf(Call::kDelete).empty());
  // Visible again right away, for another consumer.
  ASSERT_OK_AND_ASSIGN(auto again, ReceiveNow());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_F(ConsumerTest, ReceiveErrorsDoNotEndTheLoop) {
  recording_->FailNextReceives(3);
  ASSERT_OK(queue_->Send("42"));
  Consumer consumer(
      *recording_, [](const QueueMessage&, std::stop_token) { return OkStatus(); }, options_);
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(recording_->WaitForCount(Call::kDelete, 1));
  consumer.Stop();
  int failed = 0;
  for (const Call& c : CallsOf(Call::kReceived)) {
    if (!c.status.ok()) {
      EXPECT_EQ(c.status.code(), StatusCode::kUnavailable);
      ++failed;
    }
  }
  EXPECT_EQ(failed, 3);
}

TEST_F(ConsumerTest, StartChecksOptionsAndRunsOnce) {
  ConsumerOptions bad = options_;
  bad.heartbeat_interval = bad.visibility;
  Consumer invalid(
      *recording_, [](const QueueMessage&, std::stop_token) { return OkStatus(); }, bad);
  EXPECT_CODE(invalid.Start(), StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid.state(), Consumer::State::kIdle);

  Consumer consumer(
      *recording_, [](const QueueMessage&, std::stop_token) { return OkStatus(); }, options_);
  ASSERT_OK(consumer.Start());
  EXPECT_EQ(consumer.state(), Consumer::State::kRunning);
  EXPECT_CODE(consumer.Start(), StatusCode::kFailedPrecondition);
  consumer.Stop();
  consumer.Stop();  // idempotent
  EXPECT_EQ(consumer.state(), Consumer::State::kStopped);
  EXPECT_CODE(consumer.Start(), StatusCode::kFailedPrecondition);
}

TEST_F(ConsumerTest, StoppingANeverStartedConsumerIsFine) {
  Consumer consumer(
      *recording_, [](const QueueMessage&, std::stop_token) { return OkStatus(); }, options_);
  consumer.Stop();
  EXPECT_EQ(consumer.state(), Consumer::State::kStopped);
}

TEST_F(ConsumerTest, TheDestructorStops) {
  ASSERT_OK(queue_->Send("42"));
  {
    Consumer consumer(
        *recording_, [](const QueueMessage&, std::stop_token) { return OkStatus(); }, options_);
    ASSERT_OK(consumer.Start());
    ASSERT_TRUE(recording_->WaitForCount(Call::kDelete, 1));
  }
  const int receives = recording_->Count(Call::kReceiveStarted);
  EXPECT_EQ(recording_->Count(Call::kReceived), receives);  // every receive had returned
}

}  // namespace
}  // namespace enhancer
