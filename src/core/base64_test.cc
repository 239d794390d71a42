#include "core/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace enhancer {
namespace {

TEST(Base64Test, EncodesTheRfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded) << plain;
    std::optional<std::string> decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64Test, RoundTripsEveryByteValue) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  std::optional<std::string> decoded = Base64Decode(Base64Encode(bytes));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, bytes);
}

TEST(Base64Test, RefusesWhatIsNotStrictBase64) {
  for (const char* text :
       {"Zg", "Zg=", "Z===", "Zg==Zg==", "Zm9v\n", "Zm9-", "Zm9_", "Zm 9v", "=Zm9", "Zg=a"}) {
    EXPECT_FALSE(Base64Decode(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace enhancer
