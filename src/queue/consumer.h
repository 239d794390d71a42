// Consumer: the worker loop. Receives messages, runs a handler on each with bounded
// concurrency, keeps each lease alive while its handler runs, and settles the message by what
// the handler returned: delete on success or permanent failure, release with backoff on a
// transient one.
//
// Each of `concurrency` worker threads leases one message only when it is free to start on it,
// so no message waits leased in a local buffer. One Heartbeat renews the leases of all messages
// in progress in one batched call per interval, for at most max_job_time per message; past that
// the message is let go (it returns to the queue) and its handler's stop_token is requested.
//
// Life cycle: kIdle --Start()--> kRunning --Stop()--> kStopping --> kStopped.
// Stop() stops receiving (a parked long poll included), lets handlers in progress finish for up
// to shutdown_grace, then requests their stop_token; a message whose handler was stopped is
// released at once (visibility 0) for another consumer. Handlers must honour their stop_token:
// Stop() waits for every handler to return.
//
// Thread-safety: Start(), Stop() and state() may be called from any thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "queue/consumer_options.h"
#include "queue/heartbeat.h"
#include "queue/queue.h"

namespace enhancer {

class Consumer {
 public:
  // Handles one message. Its Status decides the message's fate (see retry_policy.h); a handler
  // records permanent failures itself before returning them. Called from several threads at
  // once when concurrency > 1. `stop` is requested when shutdown can wait no longer, or when
  // the message has been worked on for max_job_time.
  using Handler = std::function<Status(const QueueMessage& message, std::stop_token stop)>;

  enum class State { kIdle, kRunning, kStopping, kStopped };

  // `queue` must outlive the Consumer. Nothing runs before Start().
  Consumer(Queue& queue, Handler handler, ConsumerOptions options);
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;
  // Stop().
  ~Consumer();

  // Starts the worker threads. Errors: InvalidArgument (options; nothing started),
  // FailedPrecondition (started before).
  Status Start();

  // Stops as described above and joins every thread. Idempotent; concurrent callers all return
  // once the consumer is stopped. Must not be called from a handler (it waits for handlers).
  void Stop();

  State state() const;

 private:
  // One worker thread, in the order a message moves through it.
  void Work(int worker);
  void Process(int worker, const QueueMessage& message);
  void Settle(int worker, const QueueMessage& message, const Status& outcome, bool past_ceiling);
  void PauseAfterReceiveError();

  Queue& queue_;
  const Handler handler_;
  const ConsumerOptions options_;

  std::stop_source receiving_;  // requested first: no new receives
  std::stop_source handling_;   // requested after the grace period: handlers must stop

  mutable std::mutex mu_;
  std::condition_variable_any changed_;   // state_ or running_workers_ changed
  State state_ = State::kIdle;            // guarded by mu_
  int running_workers_ = 0;               // guarded by mu_
  std::unique_ptr<Heartbeat> heartbeat_;  // made by Start(), destroyed after the workers join
  std::vector<std::jthread> workers_;     // written by Start(), joined by the first Stop()
};

}  // namespace enhancer
