// The ObjectStore contract: what every ObjectStore implementation must do, written once against
// the interface, so the local folder and S3 run the same suite.
//
// Use: include this header from exactly one .cc of a test binary (it defines tests), then
//   INSTANTIATE_TEST_SUITE_P(Local, ObjectStoreContractTest,
//                            ::testing::Values(ObjectStoreContractParam{"local", MakeHarness}),
//                            ObjectStoreContractParam::Name);
// where MakeHarness returns a fresh, empty store per test (nullptr after a failure it reported).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "store/object_store.h"

namespace enhancer {

// Owns one store and whatever it needs (a temporary folder, a bucket), and cleans up on
// destruction.
class ObjectStoreHarness {
 public:
  virtual ~ObjectStoreHarness() = default;
  virtual ObjectStore& store() = 0;
};

struct ObjectStoreContractParam {
  std::string name;  // test name suffix: [A-Za-z0-9_]
  std::function<std::unique_ptr<ObjectStoreHarness>()> make;

  static std::string Name(const ::testing::TestParamInfo<ObjectStoreContractParam>& info) {
    return info.param.name;
  }
  friend void PrintTo(const ObjectStoreContractParam& param, std::ostream* os) {
    *os << param.name;
  }
};

class ObjectStoreContractTest : public ::testing::TestWithParam<ObjectStoreContractParam> {
 protected:
  void SetUp() override {
    harness_ = GetParam().make();
    ASSERT_NE(harness_, nullptr) << "could not make a " << GetParam().name << " store";
  }
  ObjectStore& store() { return harness_->store(); }

  std::unique_ptr<ObjectStoreHarness> harness_;
};

TEST_P(ObjectStoreContractTest, PutThenGetReturnsTheSameBytes) {
  const std::string bytes("\xff\xd8\xff\x00binary\r\n\x00end", 16);
  ASSERT_TRUE(store().Put("products/1/abc/1-base.jpg", bytes, "image/jpeg").ok());
  Result<std::string> got = store().Get("products/1/abc/1-base.jpg");
  ASSERT_TRUE(got.has_value()) << got.error().ToString();
  EXPECT_EQ(*got, bytes);
}

TEST_P(ObjectStoreContractTest, EmptyAndLargeObjectsRoundTrip) {
  std::string large(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 131 % 251);
  ASSERT_TRUE(store().Put("empty.bin", "", "application/octet-stream").ok());
  ASSERT_TRUE(store().Put("large.bin", large, "application/octet-stream").ok());
  Result<std::string> empty = store().Get("empty.bin");
  ASSERT_TRUE(empty.has_value()) << empty.error().ToString();
  EXPECT_EQ(*empty, "");
  Result<std::string> got = store().Get("large.bin");
  ASSERT_TRUE(got.has_value()) << got.error().ToString();
  EXPECT_TRUE(*got == large) << "large object differs (size " << got->size() << ")";
}

TEST_P(ObjectStoreContractTest, PutReplacesTheObject) {
  ASSERT_TRUE(store().Put("a/b.json", "first, and longer", "application/json").ok());
  ASSERT_TRUE(store().Put("a/b.json", "second", "application/json").ok());
  Result<std::string> got = store().Get("a/b.json");
  ASSERT_TRUE(got.has_value()) << got.error().ToString();
  EXPECT_EQ(*got, "second");
}

TEST_P(ObjectStoreContractTest, KeysAreDistinct) {
  ASSERT_TRUE(store().Put("x/1.jpg", "one", "image/jpeg").ok());
  ASSERT_TRUE(store().Put("x/1.jpg.json", "two", "application/json").ok());
  ASSERT_TRUE(store().Put("y/1.jpg", "three", "image/jpeg").ok());
  EXPECT_EQ(store().Get("x/1.jpg").value(), "one");
  EXPECT_EQ(store().Get("x/1.jpg.json").value(), "two");
  EXPECT_EQ(store().Get("y/1.jpg").value(), "three");
  EXPECT_EQ(store().Get("x/1.JPG").error().code(), StatusCode::kNotFound);
}

TEST_P(ObjectStoreContractTest, GetOfAMissingObjectIsNotFound) {
  EXPECT_EQ(store().Get("never/written.jpg").error().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store().Put("dir/obj", "x", "text/plain").ok());
  // A prefix of an existing key is not an object.
  EXPECT_EQ(store().Get("dir").error().code(), StatusCode::kNotFound);
}

TEST_P(ObjectStoreContractTest, DeleteRemovesTheObject) {
  ASSERT_TRUE(store().Put("gone.jpg", "bytes", "image/jpeg").ok());
  ASSERT_TRUE(store().Put("kept.jpg", "bytes", "image/jpeg").ok());
  Status deleted = store().Delete("gone.jpg");
  ASSERT_TRUE(deleted.ok()) << deleted.ToString();
  EXPECT_EQ(store().Get("gone.jpg").error().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store().Get("kept.jpg").has_value());
}

TEST_P(ObjectStoreContractTest, DeleteOfAMissingObjectIsOk) {
  Status deleted = store().Delete("never/written.jpg");
  EXPECT_TRUE(deleted.ok()) << deleted.ToString();
  ASSERT_TRUE(store().Put("once.jpg", "x", "image/jpeg").ok());
  ASSERT_TRUE(store().Delete("once.jpg").ok());
  deleted = store().Delete("once.jpg");
  EXPECT_TRUE(deleted.ok()) << deleted.ToString();
}

TEST_P(ObjectStoreContractTest, InvalidKeysAreInvalidArgumentForEveryMethod) {
  const std::vector<std::string> kInvalidKeys = {
      "",     "../x",        "a/../../x", "..",          ".",
      "/abs", "/etc/passwd", "a//b",      "a/./b",       "a/",
      "a b",  "a\\b",        "a:b",       "caf\xc3\xa9", std::string("a\0b", 3),
      "a?b",  "a#b",         "a%2Fb",     "~/x",         std::string(513, 'k'),
  };
  for (const std::string& key : kInvalidKeys) {
    SCOPED_TRACE("key \"" + key + "\"");
    EXPECT_EQ(store().Put(key, "x", "text/plain").code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store().Get(key).error().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store().Delete(key).code(), StatusCode::kInvalidArgument);
  }
}

TEST_P(ObjectStoreContractTest, TheLongestValidKeyWorks) {
  // 5 segments of 100 bytes, each with its slash, and a 7-byte tail: 512 bytes.
  std::string key;
  for (int i = 0; i < 5; ++i) key += std::string(100, static_cast<char>('a' + i)) + "/";
  key += "end.jpg";
  ASSERT_EQ(key.size(), 512u);
  ASSERT_TRUE(IsValidObjectKey(key));
  Status put = store().Put(key, "long", "image/jpeg");
  ASSERT_TRUE(put.ok()) << put.ToString();
  EXPECT_EQ(store().Get(key).value(), "long");
  EXPECT_TRUE(store().Delete(key).ok());
}

TEST_P(ObjectStoreContractTest, ConcurrentPutsOfOneKeyLeaveOneWholeObject) {
  constexpr int kWriters = 4;
  constexpr int kRounds = 5;
  constexpr size_t kSize = 256 * 1024;
  const std::string key = "race/same.bin";
  ASSERT_TRUE(store().Put(key, std::string(kSize, 'a'), "application/octet-stream").ok());

  // Every version is kSize copies of one letter, so any mix of two writes is visible.
  auto is_whole = [&](const std::string& bytes) {
    return bytes.size() == kSize && bytes.find_first_not_of(bytes[0]) == std::string::npos;
  };
  std::atomic<bool> writers_done{false};
  std::atomic<int> failures{0};
  std::atomic<int> torn_reads{0};
  std::thread reader([&] {
    while (!writers_done.load()) {
      Result<std::string> got = store().Get(key);
      if (!got.has_value()) {
        failures.fetch_add(1);
      } else if (!is_whole(*got)) {
        torn_reads.fetch_add(1);
      }
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const std::string bytes(kSize, static_cast<char>('b' + w));
      for (int round = 0; round < kRounds; ++round) {
        if (!store().Put(key, bytes, "application/octet-stream").ok()) failures.fetch_add(1);
      }
    });
  }
  for (std::thread& t : writers) t.join();
  writers_done.store(true);
  reader.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(torn_reads.load(), 0);
  Result<std::string> last = store().Get(key);
  ASSERT_TRUE(last.has_value()) << last.error().ToString();
  EXPECT_TRUE(is_whole(*last));
  EXPECT_GE((*last)[0], 'b');
  EXPECT_LT((*last)[0], 'b' + kWriters);
}

TEST_P(ObjectStoreContractTest, PublicUrlNamesTheKeyAndDescribeIsNotEmpty) {
  EXPECT_NE(store().PublicUrl("products/7/h/1-base.jpg").find("products/7/h/1-base.jpg"),
            std::string::npos);
  EXPECT_FALSE(store().Describe().empty());
}

}  // namespace enhancer
