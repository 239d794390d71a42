#include "store/object_store.h"

#include <gtest/gtest.h>

#include <string>

namespace enhancer {
namespace {

struct KeyCase {
  std::string key;
  bool valid;
};

TEST(IsValidObjectKeyTest, Table) {
  const KeyCase kCases[] = {
      {"a", true},
      {"a.jpg", true},
      {"products/12/3f2a/1-base_v2.jpg", true},
      {"A-Z_a-z.0-9", true},
      {".hidden", true},
      {"..double.dots..", true},
      {"a/...", true},
      {std::string(512, 'k'), true},
      {std::string(513, 'k'), false},
      {"", false},
      {".", false},
      {"..", false},
      {"../x", false},
      {"a/../b", false},
      {"a/./b", false},
      {"a/.", false},
      {"/abs", false},
      {"a/", false},
      {"a//b", false},
      {"/", false},
      {"a b", false},
      {"a\\b", false},
      {"a:b", false},
      {"a+b", false},
      {"a%20b", false},
      {"caf\xc3\xa9", false},
      {std::string("a\0b", 3), false},
      {"a\nb", false},
      {"~user", false},
  };
  for (const KeyCase& c : kCases) {
    EXPECT_EQ(IsValidObjectKey(c.key), c.valid) << "key \"" << c.key << "\"";
  }
}

}  // namespace
}  // namespace enhancer
