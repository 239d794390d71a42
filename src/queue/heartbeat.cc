#include "queue/heartbeat.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <utility>

namespace enhancer {

using std::chrono::seconds;

Heartbeat::Lease::Lease(Lease&& other) noexcept
    : heartbeat_(std::exchange(other.heartbeat_, nullptr)),
      key_(other.key_),
      entry_(std::move(other.entry_)) {}

Heartbeat::Lease& Heartbeat::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    heartbeat_ = std::exchange(other.heartbeat_, nullptr);
    key_ = other.key_;
    entry_ = std::move(other.entry_);
  }
  return *this;
}

Heartbeat::Lease::~Lease() { Release(); }

void Heartbeat::Lease::Release() {
  if (heartbeat_ == nullptr) return;
  heartbeat_->Forget(key_);
  heartbeat_ = nullptr;
}

bool Heartbeat::Lease::lost() const { return entry_ != nullptr && entry_->lost.load(); }
bool Heartbeat::Lease::past_ceiling() const {
  return entry_ != nullptr && entry_->past_ceiling.load();
}
int Heartbeat::Lease::beats() const { return entry_ != nullptr ? entry_->beats.load() : 0; }

Heartbeat::Heartbeat(Queue& queue, HeartbeatOptions options)
    : queue_(queue),
      options_(options),
      clock_(options.clock != nullptr ? *options.clock : Clock::Real()),
      thread_([this](std::stop_token stop) { Run(std::move(stop)); }) {}

Heartbeat::~Heartbeat() {
  thread_.request_stop();  // wakes the wait in Run() at once
  thread_.join();
  std::lock_guard lock(mu_);
  assert(kept_.empty() && "every Lease must be destroyed before its Heartbeat");
}

Heartbeat::Lease Heartbeat::Keep(const QueueMessage& message, std::function<void()> on_ceiling) {
  auto entry = std::make_shared<Entry>();
  entry->message_id = message.id;
  entry->receipt_handle = message.receipt_handle;
  entry->kept_since = clock_.Now();
  entry->on_ceiling = std::move(on_ceiling);
  std::lock_guard lock(mu_);
  const uint64_t key = next_key_++;
  kept_.emplace(key, entry);
  return Lease(this, key, std::move(entry));
}

size_t Heartbeat::kept() const {
  std::lock_guard lock(mu_);
  return kept_.size();
}

void Heartbeat::Forget(uint64_t key) {
  std::unique_lock lock(mu_);
  auto it = kept_.find(key);
  if (it == kept_.end()) return;
  std::shared_ptr<Entry> entry = it->second;
  // A renewal sent after the owner settles the message could make a deleted or released message
  // invisible again (or fail as stale): wait for the beat that holds this one to finish.
  beat_done_.wait(lock, [&] { return !entry->in_beat; });
  kept_.erase(key);
}

void Heartbeat::Run(std::stop_token stop) {
  while (true) {
    {
      std::unique_lock lock(wait_mu_);
      // Nothing notifies tick_: this waits for the interval, or for the stop request.
      tick_.wait_for(lock, stop, options_.interval, [] { return false; });
    }
    if (stop.stop_requested()) return;
    Beat();
  }
}

void Heartbeat::Beat() {
  std::lock_guard beating(beat_mu_);
  const TimePoint now = clock_.Now();
  std::vector<std::shared_ptr<Entry>> renewing;
  std::vector<VisibilityChange> changes;
  std::vector<std::shared_ptr<Entry>> expired;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, entry] : kept_) {
      if (entry->done) continue;
      // Whole seconds, rounded down, so a renewal never reaches past the ceiling.
      const seconds left =
          std::chrono::floor<seconds>(entry->kept_since + options_.max_lease - now);
      entry->in_beat = true;
      if (left <= seconds(0)) {
        entry->done = true;
        expired.push_back(entry);
        continue;
      }
      renewing.push_back(entry);
      changes.push_back({entry->receipt_handle, std::min(options_.visibility, left)});
    }
  }
  if (renewing.empty() && expired.empty()) return;

  std::vector<Status> results;
  if (!changes.empty()) results = queue_.ChangeVisibilityBatch(changes);
  std::vector<std::shared_ptr<Entry>> lost;
  for (size_t i = 0; i < renewing.size(); ++i) {
    const Entry& entry = *renewing[i];
    const Status status = i < results.size()
                              ? results[i]
                              : InternalError("the queue returned no result for this renewal");
    if (status.ok()) {
      renewing[i]->beats.fetch_add(1);
      spdlog::debug("message {}: lease extended by {} s", entry.message_id,
                    changes[i].timeout.count());
    } else if (status.code() == StatusCode::kInvalidArgument) {
      renewing[i]->lost.store(true);
      lost.push_back(renewing[i]);
      spdlog::warn("message {}: lease lost, no more extensions: {}", entry.message_id,
                   status.ToString());
    } else {
      // The queue may be back before the lease runs out; the next beat tries again.
      spdlog::warn("message {}: extending the lease failed: {}", entry.message_id,
                   status.ToString());
    }
  }
  for (const std::shared_ptr<Entry>& entry : expired) {
    entry->past_ceiling.store(true);
    spdlog::warn(
        "message {}: worked on for {} s, the most a message is kept; it is no longer extended "
        "and returns to the queue",
        entry->message_id, options_.max_lease.count());
    // Still in_beat: the Lease cannot go (nor the owner's state the callback uses) before this.
    if (entry->on_ceiling) entry->on_ceiling();
  }
  {
    std::lock_guard lock(mu_);
    for (const std::shared_ptr<Entry>& entry : lost) entry->done = true;
    for (const std::shared_ptr<Entry>& entry : renewing) entry->in_beat = false;
    for (const std::shared_ptr<Entry>& entry : expired) entry->in_beat = false;
  }
  beat_done_.notify_all();
}

}  // namespace enhancer
