#include "app/photo_walk.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace enhancer {
namespace {

namespace fs = std::filesystem;

class PhotoWalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("photo_walk_test_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void Touch(const std::string& relative) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << "x";
  }
  std::string Path(const std::string& relative) const { return (root_ / relative).string(); }

  static std::vector<std::pair<std::string, std::string>> Listed(const std::vector<PhotoInput>& photos) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const PhotoInput& p : photos) pairs.emplace_back(p.relative, p.output_dir);
    return pairs;
  }

  fs::path root_;
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST_F(PhotoWalkTest, WalksAFolderMirroringItsTreeAndKeepsOnlyVisibleImages) {
  Touch("a/x.jpg");
  Touch("a/sub/deeper/y.JPEG");
  Touch("a/notes.txt");
  Touch("a/.hidden/z.jpg");
  Touch("a/.dot.jpg");
  Touch("a/out/old.jpg");  // the output folder, inside the input
  Result<std::vector<PhotoInput>> photos = WalkPhotos({Path("a")}, Path("a/out"));
  ASSERT_TRUE(photos) << photos.error().ToString();
  EXPECT_EQ(Listed(*photos), (Pairs{{"sub/deeper/y.JPEG", "sub/deeper/y"}, {"x.jpg", "x"}}));
  EXPECT_EQ((*photos)[1].path, Path("a/x.jpg"));
}

TEST_F(PhotoWalkTest, SiblingsSharingAStemKeepTheirExtension) {
  Touch("a/c.jpg");
  Touch("a/c.png");
  Touch("a/d.jpg");
  Result<std::vector<PhotoInput>> photos = WalkPhotos({Path("a")}, "");
  ASSERT_TRUE(photos) << photos.error().ToString();
  EXPECT_EQ(Listed(*photos), (Pairs{{"c.jpg", "c_jpg"}, {"c.png", "c_png"}, {"d.jpg", "d"}}));
}

TEST_F(PhotoWalkTest, NamedFilesSitAtTheTopWhateverTheirExtension) {
  Touch("a/b/scan.dat");
  Result<std::vector<PhotoInput>> photos = WalkPhotos({Path("a/b/scan.dat")}, "");
  ASSERT_TRUE(photos) << photos.error().ToString();
  EXPECT_EQ(Listed(*photos), (Pairs{{"scan.dat", "scan"}}));
}

TEST_F(PhotoWalkTest, GlobMatchesKeepTheirPathBelowThePatternsFixedFolders) {
  Touch("shots/2024/c.jpg");
  Touch("shots/2025/c.jpg");
  Touch("shots/2025/readme.txt");
  Result<std::vector<PhotoInput>> photos = WalkPhotos({Path("shots") + "/*/*"}, "");
  ASSERT_TRUE(photos) << photos.error().ToString();
  EXPECT_EQ(Listed(*photos), (Pairs{{"2024/c.jpg", "2024/c"}, {"2025/c.jpg", "2025/c"}}));
}

TEST_F(PhotoWalkTest, GlobMatchingAFolderWalksIt) {
  Touch("shots/2024/a/c.jpg");
  Result<std::vector<PhotoInput>> photos = WalkPhotos({Path("shots") + "/20?4"}, "");
  ASSERT_TRUE(photos) << photos.error().ToString();
  EXPECT_EQ(Listed(*photos), (Pairs{{"2024/a/c.jpg", "2024/a/c"}}));
}

TEST_F(PhotoWalkTest, APhotoReachedTwiceIsListedOnce) {
  Touch("a/x.jpg");
  Result<std::vector<PhotoInput>> photos = WalkPhotos({Path("a"), Path("a/../a/x.jpg")}, "");
  ASSERT_TRUE(photos) << photos.error().ToString();
  EXPECT_EQ(photos->size(), 1u);
}

TEST_F(PhotoWalkTest, MissingInputsAreNotFound) {
  Result<std::vector<PhotoInput>> missing = WalkPhotos({Path("nope.jpg")}, "");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "no such file or folder: " + Path("nope.jpg"));

  Result<std::vector<PhotoInput>> no_match = WalkPhotos({Path("*.jpeg")}, "");
  ASSERT_FALSE(no_match);
  EXPECT_EQ(no_match.error().code(), StatusCode::kNotFound);
  EXPECT_NE(no_match.error().message().find("no file matches"), std::string::npos);
}

TEST_F(PhotoWalkTest, AFolderWithoutPhotosIsInvalidArgument) {
  Touch("a/notes.txt");
  Result<std::vector<PhotoInput>> photos = WalkPhotos({Path("a")}, "");
  ASSERT_FALSE(photos);
  EXPECT_EQ(photos.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(photos.error().message().find("no photos found in"), std::string::npos);
}

TEST_F(PhotoWalkTest, TwoInputsForOneOutputFolderAreRefused) {
  Touch("a/x.jpg");
  Touch("b/x.jpg");
  Result<std::vector<PhotoInput>> photos = WalkPhotos({Path("a/x.jpg"), Path("b/x.jpg")}, "");
  ASSERT_FALSE(photos);
  EXPECT_EQ(photos.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(photos.error().message().find("would both write to x/"), std::string::npos);
}

TEST_F(PhotoWalkTest, AnInputFolderInsideTheOutputFolderIsRefused) {
  Touch("a/x.jpg");
  for (const std::string& out : {Path("a"), Path("")}) {
    Result<std::vector<PhotoInput>> photos = WalkPhotos({Path("a")}, out);
    ASSERT_FALSE(photos) << out;
    EXPECT_EQ(photos.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(photos.error().message().find("choose an --out outside it"), std::string::npos);
  }
}

TEST_F(PhotoWalkTest, KnowsImageExtensionsAndGlobCharacters) {
  EXPECT_TRUE(HasImageExtension("a/B.JPG"));
  EXPECT_TRUE(HasImageExtension("x.webp"));
  EXPECT_TRUE(HasImageExtension("x.heic"));
  EXPECT_FALSE(HasImageExtension("notes.txt"));
  EXPECT_FALSE(HasImageExtension("jpg"));
  EXPECT_TRUE(IsGlobPattern("*.jpg"));
  EXPECT_TRUE(IsGlobPattern("shot?.png"));
  EXPECT_TRUE(IsGlobPattern("[ab].png"));
  EXPECT_FALSE(IsGlobPattern("plain/file.jpg"));
}

}  // namespace
}  // namespace enhancer
