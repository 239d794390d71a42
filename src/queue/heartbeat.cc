#include "queue/heartbeat.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace enhancer {

Heartbeat::Heartbeat(Queue& queue, std::string message_id, std::string receipt_handle,
                     std::chrono::milliseconds interval, std::chrono::seconds visibility)
    : queue_(queue),
      message_id_(std::move(message_id)),
      receipt_handle_(std::move(receipt_handle)),
      interval_(interval),
      visibility_(visibility),
      thread_([this](std::stop_token stop) { Run(std::move(stop)); }) {}

Heartbeat::~Heartbeat() {
  thread_.request_stop();  // wakes the wait below at once
  thread_.join();
}

void Heartbeat::Run(std::stop_token stop) {
  while (true) {
    {
      std::unique_lock lock(mu_);
      // Nothing else notifies: this waits for the interval, or for the stop request.
      cv_.wait_for(lock, stop, interval_, [] { return false; });
    }
    if (stop.stop_requested()) return;
    Status status = queue_.ChangeVisibility(receipt_handle_, visibility_);
    if (status.ok()) {
      beats_.fetch_add(1);
      spdlog::debug("message {}: lease extended by {} s", message_id_, visibility_.count());
      continue;
    }
    if (status.code() == StatusCode::kInvalidArgument) {
      lease_lost_.store(true);
      spdlog::warn("message {}: lease lost, no more extensions: {}", message_id_,
                   status.ToString());
      return;
    }
    // The queue may be back before the lease runs out; the next beat tries again.
    spdlog::warn("message {}: extending the lease failed: {}", message_id_, status.ToString());
  }
}

}  // namespace enhancer
