#include "app/progress_line.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace enhancer {
namespace {

TEST(ProgressLineTest, ShowsDoneTotalRateTimeLeftAndTheCurrentFile) {
  ProgressState state{3, 12, 0, 6.0, "shots/b/c.jpg"};
  EXPECT_EQ(FormatProgress(state, 80), "[3/12] 0.5 photos/s, 0:18 left, shots/b/c.jpg");
}

TEST(ProgressLineTest, EstimatesBeforeTheFirstPhotoAndCountsFailures) {
  EXPECT_EQ(FormatProgress({0, 5, 0, 1.0, ""}, 80), "[0/5] estimating");
  EXPECT_EQ(FormatProgress({2, 5, 2, 0.01, ""}, 80), "[2/5] estimating, 2 failed");  // too soon
  EXPECT_EQ(FormatProgress({5, 5, 2, 10.0, ""}, 80), "[5/5] 0.5 photos/s, 2 failed");
}

TEST(ProgressLineTest, ALongFileNameLosesItsBeginningToFitTheTerminal) {
  ProgressState state{1, 2, 0, 1.0, "a/very/long/folder/name/that/goes/on/and/on/photo.jpg"};
  std::string line = FormatProgress(state, 50);
  EXPECT_EQ(DisplayWidth(line), 49u) << line;
  EXPECT_EQ(line.rfind("[1/2] 1.0 photos/s, 0:01 left, \xE2\x80\xA6", 0), 0u) << line;
  EXPECT_TRUE(line.ends_with("/photo.jpg")) << line;
  EXPECT_LE(DisplayWidth(FormatProgress(state, 10)), 9u);
}

TEST(ProgressLineTest, FittingNeverSplitsACharacter) {
  EXPECT_EQ(FitLeft("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xE2\x80\xA6\xC3\xA9");  // "…é"
  EXPECT_EQ(FitLeft("abc", 3), "abc");
  EXPECT_EQ(FitRight("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xC3\xA9");
  EXPECT_EQ(FitRight("abc", 5), "abc");
  EXPECT_EQ(DisplayWidth("\xC3\xA9t\xC3\xA9"), 3u);
}

TEST(ProgressLineTest, FormatsDurations) {
  EXPECT_EQ(FormatDuration(6), "0:06");
  EXPECT_EQ(FormatDuration(760), "12:40");
  EXPECT_EQ(FormatDuration(3723), "1:02:03");
  EXPECT_EQ(FormatDuration(-5), "0:00");
}

TEST(ProgressLineTest, RedrawsWithCarriageReturnAndErasesTheRest) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ProgressLine line(fds[1]);
  EXPECT_EQ(line.Width(), 80);  // a pipe has no size
  line.Clear();                 // nothing drawn yet: writes nothing
  line.Draw("[1/2]");
  line.Draw("[2/2]");
  line.Clear();
  close(fds[1]);
  char buffer[128];
  ssize_t n = read(fds[0], buffer, sizeof(buffer));
  close(fds[0]);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, static_cast<size_t>(n)),
            "\r[1/2]\x1b[K\r[2/2]\x1b[K\r\x1b[K");
}

}  // namespace
}  // namespace enhancer
