#include "queue/queue_wrapper.h"

#include <gtest/gtest.h>

#include "queue/recording_queue.h"

namespace enhancer {
namespace {

// Counts batch calls and answers every entry itself (a queue with a batch API of its own).
class BatchCountingQueue final : public Queue {
 public:
  Result<std::string> Send(std::string_view, std::chrono::seconds) override {
    return std::string("id");
  }
  Result<std::vector<QueueMessage>> Receive(int, std::chrono::seconds, std::chrono::seconds,
                                            std::stop_token) override {
    return std::vector<QueueMessage>{};
  }
  Status Delete(const std::string&) override { return OkStatus(); }
  Status ChangeVisibility(const std::string&, std::chrono::seconds) override {
    ++singles;
    return OkStatus();
  }
  std::vector<Status> ChangeVisibilityBatch(const std::vector<VisibilityChange>& changes) override {
    ++batches;
    std::vector<Status> out;
    for (const VisibilityChange& change : changes) {
      out.push_back(change.receipt_handle == "stale" ? InvalidArgumentError("stale handle")
                                                     : OkStatus());
    }
    return out;
  }
  Result<QueueStats> Stats() override { return QueueStats{}; }
  std::string Describe() const override { return "counting"; }

  int singles = 0;
  int batches = 0;
};

const std::vector<VisibilityChange> kChanges = {{"a", std::chrono::seconds(30)},
                                                {"stale", std::chrono::seconds(30)},
                                                {"c", std::chrono::seconds(30)}};

TEST(QueueWrapperTest, ForwardsABatchAsOneBatch) {
  BatchCountingQueue target;
  QueueWrapper wrapper(target);
  const std::vector<Status> statuses = wrapper.ChangeVisibilityBatch(kChanges);
  EXPECT_EQ(target.batches, 1);
  EXPECT_EQ(target.singles, 0);
  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_TRUE(statuses[0].ok());
  EXPECT_EQ(statuses[1].code(), StatusCode::kInvalidArgument);
}

TEST(RecordingQueueTest, RecordsEachEntryOfABatchAndCanFailThemAll) {
  BatchCountingQueue target;
  RecordingQueue recording(target);
  recording.ChangeVisibilityBatch(kChanges);
  EXPECT_EQ(target.batches, 1);
  EXPECT_EQ(recording.Count(RecordingQueue::Call::kChangeVisibility), 3);
  EXPECT_EQ(recording.calls()[1].status.code(), StatusCode::kInvalidArgument);

  recording.FailChangeVisibility(UnavailableError("queue down (injected)"));
  const std::vector<Status> failed = recording.ChangeVisibilityBatch(kChanges);
  EXPECT_EQ(target.batches, 1);  // never reached the queue
  ASSERT_EQ(failed.size(), 3u);
  for (const Status& s : failed) EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(recording.Count(RecordingQueue::Call::kChangeVisibility), 6);
}

}  // namespace
}  // namespace enhancer
