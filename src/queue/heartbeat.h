// Heartbeat: keeps one received message leased while its work runs, by extending its
// visibility at a fixed interval from a thread of its own. RAII: the lease is extended exactly
// as long as the Heartbeat object lives.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "queue/queue.h"

namespace enhancer {

class Heartbeat {
 public:
  // Every `interval`, sets the visibility of the message of `receipt_handle` to `visibility` from
  // then. `queue` must outlive the Heartbeat. `message_id` is for the log only.
  Heartbeat(Queue& queue, std::string message_id, std::string receipt_handle,
            std::chrono::milliseconds interval, std::chrono::seconds visibility);
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;
  // Stops the beats and waits for one in progress: once it returns, no extension is running and
  // none will be sent.
  ~Heartbeat();

  // True once the queue refused an extension as invalid (the handle went stale, the message was
  // deleted or dead-lettered): another consumer may now hold the message. Beats stop then.
  bool lease_lost() const { return lease_lost_.load(); }
  // Successful extensions so far.
  int beats() const { return beats_.load(); }

 private:
  void Run(std::stop_token stop);

  Queue& queue_;
  const std::string message_id_;
  const std::string receipt_handle_;
  const std::chrono::milliseconds interval_;
  const std::chrono::seconds visibility_;
  std::atomic<bool> lease_lost_{false};
  std::atomic<int> beats_{0};
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::jthread thread_;  // last: starts after every member it uses exists, is joined first
};

}  // namespace enhancer
