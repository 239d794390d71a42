// Heartbeat: keeps every message a consumer is working on leased, from one thread with one
// batched visibility change per interval (Queue::ChangeVisibilityBatch), however many messages
// are in flight. A message is kept for at most `max_lease` in all: after that it is no longer
// extended, so a stuck job's message comes back to the queue, and its owner is told so that it
// can stop the job.
//
// Each message is kept by a Heartbeat::Lease (RAII): extensions of a message run exactly as long
// as its Lease lives. Destroying the Lease waits for a beat in progress that includes the message,
// so once the Lease is gone, no extension of that message is running and none will be sent: the
// owner can then delete or release the message without a late beat undoing it.
//
// Thread-safety: Keep() may be called from any thread; a Lease is used by one thread at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "queue/queue.h"

namespace enhancer {

struct HeartbeatOptions {
  // How often every kept message has its visibility renewed. Shorter than `visibility`, or a
  // lease could lapse between beats (ConsumerOptions::Validate() checks this).
  std::chrono::milliseconds interval{20000};
  // Each renewal makes the message invisible this long from then.
  std::chrono::seconds visibility{60};
  // The longest a message is kept invisible in all, counted from Keep(): renewals never reach
  // past it, and none is sent once it has passed.
  std::chrono::seconds max_lease{900};
  // Source of "now" for max_lease; nullptr means Clock::Real(). Not owned. The interval is
  // always real time: it paces calls to the queue.
  const Clock* clock = nullptr;
};

class Heartbeat {
 private:
  struct Entry;

 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    // Stops keeping the message; waits for a beat in progress that includes it (see above).
    ~Lease();

    // True once the queue refused a renewal as invalid (the handle went stale, or the message
    // was deleted or dead-lettered): another consumer may hold the message now.
    bool lost() const;
    // True once max_lease has passed and renewals stopped.
    bool past_ceiling() const;
    // Renewals the queue accepted.
    int beats() const;

   private:
    friend class Heartbeat;
    Lease(Heartbeat* heartbeat, uint64_t key, std::shared_ptr<Entry> entry)
        : heartbeat_(heartbeat), key_(key), entry_(std::move(entry)) {}
    void Release();

    Heartbeat* heartbeat_ = nullptr;  // null once moved from
    uint64_t key_ = 0;
    std::shared_ptr<Entry> entry_;
  };

  // `queue` must outlive the Heartbeat. The thread starts at once and idles when nothing is kept.
  Heartbeat(Queue& queue, HeartbeatOptions options);
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;
  // Stops the thread. Every Lease must have been destroyed before.
  ~Heartbeat();

  // Keeps `message` leased from now until the returned Lease is destroyed. `on_ceiling` (may be
  // empty) is called once, from the heartbeat's thread, when max_lease has passed and the message
  // is let go; never after the Lease is destroyed.
  Lease Keep(const QueueMessage& message, std::function<void()> on_ceiling = {});

  // Messages kept now.
  size_t kept() const;

  // Runs one beat now, on the caller's thread. With an interval longer than the test, beats
  // happen exactly when a test calls this.
  void BeatForTest() { Beat(); }

 private:
  struct Entry {
    std::string message_id;
    std::string receipt_handle;
    TimePoint kept_since;
    std::function<void()> on_ceiling;
    // Guarded by the Heartbeat's mu_.
    bool in_beat = false;  // part of a beat in progress: its Lease waits before going
    bool done = false;     // lost or past the ceiling: no more renewals
    // Read by Lease without the lock.
    std::atomic<bool> lost{false};
    std::atomic<bool> past_ceiling{false};
    std::atomic<int> beats{0};
  };

  void Run(std::stop_token stop);
  // One beat: renews every kept message in batches, lets go of those past the ceiling.
  void Beat();
  void Forget(uint64_t key);

  Queue& queue_;
  const HeartbeatOptions options_;
  const Clock& clock_;

  std::mutex beat_mu_;  // one beat at a time (the thread's, or a test's)

  mutable std::mutex mu_;
  std::condition_variable_any beat_done_;            // an entry's in_beat went false
  std::map<uint64_t, std::shared_ptr<Entry>> kept_;  // guarded by mu_
  uint64_t next_key_ = 0;                            // guarded by mu_

  std::mutex wait_mu_;
  std::condition_variable_any tick_;  // only the stop request wakes it early
  std::jthread thread_;               // last: starts after every member it uses exists
};

}  // namespace enhancer
