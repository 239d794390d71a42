// `enhancer enhance FOLDER --out OUT`: a person's folder of photos, nested, with a broken file
// and things that are not photos among them.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "child_process.h"
#include "cli_run.h"
#include "cli_test_support.h"
#include "jpeg_info.h"

namespace enhancer::testing {
namespace {

using nlohmann::json;

class EnhanceFolderTest : public ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    photos_ = dir_ / "photos";
    out_ = dir_ / "out";
    CopyImage("rocket_1mp.jpg", photos_ / "rocket_1mp.jpg");
    CopyImage("coffee_1mp.jpg", photos_ / "kitchen/coffee_1mp.jpg");
    CopyImage("smarties_1mp.jpg", photos_ / "kitchen/cups/smarties_1mp.jpg");
    // A truncated JPEG: the first 5000 bytes of a real one.
    WriteText(photos_ / "kitchen/broken.jpg", ReadText(SharedImage("coffee_1mp.jpg")).substr(0, 5000));
    WriteText(photos_ / "notes.txt", "shot list for Monday\n");      // not an image type: not walked
    WriteText(photos_ / "fake.jpg", "this is text, not a JPEG\n");  // an image name: walked, fails
  }

  // Runs `enhance photos --out out --json ARGS...` and returns the JSON results by file name
  // (the path relative to the photos folder).
  std::map<std::string, json> Enhance(std::vector<std::string> args, CliOutput* output = nullptr) {
    std::vector<std::string> all = {"enhance", photos_.string(), "--out", out_.string(), "--json"};
    all.insert(all.end(), args.begin(), args.end());
    CliOutput run = RunEnhancer(all, dir_.string());
    std::map<std::string, json> results;
    for (json& line : JsonLines(run.out)) {
      std::string file = fs::path(line["file"].get<std::string>()).lexically_relative(photos_).generic_string();
      EXPECT_FALSE(results.contains(file)) << "two results for " << file;
      results[file] = std::move(line);
    }
    if (output != nullptr) *output = std::move(run);
    return results;
  }

  std::map<std::string, std::string> Statuses(const std::map<std::string, json>& results) {
    std::map<std::string, std::string> statuses;
    for (const auto& [file, result] : results) statuses[file] = result["status"];
    return statuses;
  }

  fs::path photos_;
  fs::path out_;
};

const std::vector<std::string> kGood = {"rocket_1mp.jpg", "kitchen/coffee_1mp.jpg",
                                        "kitchen/cups/smarties_1mp.jpg"};

TEST_F(EnhanceFolderTest, EnhancesTheTreeListsFailuresAndSkipsWhatIsUpToDate) {
  CliOutput first;
  std::map<std::string, json> results = Enhance({"--count", "2"}, &first);
  EXPECT_EQ(first.exit_code, 1) << first.err;

  // One JSON result per photo; notes.txt is not a photo type and is not even listed.
  EXPECT_EQ(Statuses(results), (std::map<std::string, std::string>{
                                   {"fake.jpg", "failed"},
                                   {"kitchen/broken.jpg", "failed"},
                                   {"kitchen/coffee_1mp.jpg", "ok"},
                                   {"kitchen/cups/smarties_1mp.jpg", "ok"},
                                   {"rocket_1mp.jpg", "ok"}}));
  EXPECT_NE(results["fake.jpg"]["error"].get<std::string>().find("not an image"), std::string::npos);
  EXPECT_NE(results["kitchen/broken.jpg"]["error"].get<std::string>().find("could not be decoded"),
            std::string::npos)
      << results["kitchen/broken.jpg"];
  EXPECT_TRUE(results["fake.jpg"]["outputs"].empty());

  // The output tree mirrors the input tree: a folder per photo.
  const std::map<std::string, std::string> folders = {
      {"rocket_1mp.jpg", "rocket_1mp"},
      {"kitchen/coffee_1mp.jpg", "kitchen/coffee_1mp"},
      {"kitchen/cups/smarties_1mp.jpg", "kitchen/cups/smarties_1mp"}};
  for (const std::string& file : kGood) {
    const json& result = results[file];
    EXPECT_TRUE(result["error"].is_null());
    EXPECT_GE(result["elapsed_ms"].get<int64_t>(), 0);
    const fs::path folder = out_ / folders.at(file);
    const std::string name = folder.filename().string();
    // The original at the variants' geometry, two variants, each with a thumbnail; the manifest.
    ASSERT_EQ(result["outputs"].size(), 7u) << result;
    for (const json& output : result["outputs"]) {
      EXPECT_EQ(fs::path(output.get<std::string>()).parent_path(), folder) << output;
      EXPECT_TRUE(fs::is_regular_file(output.get<std::string>())) << output;
    }
    EXPECT_EQ(result["outputs"][0], (folder / (name + "_0-original.jpg")).string());
    json manifest = json::parse(ReadText(folder / "manifest.json"));
    EXPECT_EQ(manifest["source"], file);
    ASSERT_EQ(manifest["images"].size(), 2u);
    EXPECT_EQ(manifest["stamp"]["input"]["size"], fs::file_size(photos_ / file));
    EXPECT_EQ(manifest["stamp"]["settings"]["count"], 2);
    EXPECT_EQ(manifest["stamp"]["input"]["sha256"].get<std::string>().size(), 64u);
    std::optional<JpegInfo> original = ReadJpegInfo(ReadText(folder / (name + "_0-original.jpg")));
    ASSERT_TRUE(original.has_value());
    EXPECT_EQ(original->width, 1600);
    EXPECT_EQ(original->height, 1600);
    for (const json& image : manifest["images"]) {
      std::optional<JpegInfo> info = ReadJpegInfo(ReadText(folder / image["file"].get<std::string>()));
      ASSERT_TRUE(info.has_value());
      EXPECT_EQ(info->width, original->width);
      EXPECT_EQ(info->height, original->height);
    }
  }
  EXPECT_FALSE(fs::exists(out_ / "fake"));
  EXPECT_FALSE(fs::exists(out_ / "notes"));
  EXPECT_FALSE(fs::exists(out_ / "kitchen/broken"));
  EXPECT_TRUE(fs::is_regular_file(out_ / "index.html"));

  // The failures are listed at the end, with their reasons; a pipe gets no carriage return.
  const size_t list = first.err.find("2 photos failed:\n");
  ASSERT_NE(list, std::string::npos) << first.err;
  const std::string tail = first.err.substr(list);
  EXPECT_NE(tail.find("  " + (photos_ / "fake.jpg").string() + ": not an image"), std::string::npos) << tail;
  EXPECT_NE(tail.find("  " + (photos_ / "kitchen/broken.jpg").string() + ": "), std::string::npos) << tail;
  EXPECT_EQ(first.err.find('\r'), std::string::npos);

  // Again: every good photo is up to date and left alone.
  const auto manifest_time = fs::last_write_time(out_ / "rocket_1mp/manifest.json");
  CliOutput second;
  results = Enhance({"--count", "2"}, &second);
  EXPECT_EQ(second.exit_code, 1);
  for (const std::string& file : kGood) {
    EXPECT_EQ(results[file]["status"], "skipped") << file;
    EXPECT_EQ(results[file]["outputs"].size(), 7u);
  }
  EXPECT_EQ(results["fake.jpg"]["status"], "failed");
  EXPECT_EQ(fs::last_write_time(out_ / "rocket_1mp/manifest.json"), manifest_time);

  // --force redoes them.
  results = Enhance({"--count", "2", "--force"});
  for (const std::string& file : kGood) EXPECT_EQ(results[file]["status"], "ok") << file;

  // A touched input is redone, and only that one.
  const fs::path touched = photos_ / "kitchen/coffee_1mp.jpg";
  fs::last_write_time(touched, fs::last_write_time(touched) + std::chrono::seconds(5));
  results = Enhance({"--count", "2"});
  EXPECT_EQ(results["kitchen/coffee_1mp.jpg"]["status"], "ok");
  EXPECT_EQ(results["rocket_1mp.jpg"]["status"], "skipped");
  EXPECT_EQ(results["kitchen/cups/smarties_1mp.jpg"]["status"], "skipped");
}

TEST_F(EnhanceFolderTest, OtherSettingsRedoThePhotosAndLeaveNoStaleFiles) {
  fs::remove(photos_ / "fake.jpg");
  fs::remove(photos_ / "kitchen/broken.jpg");
  fs::remove_all(photos_ / "kitchen");
  CliOutput run;
  std::map<std::string, json> results = Enhance({"--count", "3", "--jobs", "1"}, &run);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(results["rocket_1mp.jpg"]["outputs"].size(), 9u);

  results = Enhance({"--count", "1"}, &run);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(results["rocket_1mp.jpg"]["status"], "ok");  // another count: not up to date
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(out_ / "rocket_1mp")) {
    files.insert(entry.path().filename().string());
  }
  std::set<std::string> listed;
  for (const json& output : results["rocket_1mp.jpg"]["outputs"]) {
    listed.insert(fs::path(output.get<std::string>()).filename().string());
  }
  EXPECT_EQ(files, listed);  // the variants of the 3-image run are gone
  EXPECT_EQ(listed.size(), 5u);
}

TEST_F(EnhanceFolderTest, WithoutJsonStdoutHoldsOnlyTheContactSheetAndQuietKeepsOnlyFailures) {
  CliOutput run = RunEnhancer({"enhance", photos_.string(), "--out", out_.string(), "--count", "1", "--quiet"},
                              dir_.string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, (out_ / "index.html").string() + "\n");
  EXPECT_EQ(run.err.rfind("2 photos failed:\n", 0), 0u) << run.err;  // nothing before the list
  EXPECT_EQ(CountOf(run.err, "\n"), 3u) << run.err;
}

TEST_F(EnhanceFolderTest, GlobPatternsAndNamedFiles) {
  CliOutput run = RunEnhancer({"enhance", (photos_ / "kitchen").string() + "/*/*.jpg",
                               (photos_ / "rocket_1mp.jpg").string(), "--out", out_.string(),
                               "--count", "1", "--json"},
                              dir_.string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(JsonLines(run.out).size(), 2u);
  EXPECT_TRUE(fs::is_regular_file(out_ / "cups/smarties_1mp/manifest.json"));
  EXPECT_TRUE(fs::is_regular_file(out_ / "rocket_1mp/manifest.json"));
}

TEST_F(EnhanceFolderTest, CtrlCStartsNoNewPhotoAndStillWritesTheContactSheet) {
  const fs::path many = dir_ / "many";
  for (int i = 1; i <= 8; ++i) CopyImage("coffee_4mp.jpg", many / ("p" + std::to_string(i) + ".jpg"));
  ChildProcess run({EnhancerBinary(), "enhance", many.string(), "--out", out_.string(), "--jobs", "1"},
                   {}, dir_.string(), (dir_ / "run.log").string());
  // Interrupted once the first photo is done (a hang guard, not a timing assertion).
  ASSERT_TRUE(WaitUntil([&] { return run.Log().find("[1/8]") != std::string::npos; },
                        std::chrono::seconds(300)))
      << run.Log();
  EXPECT_EQ(run.Stop(SIGINT), 130);
  const std::string log = run.Log();
  EXPECT_NE(log.find("not started (interrupted)"), std::string::npos) << log;
  EXPECT_EQ(log.find("failed:"), std::string::npos) << log;  // a stopped photo is no failure
  EXPECT_TRUE(fs::is_regular_file(out_ / "index.html"));
  EXPECT_TRUE(fs::is_regular_file(out_ / "p1/manifest.json"));
  EXPECT_FALSE(fs::exists(out_ / "p8"));
}

}  // namespace
}  // namespace enhancer::testing
