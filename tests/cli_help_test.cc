// The command line's manners: --version, --help with an example everywhere, one-line usage
// errors with exit code 2, and `queue stats --watch` ending cleanly on Ctrl-C.
#include <gtest/gtest.h>

#include <regex>

#include "child_process.h"
#include "cli_run.h"
#include "cli_test_support.h"

namespace enhancer::testing {
namespace {

class CliHelpTest : public ScratchDirTest {};

TEST_F(CliHelpTest, VersionNamesTheLibrariesItRunsWith) {
  CliOutput run = RunEnhancer({"--version"}, dir_.string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(std::regex_search(run.out, std::regex(R"(^enhancer \d+\.\d+\.\d+\n)"))) << run.out;
  EXPECT_TRUE(std::regex_search(run.out, std::regex(R"(\nlibvips 8\.\d+\.\d+)"))) << run.out;
  EXPECT_TRUE(std::regex_search(run.out, std::regex(R"(\nlibcurl \d+\.\d+\.\d+)"))) << run.out;
  EXPECT_TRUE(std::regex_search(run.out, std::regex(R"(\nSQLite 3\.\d+\.\d+)"))) << run.out;
}

TEST_F(CliHelpTest, EveryCommandsHelpHasAnExample) {
  const std::vector<std::vector<std::string>> commands = {
      {}, {"serve"}, {"worker"}, {"migrate"}, {"enqueue"}, {"queue"}, {"queue", "stats"},
      {"queue", "redrive"}, {"process"}, {"enhance"}};
  for (std::vector<std::string> command : commands) {
    command.push_back("--help");
    CliOutput run = RunEnhancer(command, dir_.string());
    EXPECT_EQ(run.exit_code, 0) << command.front();
    EXPECT_NE(run.out.find("Example"), std::string::npos) << command.front() << ":\n" << run.out;
  }
}

TEST_F(CliHelpTest, UsageErrorsAreOneLineAndExitCode2) {
  CopyImage("rocket_1mp.jpg", dir_ / "photos/rocket_1mp.jpg");
  fs::create_directories(dir_ / "empty");
  WriteText(dir_ / "empty/notes.txt", "no photos here");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"enhance", "photos", "--out", "out", "--frobnicate"}, "--frobnicate"},
      {{"enhance", "photos/missing.jpg", "--out", "out"}, "no such file or folder: photos/missing.jpg"},
      {{"enhance", "photos/*.png", "--out", "out"}, "no file matches \"photos/*.png\""},
      {{"enhance", "empty", "--out", "out"}, "no photos found in empty"},
      {{"enhance", "photos", "--out", "out", "--count", "11"}, "--count"},
      {{"enhance", "photos", "--out", "out", "--recipes", "nope.json"}, "no such file: nope.json"},
      {{"enhance", "photos"}, "--out"},
      {{"queue", "stats", "--interval", "0"}, "--interval"},
      {{"frobnicate"}, "A subcommand is required"},
  };
  for (const auto& [args, message] : cases) {
    CliOutput run = RunEnhancer(args, dir_.string());
    EXPECT_EQ(run.exit_code, 2) << args[args.size() - 1] << ": " << run.err;
    EXPECT_EQ(CountOf(run.err, "\n"), 1u) << run.err;
    EXPECT_EQ(run.err.rfind("enhancer: ", 0), 0u) << run.err;
    EXPECT_NE(run.err.find(message), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
  }
  EXPECT_FALSE(fs::exists(dir_ / "out"));  // nothing started
}

TEST_F(CliHelpTest, QueueStatsWatchSamplesUntilInterrupted) {
  const std::map<std::string, std::string> env = {
      {"DATABASE_URL", "sqlite://" + (dir_ / "enhancer.db").string()},
      {"EMBEDDED_QUEUE_PATH", (dir_ / "queue.db").string()}};
  ASSERT_EQ(RunEnhancer({"migrate"}, dir_.string(), env).exit_code, 0);

  ChildProcess watch({EnhancerBinary(), "queue", "stats", "--watch", "--interval", "0.1"}, env,
                     dir_.string(), (dir_ / "watch.log").string());
  // A hang guard, not a timing assertion: three samples, however long they take.
  ASSERT_TRUE(WaitUntil([&] { return CountOf(watch.Log(), "\n") >= 3; }, std::chrono::seconds(120)))
      << watch.Log();
  EXPECT_EQ(watch.Stop(SIGINT), 0);
  const std::string log = watch.Log();
  EXPECT_EQ(log.find('\r'), std::string::npos);  // not a terminal: one line per sample
  std::istringstream lines(log);
  std::string line;
  int samples = 0;
  while (std::getline(lines, line)) {
    ++samples;
    EXPECT_NE(line.find(" visible=0 in_flight=0 delayed=0 dead_lettered=0 finished=0"),
              std::string::npos)
        << line;
  }
  EXPECT_GE(samples, 3);
  EXPECT_NE(log.find("finished_per_minute=0.0"), std::string::npos) << log;  // from the 2nd sample
}

}  // namespace
}  // namespace enhancer::testing
