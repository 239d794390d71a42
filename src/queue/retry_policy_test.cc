#include "queue/retry_policy.h"

#include <gtest/gtest.h>

#include <limits>

namespace enhancer {
namespace {

using std::chrono::seconds;

TEST(ActionForTest, DeletesOnSuccessAndPermanentErrorsReleasesOnTransientOnes) {
  const std::pair<Status, MessageAction> kCases[] = {
      {OkStatus(), MessageAction::kDelete},
      {InvalidArgumentError("not an image"), MessageAction::kDelete},
      {NotFoundError("product 42 does not exist"), MessageAction::kDelete},
      {AlreadyExistsError("x"), MessageAction::kDelete},
      {FailedPreconditionError("x"), MessageAction::kDelete},
      {UnavailableError("503"), MessageAction::kRelease},
      {DeadlineExceededError("timeout"), MessageAction::kRelease},
      {ResourceExhaustedError("429"), MessageAction::kRelease},
      {CancelledError("shutdown"), MessageAction::kRelease},
      {InternalError("bug"), MessageAction::kRelease},
  };
  for (const auto& [status, action] : kCases) {
    EXPECT_EQ(ActionFor(status), action) << status.ToString();
  }
}

TEST(RetryDelayTest, DoublesPerReceiveUpToTheMaximum) {
  const std::pair<int, seconds> kCases[] = {
      {-3, seconds(5)},   {0, seconds(5)},
      {1, seconds(5)},    {2, seconds(10)},
      {3, seconds(20)},   {4, seconds(40)},
      {6, seconds(160)},  {7, seconds(300)},
      {50, seconds(300)}, {std::numeric_limits<int>::max(), seconds(300)},
  };
  for (const auto& [count, delay] : kCases) {
    EXPECT_EQ(RetryDelay(count, seconds(5), seconds(300)), delay) << "receive " << count;
  }
}

TEST(RetryDelayTest, EdgeSettings) {
  EXPECT_EQ(RetryDelay(5, seconds(0), seconds(300)), seconds(0));
  EXPECT_EQ(RetryDelay(5, seconds(7), seconds(7)), seconds(7));
  EXPECT_EQ(RetryDelay(1, seconds(10), seconds(3)), seconds(3));
}

}  // namespace
}  // namespace enhancer
