// What `enhancer enhance` shows a person at a terminal (a redrawn progress line) and what it
// gives a script through a pipe (no carriage returns, nothing on stdout but results).
#include <gtest/gtest.h>

#include "cli_run.h"
#include "cli_test_support.h"

namespace enhancer::testing {
namespace {

class CliTerminalTest : public ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    CopyImage("rocket_1mp.jpg", dir_ / "photos/rocket_1mp.jpg");
    CopyImage("smarties_1mp.jpg", dir_ / "photos/b/smarties_1mp.jpg");
    CopyImage("coffee_1mp.jpg", dir_ / "photos/b/coffee_1mp.jpg");
  }
};

TEST_F(CliTerminalTest, ATerminalGetsAProgressLineRedrawnInPlace) {
  CliOutput run = RunEnhancerInTerminal(
      {"enhance", "photos", "--out", "out", "--count", "1", "--jobs", "2"}, dir_.string());
  EXPECT_EQ(run.exit_code, 0) << run.out;
  // Each redraw: carriage return, "[done/total]", erase to the end of the line.
  EXPECT_NE(run.out.find("\r[0/3] estimating"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\r[1/3] "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\r[2/3] "), std::string::npos) << run.out;
  EXPECT_GE(CountOf(run.out, "\x1b[K"), 4u);
  EXPECT_NE(run.out.find("photos/s"), std::string::npos);
  // Then the line is erased and the summary printed.
  EXPECT_NE(run.out.find("3 photos: 3 enhanced, 0 up to date, 0 failed"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Contact sheet: out/index.html"), std::string::npos);
}

TEST_F(CliTerminalTest, APipeGetsPlainLinesAndStdoutHoldsOnlyResults) {
  CliOutput run = RunEnhancer({"enhance", "photos", "--out", "out", "--count", "1", "--json"},
                              dir_.string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err.find('\r'), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("\x1b["), std::string::npos) << run.err;
  EXPECT_EQ(CountOf(run.err, "] enhanced photos/"), 3u) << run.err;
  std::vector<nlohmann::json> lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  for (const nlohmann::json& line : lines) {
    EXPECT_EQ(line["status"], "ok");
    for (const char* key : {"file", "status", "error", "outputs", "elapsed_ms"}) {
      EXPECT_TRUE(line.contains(key)) << key;
    }
  }
  // Up to date on the next run, said once per photo.
  CliOutput again = RunEnhancer({"enhance", "photos", "--out", "out", "--count", "1"}, dir_.string());
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(CountOf(again.err, "] up to date photos/"), 3u) << again.err;
  EXPECT_EQ(again.out, "out/index.html\n");
}

}  // namespace
}  // namespace enhancer::testing
