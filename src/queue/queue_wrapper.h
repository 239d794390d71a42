// QueueWrapper: a Queue that forwards every call to another one. Derive from it and override
// only the calls to observe or to fail (leveldb's EnvWrapper), e.g. to inject faults in tests.
#pragma once

#include "queue/queue.h"

namespace enhancer {

class QueueWrapper : public Queue {
 public:
  // `target` is not owned and must outlive the wrapper.
  explicit QueueWrapper(Queue& target) : target_(target) {}

  Result<std::string> Send(std::string_view body, std::chrono::seconds delay) override {
    return target_.Send(body, delay);
  }
  std::vector<Result<std::string>> SendBatch(const std::vector<SendEntry>& entries) override {
    return target_.SendBatch(entries);
  }
  Result<std::vector<QueueMessage>> Receive(int max_messages, std::chrono::seconds wait,
                                            std::chrono::seconds visibility,
                                            std::stop_token stop) override {
    return target_.Receive(max_messages, wait, visibility, std::move(stop));
  }
  Status Delete(const std::string& receipt_handle) override {
    return target_.Delete(receipt_handle);
  }
  Status ChangeVisibility(const std::string& receipt_handle,
                          std::chrono::seconds timeout) override {
    return target_.ChangeVisibility(receipt_handle, timeout);
  }
  // Forwarded as one batch, so the target's own batching (SQS: one call per 10) is kept. A
  // wrapper that observes ChangeVisibility must override this too.
  std::vector<Status> ChangeVisibilityBatch(const std::vector<VisibilityChange>& changes) override {
    return target_.ChangeVisibilityBatch(changes);
  }
  Result<QueueStats> Stats() override { return target_.Stats(); }
  std::string Describe() const override { return target_.Describe(); }

  Queue& target() const { return target_; }

 private:
  Queue& target_;
};

}  // namespace enhancer
