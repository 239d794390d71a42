#include "queue/consumer.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <utility>

#include "queue/retry_policy.h"

namespace enhancer {

Consumer::Consumer(Queue& queue, Handler handler, ConsumerOptions options)
    : queue_(queue), handler_(std::move(handler)), options_(options) {}

Consumer::~Consumer() { Stop(); }

Consumer::State Consumer::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

Status Consumer::Start() {
  ENHANCER_RETURN_IF_ERROR(options_.Validate());
  std::lock_guard lock(mu_);
  if (state_ != State::kIdle) return FailedPreconditionError("consumer: started before");
  state_ = State::kRunning;
  running_workers_ = options_.concurrency;
  spdlog::info("consumer: {} worker(s) on {}, visibility {} s, heartbeat {} s, at most {} s a job",
               options_.concurrency, queue_.Describe(), options_.visibility.count(),
               options_.heartbeat_interval.count(), options_.EffectiveMaxJobTime().count());
  HeartbeatOptions heartbeat;
  heartbeat.interval = options_.heartbeat_interval;
  heartbeat.visibility = options_.visibility;
  heartbeat.max_lease = options_.EffectiveMaxJobTime();
  heartbeat.clock = options_.clock;
  heartbeat_ = std::make_unique<Heartbeat>(queue_, heartbeat);
  for (int i = 0; i < options_.concurrency; ++i) {
    workers_.emplace_back([this, i] { Work(i); });
  }
  return OkStatus();
}

void Consumer::Stop() {
  {
    std::unique_lock lock(mu_);
    if (state_ == State::kIdle) {
      state_ = State::kStopped;
      return;
    }
    if (state_ != State::kRunning) {
      // Another caller is stopping: wait for it to finish.
      changed_.wait(lock, [&] { return state_ == State::kStopped; });
      return;
    }
    state_ = State::kStopping;
  }
  spdlog::info("consumer: stopping; in-flight handlers have {} ms to finish",
               options_.shutdown_grace.count());
  receiving_.request_stop();
  {
    std::unique_lock lock(mu_);
    bool drained =
        changed_.wait_for(lock, options_.shutdown_grace, [&] { return running_workers_ == 0; });
    if (!drained) {
      spdlog::warn("consumer: {} handler(s) still running after the grace period; stopping them",
                   running_workers_);
    }
  }
  handling_.request_stop();
  for (std::jthread& worker : workers_) worker.join();
  heartbeat_.reset();  // every message is settled: nothing is kept any more
  {
    std::lock_guard lock(mu_);
    state_ = State::kStopped;
  }
  changed_.notify_all();
  spdlog::info("consumer: stopped");
}

void Consumer::Work(int worker) {
  const std::stop_token stop = receiving_.get_token();
  while (!stop.stop_requested()) {
    // One message at a time: this worker leases only what it is free to start on now.
    Result<std::vector<QueueMessage>> received =
        queue_.Receive(1, std::chrono::seconds(options_.wait_seconds), options_.visibility, stop);
    if (!received) {
      spdlog::warn("consumer[{}]: receive failed: {}", worker, received.error().ToString());
      PauseAfterReceiveError();
      continue;
    }
    // A message that arrives together with the stop request is still handled, within the grace.
    for (const QueueMessage& message : *received) Process(worker, message);
  }
  {
    std::lock_guard lock(mu_);
    --running_workers_;
  }
  changed_.notify_all();
}

void Consumer::PauseAfterReceiveError() {
  std::mutex mu;
  std::condition_variable_any never_notified;
  std::unique_lock lock(mu);
  never_notified.wait_for(lock, receiving_.get_token(), options_.receive_error_pause,
                          [] { return false; });
}

void Consumer::Process(int worker, const QueueMessage& message) {
  spdlog::info("consumer[{}]: message {} received (receive {})", worker, message.id,
               message.receive_count);
  // This job's stop: requested by shutdown after the grace period, or by the heartbeat when the
  // job has run for max_job_time (its message is back on the queue by then).
  std::stop_source job_stop;
  std::stop_callback shutdown_stops_job(handling_.get_token(),
                                        [&job_stop] { job_stop.request_stop(); });
  Status outcome;
  bool past_ceiling = false;
  {
    Heartbeat::Lease lease = heartbeat_->Keep(message, [&job_stop] { job_stop.request_stop(); });
    try {
      outcome = handler_(message, job_stop.get_token());
    } catch (const std::exception& e) {
      outcome = InternalError(std::string("handler threw: ") + e.what());
    } catch (...) {
      outcome = InternalError("handler threw a non-standard exception");
    }
    past_ceiling = lease.past_ceiling();
    if (lease.lost()) {
      spdlog::warn(
          "consumer[{}]: message {} lost its lease while being handled; another "
          "consumer may handle it too",
          worker, message.id);
    }
  }  // the lease is let go: nothing extends the message once it is settled
  Settle(worker, message, outcome, past_ceiling);
}

void Consumer::Settle(int worker, const QueueMessage& message, const Status& outcome,
                      bool past_ceiling) {
  if (ActionFor(outcome) == MessageAction::kDelete) {
    if (outcome.ok()) {
      spdlog::info("consumer[{}]: message {} done", worker, message.id);
    } else {
      spdlog::warn("consumer[{}]: message {} failed for good, removing it: {}", worker, message.id,
                   outcome.ToString());
    }
    Status deleted = queue_.Delete(message.receipt_handle);
    if (!deleted.ok()) {
      spdlog::warn("consumer[{}]: message {} could not be deleted and will be delivered again: {}",
                   worker, message.id, deleted.ToString());
    }
    return;
  }

  // Stopped by shutdown: hand it to another consumer now rather than after a backoff.
  const bool stopped = handling_.get_token().stop_requested();
  const std::chrono::seconds delay =
      stopped ? std::chrono::seconds(0)
              : RetryDelay(message.receive_count, options_.base_backoff, options_.max_backoff);
  if (stopped) {
    spdlog::info("consumer[{}]: message {} released unfinished at shutdown: {}", worker, message.id,
                 outcome.ToString());
  } else if (past_ceiling) {
    spdlog::error(
        "consumer[{}]: message {} was stopped after {} s, the longest a job may run; retry in "
        "{} s: {}",
        worker, message.id, options_.EffectiveMaxJobTime().count(), delay.count(),
        outcome.ToString());
  } else if (outcome.code() == StatusCode::kInternal) {
    spdlog::error("consumer[{}]: message {} hit a bug, retry in {} s: {}", worker, message.id,
                  delay.count(), outcome.ToString());
  } else {
    spdlog::warn("consumer[{}]: message {} failed, retry in {} s (receive {}): {}", worker,
                 message.id, delay.count(), message.receive_count, outcome.ToString());
  }
  Status released = queue_.ChangeVisibility(message.receipt_handle, delay);
  if (!released.ok()) {
    spdlog::warn(
        "consumer[{}]: message {} could not be released; it returns when its lease ends: {}",
        worker, message.id, released.ToString());
  }
}

}  // namespace enhancer
