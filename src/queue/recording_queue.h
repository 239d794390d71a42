// RecordingQueue: a QueueWrapper that records the calls made through it and can fail some of
// them, so tests can wait for "the message was deleted" instead of sleeping. Test-only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "queue/queue_wrapper.h"

namespace enhancer {

class RecordingQueue final : public QueueWrapper {
 public:
  struct Call {
    enum Kind { kReceiveStarted, kReceived, kDelete, kChangeVisibility };
    Kind kind = kReceiveStarted;
    std::string receipt_handle;      // kDelete, kChangeVisibility
    std::chrono::seconds timeout{};  // kChangeVisibility
    int messages = 0;                // kReceived
    bool stop_requested = false;     // kReceived: the stop token, when Receive returned
    Status status;                   // the result
  };

  using QueueWrapper::QueueWrapper;

  Result<std::vector<QueueMessage>> Receive(int max_messages, std::chrono::seconds wait,
                                            std::chrono::seconds visibility,
                                            std::stop_token stop) override {
    Status injected;
    {
      std::lock_guard lock(mu_);
      if (receive_failures_ > 0) {
        --receive_failures_;
        injected = UnavailableError("injected receive failure");
      }
    }
    Record(MakeCall(Call::kReceiveStarted));
    Result<std::vector<QueueMessage>> result =
        injected.ok() ? QueueWrapper::Receive(max_messages, wait, visibility, stop)
                      : Result<std::vector<QueueMessage>>(injected);
    Call received = MakeCall(Call::kReceived, "", {}, result.error());
    received.messages = result ? static_cast<int>(result->size()) : 0;
    received.stop_requested = stop.stop_requested();
    Record(std::move(received));
    return result;
  }

  Status Delete(const std::string& receipt_handle) override {
    Status status = QueueWrapper::Delete(receipt_handle);
    Record(MakeCall(Call::kDelete, receipt_handle, {}, status));
    return status;
  }

  Status ChangeVisibility(const std::string& receipt_handle,
                          std::chrono::seconds timeout) override {
    Status injected;
    {
      std::lock_guard lock(mu_);
      injected = change_visibility_error_;
    }
    Status status =
        injected.ok() ? QueueWrapper::ChangeVisibility(receipt_handle, timeout) : injected;
    Record(MakeCall(Call::kChangeVisibility, receipt_handle, timeout, status));
    return status;
  }

  // Each entry recorded as a ChangeVisibility call (with the same injected failure), the batch
  // forwarded whole.
  std::vector<Status> ChangeVisibilityBatch(const std::vector<VisibilityChange>& changes) override {
    Status injected;
    {
      std::lock_guard lock(mu_);
      injected = change_visibility_error_;
    }
    std::vector<Status> statuses = injected.ok() ? QueueWrapper::ChangeVisibilityBatch(changes)
                                                 : std::vector<Status>(changes.size(), injected);
    for (size_t i = 0; i < changes.size(); ++i) {
      Record(MakeCall(Call::kChangeVisibility, changes[i].receipt_handle, changes[i].timeout,
                      i < statuses.size() ? statuses[i] : injected));
    }
    return statuses;
  }

  // The next `n` receives fail with Unavailable without reaching the queue.
  void FailNextReceives(int n) {
    std::lock_guard lock(mu_);
    receive_failures_ = n;
  }
  // Every ChangeVisibility fails with `error` (OK: forward again).
  void FailChangeVisibility(Status error) {
    std::lock_guard lock(mu_);
    change_visibility_error_ = std::move(error);
  }

  std::vector<Call> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }

  int Count(Call::Kind kind) const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const Call& c : calls_) n += c.kind == kind ? 1 : 0;
    return n;
  }

  // Waits until `done(calls)` holds; false if it still does not after `guard` (a hang guard,
  // not a timing assertion: pass a generous bound).
  bool WaitFor(const std::function<bool(const std::vector<Call>&)>& done,
               std::chrono::seconds guard = std::chrono::seconds(60)) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, guard, [&] { return done(calls_); });
  }

  bool WaitForCount(Call::Kind kind, int n, std::chrono::seconds guard = std::chrono::seconds(60)) {
    return WaitFor(
        [&](const std::vector<Call>& calls) {
          int seen = 0;
          for (const Call& c : calls) seen += c.kind == kind ? 1 : 0;
          return seen >= n;
        },
        guard);
  }

 private:
  static Call MakeCall(Call::Kind kind, const std::string& receipt_handle = "",
                       std::chrono::seconds timeout = {}, Status status = {}) {
    Call call;
    call.kind = kind;
    call.receipt_handle = receipt_handle;
    call.timeout = timeout;
    call.status = std::move(status);
    return call;
  }

  void Record(Call call) {
    {
      std::lock_guard lock(mu_);
      calls_.push_back(std::move(call));
    }
    changed_.notify_all();
  }

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<Call> calls_;
  int receive_failures_ = 0;
  Status change_visibility_error_;
};

}  // namespace enhancer
