#include "store/local_object_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "store/object_store_contract_test.h"

namespace enhancer {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "local_object_store_test.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
    } else {
      path_ = pattern;
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class LocalHarness final : public ObjectStoreHarness {
 public:
  static std::unique_ptr<ObjectStoreHarness> Make() {
    auto harness = std::make_unique<LocalHarness>();
    Result<std::unique_ptr<ObjectStore>> store =
        OpenLocalObjectStore((harness->dir_.path() / "objects").string());
    if (!store.has_value()) {
      ADD_FAILURE() << store.error().ToString();
      return nullptr;
    }
    harness->store_ = *std::move(store);
    return harness;
  }
  ObjectStore& store() override { return *store_; }

 private:
  TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Local, ObjectStoreContractTest,
                         ::testing::Values(ObjectStoreContractParam{"LocalFolder",
                                                                    &LocalHarness::Make}),
                         ObjectStoreContractParam::Name);

class LocalObjectStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<ObjectStore> Open(std::string public_base = "/media") {
    Result<std::unique_ptr<ObjectStore>> store = OpenLocalObjectStore(root().string(), public_base);
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store.has_value() ? *std::move(store) : nullptr;
  }
  fs::path root() const { return dir_.path() / "media" / "root"; }

  TempDir dir_;
};

TEST_F(LocalObjectStoreTest, OpenCreatesTheFolderWithItsParents) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(fs::is_directory(root()));
}

TEST_F(LocalObjectStoreTest, OpenOfAFileIsFailedPrecondition) {
  const fs::path file = dir_.path() / "a_file";
  std::ofstream(file) << "x";
  Result<std::unique_ptr<ObjectStore>> store = OpenLocalObjectStore(file.string());
  EXPECT_EQ(store.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(OpenLocalObjectStore("").error().code(), StatusCode::kFailedPrecondition);
}

TEST_F(LocalObjectStoreTest, ObjectsAreFilesUnderTheRoot) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Put("products/1/h/1-base.jpg", "jpeg bytes", "image/jpeg").ok());
  std::ifstream in(root() / "products/1/h/1-base.jpg", std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "jpeg bytes");
}

TEST_F(LocalObjectStoreTest, PutLeavesNoTemporaryFiles) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store->Put("d/obj.jpg", std::string(1000, 'x'), "").ok());
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root() / "d")) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"obj.jpg"});
  EXPECT_TRUE(fs::is_empty(root() / ".~tmp"));
}

// A worker killed mid-upload leaves its temporary file; the next one to open the store removes
// it, and nothing another live process may still be writing.
TEST_F(LocalObjectStoreTest, OpeningRemovesTheTemporaryFilesOfDeadProcesses) {
  ASSERT_NE(Open(), nullptr);
  char host[256] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ASSERT_GT(dead, 0);
  ASSERT_EQ(::waitpid(dead, nullptr, 0), dead);
  const fs::path temp = root() / ".~tmp";
  auto make = [&](const std::string& name) { std::ofstream(temp / name) << "partial"; };
  const std::string me = std::string(host) + "." + std::to_string(::getpid()) + ".0";
  const std::string gone = std::string(host) + "." + std::to_string(dead) + ".0";
  make(me);
  make(gone);
  make("elsewhere.1.0");  // another host's, fresh: perhaps still being written
  make("elsewhere.2.0");  // another host's, two hours old: left from a crash
  fs::last_write_time(temp / "elsewhere.2.0",
                      fs::file_time_type::clock::now() - std::chrono::hours(2));
  ASSERT_NE(Open(), nullptr);
  EXPECT_TRUE(fs::exists(temp / me));
  EXPECT_FALSE(fs::exists(temp / gone));
  EXPECT_TRUE(fs::exists(temp / "elsewhere.1.0"));
  EXPECT_FALSE(fs::exists(temp / "elsewhere.2.0"));
}

TEST_F(LocalObjectStoreTest, InvalidKeysNeverTouchAnythingOutsideTheRoot) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Put("../escaped", "x", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Put("a/../../escaped", "x", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Put((dir_.path() / "escaped").string(), "x", "").code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(root().parent_path() / "escaped"));
  EXPECT_FALSE(fs::exists(dir_.path() / "escaped"));
}

TEST_F(LocalObjectStoreTest, AKeyCannotBeBothAnObjectAndAPrefix) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Put("a", "object", "").ok());
  EXPECT_EQ(store->Put("a/b", "x", "").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store->Put("c/d", "object", "").ok());
  EXPECT_EQ(store->Put("c", "x", "").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store->Get("c/d").value(), "object");
  // Neither failure left a temporary file behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(root() / "c"), fs::directory_iterator()), 1);
  EXPECT_TRUE(store->Delete("c").ok());
  EXPECT_EQ(store->Get("c/d").value(), "object");
}

TEST_F(LocalObjectStoreTest, ASegmentLongerThanTheFileSystemAllowsIsInvalidArgument) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const std::string key = "d/" + std::string(300, 'n') + ".jpg";
  ASSERT_TRUE(IsValidObjectKey(key));
  Status put = store->Put(key, "x", "image/jpeg");
  EXPECT_EQ(put.code(), StatusCode::kInvalidArgument) << put.ToString();
  EXPECT_NE(put.message().find("255 bytes"), std::string::npos) << put.message();
}

TEST_F(LocalObjectStoreTest, PublicUrlAndDescribe) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->PublicUrl("products/1/h/1-base.jpg"), "/media/products/1/h/1-base.jpg");
  EXPECT_EQ(store->Describe(), "folder " + root().string() + " served at /media/");

  auto cdn = Open("https://cdn.example/images/");
  ASSERT_NE(cdn, nullptr);
  EXPECT_EQ(cdn->PublicUrl("a.jpg"), "https://cdn.example/images/a.jpg");
  EXPECT_EQ(cdn->Describe(),
            "folder " + root().string() + " served at https://cdn.example/images/");
}

TEST_F(LocalObjectStoreTest, TwoStoresOnOneFolderSeeEachOthersObjects) {
  auto writer = Open();
  auto reader = Open();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(writer->Put("shared.jpg", "bytes", "image/jpeg").ok());
  EXPECT_EQ(reader->Get("shared.jpg").value(), "bytes");
}

}  // namespace
}  // namespace enhancer
