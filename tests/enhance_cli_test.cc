// `enhancer enhance FILE --out DIR`: a local photo, no database and no server. Its results go to
// DIR/<stem>/ (see src/app/photo_job.h); folders of photos are in enhance_folder_test.cc.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "child_process.h"
#include "jpeg_info.h"

namespace enhancer::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class EnhanceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("enhancer_cli_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::pair<int, std::string> Run(std::vector<std::string> args) {
    args.insert(args.begin(), std::string(ENHANCER_BINARY_DIR) + "/enhancer");
    ChildProcess child(args, {}, dir_.string(), (dir_ / "run.log").string());
    int code = child.Wait(std::chrono::seconds(300));
    return {code, child.Log()};
  }

  fs::path dir_;
};

TEST_F(EnhanceCliTest, WritesImagesThumbnailsAndAManifest) {
  std::string photo = std::string(ENHANCER_SHARED_DIR) + "/testdata/images/rocket_1mp.jpg";
  auto [code, log] = Run({"enhance", photo, "--out", (dir_ / "out").string(), "--count", "4"});
  ASSERT_EQ(code, 0) << log;
  json manifest = json::parse(ReadFile(dir_ / "out/rocket_1mp/manifest.json"));
  ASSERT_EQ(manifest["images"].size(), 4u);
  EXPECT_EQ(manifest["planner"], "local");
  std::set<std::string> names;
  for (const json& image : manifest["images"]) {
    names.insert(image["name"]);
    for (const char* field : {"file", "thumbnail", "name", "prompt", "recipe", "width", "height", "bytes"}) {
      EXPECT_TRUE(image.contains(field)) << field;
    }
    std::string bytes = ReadFile(dir_ / "out/rocket_1mp" / image["file"].get<std::string>());
    EXPECT_EQ(image["bytes"], bytes.size());
    std::optional<JpegInfo> info = ReadJpegInfo(bytes);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->width, 1600);
    EXPECT_EQ(info->height, 1600);
    EXPECT_EQ(image["width"], 1600);
    EXPECT_TRUE(info->progressive);
    EXPECT_FALSE(info->has_exif);
    std::optional<JpegInfo> thumb =
        ReadJpegInfo(ReadFile(dir_ / "out/rocket_1mp" / image["thumbnail"].get<std::string>()));
    ASSERT_TRUE(thumb.has_value());
    EXPECT_EQ(thumb->width, 600);
  }
  EXPECT_EQ(names.size(), 4u);
}

TEST_F(EnhanceCliTest, AppliesGivenRecipesInsteadOfPlanning) {
  {
    std::ofstream recipes(dir_ / "r.json");
    recipes << R"({"recipes": [{"name": "s100", "saturation": 1.0, "sharpen": 0.6},
                               {"name": "s130", "saturation": 1.3, "sharpen": 0.6}]})";
  }
  std::string photo = std::string(ENHANCER_SHARED_DIR) + "/testdata/images/coffee_1mp.jpg";
  auto [code, log] = Run({"enhance", photo, "--out", (dir_ / "out").string(), "--recipes", (dir_ / "r.json").string()});
  ASSERT_EQ(code, 0) << log;
  json manifest = json::parse(ReadFile(dir_ / "out/coffee_1mp/manifest.json"));
  ASSERT_EQ(manifest["images"].size(), 2u);
  EXPECT_EQ(manifest["images"][1]["name"], "s130");
  EXPECT_DOUBLE_EQ(manifest["images"][1]["recipe"]["saturation"].get<double>(), 1.3);
  EXPECT_TRUE(fs::exists(dir_ / "out/coffee_1mp/coffee_1mp_2-s130.jpg"));
  EXPECT_TRUE(fs::exists(dir_ / "out/coffee_1mp/coffee_1mp_0-original.jpg"));
  EXPECT_TRUE(fs::exists(dir_ / "out/index.html"));
}

// The benchmark's reference recipe R1 (bench/peers/r1.json): measured levels and grey world,
// three saturations, no "before" image. The manifest records what was measured, so the
// recipe it lists reproduces the image without measuring again.
TEST_F(EnhanceCliTest, RendersTheReferenceRecipeR1WithoutAnOriginal) {
  std::string photo = std::string(ENHANCER_SHARED_DIR) + "/testdata/images/coffee_1mp.jpg";
  auto [code, log] = Run({"enhance", photo, "--out", (dir_ / "out").string(), "--recipes",
                          std::string(ENHANCER_SOURCE_DIR) + "/bench/peers/r1.json", "--no-original"});
  ASSERT_EQ(code, 0) << log;
  json manifest = json::parse(ReadFile(dir_ / "out/coffee_1mp/manifest.json"));
  ASSERT_EQ(manifest["images"].size(), 3u);
  EXPECT_TRUE(manifest["original"].is_null());
  EXPECT_FALSE(fs::exists(dir_ / "out/coffee_1mp/coffee_1mp_0-original.jpg"));
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_ / "out/coffee_1mp")) {
    files.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(files.size(), 7u);  // 3 images, 3 thumbnails, the manifest
  for (const json& image : manifest["images"]) {
    const json& recipe = image["recipe"];
    EXPECT_FALSE(recipe.contains("auto_levels")) << recipe;
    EXPECT_FALSE(recipe.contains("grey_world")) << recipe;
    // The coffee photo is warm: grey world cuts red and lifts blue.
    EXPECT_LT(recipe["white_balance"][0].get<double>(), 1.0) << recipe;
    EXPECT_GT(recipe["white_balance"][2].get<double>(), 1.0) << recipe;
    EXPECT_EQ(recipe["sharpen"], 0.6);
  }
  EXPECT_DOUBLE_EQ(manifest["images"][2]["recipe"]["saturation"].get<double>(), 1.3);
  // Unchanged settings: the second run skips the photo, the missing original notwithstanding.
  auto [again, log2] = Run({"enhance", photo, "--out", (dir_ / "out").string(), "--recipes",
                            std::string(ENHANCER_SOURCE_DIR) + "/bench/peers/r1.json",
                            "--no-original", "--json"});
  ASSERT_EQ(again, 0) << log2;
  EXPECT_NE(log2.find("\"status\":\"skipped\""), std::string::npos) << log2;
}

TEST_F(EnhanceCliTest, MissingFileAndBadOptionsAreUsageErrors) {
  auto [missing, log] = Run({"enhance", (dir_ / "nope.jpg").string(), "--out", (dir_ / "out").string()});
  EXPECT_EQ(missing, 2);
  EXPECT_NE(log.find("no such file"), std::string::npos) << log;
  EXPECT_EQ(Run({"enhance", "x.jpg", "--out", "o", "--count", "11"}).first, 2);
  EXPECT_EQ(Run({"frobnicate"}).first, 2);

  {
    std::ofstream text(dir_ / "notes.jpg");
    text << "this is not a photo";
  }
  auto [bad, bad_log] = Run({"enhance", (dir_ / "notes.jpg").string(), "--out", (dir_ / "out").string()});
  EXPECT_EQ(bad, 1);
  EXPECT_NE(bad_log.find("not an image"), std::string::npos) << bad_log;
}

}  // namespace
}  // namespace enhancer::testing
