#include "aws/canonical_request.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

TEST(NormalizePathTest, RemovesDotSegmentsAndRepeatedSlashes) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (Case c : {Case{"/", "/"}, Case{"", "/"}, Case{"//", "/"}, Case{"/./", "/"},
                 Case{"/example/..", "/"}, Case{"/a/b/../..", "/"}, Case{"/a/../../b", "/b"},
                 Case{"//example//", "/example/"}, Case{"/./example", "/example"},
                 Case{"/a/./b/../c//", "/a/c/"}, Case{"/a..b/.c", "/a..b/.c"}}) {
    EXPECT_EQ(NormalizePath(c.in), c.out) << c.in;
  }
}

TEST(CanonicalUriTest, EncodesTwiceExceptForS3) {
  EXPECT_EQ(CanonicalUri("/a b/%20/$", PathRule::kNormalizeAndEncode), "/a%20b/%2520/%24");
  EXPECT_EQ(CanonicalUri("//a/../b", PathRule::kNormalizeAndEncode), "/b");
  EXPECT_EQ(CanonicalUri("//a/../b", PathRule::kEncodeOnly), "//a/../b");
  EXPECT_EQ(CanonicalUri("/a b/%20", PathRule::kEncodeOnly), "/a%20b/%2520");
  // S3: as sent; escapes kept (hex uppercased), stray bytes encoded, nothing normalised.
  EXPECT_EQ(CanonicalUri("/bucket/my//key/./x%2a", PathRule::kAsSent), "/bucket/my//key/./x%2A");
  EXPECT_EQ(CanonicalUri("/test$file.text", PathRule::kAsSent), "/test%24file.text");
  EXPECT_EQ(CanonicalUri("/test%24file.text", PathRule::kAsSent), "/test%24file.text");
  EXPECT_EQ(CanonicalUri("/a%2Fb", PathRule::kAsSent), "/a%2Fb");  // an escaped slash stays one
  EXPECT_EQ(CanonicalUri("/100%", PathRule::kAsSent), "/100%25");
  EXPECT_EQ(CanonicalUri("", PathRule::kAsSent), "/");
}

TEST(CanonicalQueryTest, SortsEncodedPairs) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (Case c : {
           Case{"", ""},
           Case{"lifecycle", "lifecycle="},
           Case{"b=2&a=1", "a=1&b=2"},
           Case{"a=2&a=1&A=3", "A=3&a=1&a=2"},              // byte order: uppercase first
           Case{"Param-3=x&Param=y", "Param=y&Param-3=x"},  // names compare first
           Case{"k=a b&k2=%2b+", "k=a%20b&k2=%2B%2B"},      // '+' is a literal plus
           Case{"x=%7e%41", "x=~A"},                        // decoded, then re-encoded
           Case{"&&a=1&", "a=1"},
           Case{"a==b", "a=%3Db"},
       }) {
    EXPECT_EQ(CanonicalQuery(c.in), c.out) << c.in;
  }
}

TEST(CanonicalHeaderValueTest, TrimsAndCollapsesWhiteSpace) {
  EXPECT_EQ(CanonicalHeaderValue("  a \t  b  "), "a b");
  EXPECT_EQ(CanonicalHeaderValue("value1\n  value2\n     value3"), "value1 value2 value3");
  EXPECT_EQ(CanonicalHeaderValue("\"a   b   c\""), "\"a b c\"");
  EXPECT_EQ(CanonicalHeaderValue(""), "");
}

TEST(CanonicalizeHeadersTest, LowercasesSortsJoinsAndSkipsUnsignedOnes) {
  CanonicalHeaders headers = CanonicalizeHeaders({{"X-Amz-Date", "20150830T123600Z"},
                                                  {"Host", "example.amazonaws.com"},
                                                  {"My-Header1", "value2"},
                                                  {"User-Agent", "enhancer/1"},
                                                  {"my-header1", " value1 "},
                                                  {"Authorization", "old"},
                                                  {"Expect", "100-continue"}});
  EXPECT_EQ(headers.block,
            "host:example.amazonaws.com\n"
            "my-header1:value2,value1\n"
            "x-amz-date:20150830T123600Z\n");
  EXPECT_EQ(headers.signed_headers, "host;my-header1;x-amz-date");
}

TEST(CanonicalRequestTest, JoinsThePartsWithNewlines) {
  CanonicalHeaders headers{"host:h\n", "host"};
  EXPECT_EQ(CanonicalRequest("GET", "/", "a=1", headers, "UNSIGNED-PAYLOAD"),
            "GET\n/\na=1\nhost:h\n\nhost\nUNSIGNED-PAYLOAD");
}

}  // namespace
}  // namespace enhancer
