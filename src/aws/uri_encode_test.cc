#include "aws/uri_encode.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

TEST(UriEncodeTest, KeepsOnlyTheUnreservedSet) {
  EXPECT_EQ(UriEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(UriEncode("a b+c/d=e&f*g%h$"), "a%20b%2Bc%2Fd%3De%26f%2Ag%25h%24");
  EXPECT_EQ(UriEncode("\xe1\x88\xb4"), "%E1%88%B4");  // UTF-8 bytes, uppercase hex
  EXPECT_EQ(UriEncode(std::string("\0", 1)), "%00");
}

TEST(UriEncodeTest, KeepSlashIsForPaths) {
  EXPECT_EQ(UriEncode("photos/a b.jpg", /*keep_slash=*/true), "photos/a%20b.jpg");
  EXPECT_EQ(UriEncode("photos/a b.jpg"), "photos%2Fa%20b.jpg");
}

TEST(UriDecodeTest, DecodesEscapesOfEitherCaseAndLeavesTheRest) {
  EXPECT_EQ(UriDecode("%41%2f%2F"), "A//");
  EXPECT_EQ(UriDecode("a+b"), "a+b");  // a plus stays a plus
  EXPECT_EQ(UriDecode("100%"), "100%");
  EXPECT_EQ(UriDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(UriDecode("%E1%88%B4"), "\xe1\x88\xb4");
}

TEST(UriEncodeTest, RoundTrips) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(UriDecode(UriEncode(all)), all);
}

}  // namespace
}  // namespace enhancer
