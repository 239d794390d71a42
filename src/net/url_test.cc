#include "net/url.h"

#include <gtest/gtest.h>

#include "core/status_matchers.h"

namespace enhancer {
namespace {

TEST(UrlTest, SplitsTheParts) {
  struct Case {
    std::string url, scheme, host;
    int port;
    std::string path, query, authority;
  };
  for (const Case& c : {
           Case{"https://sqs.eu-west-1.amazonaws.com/123/q", "https", "sqs.eu-west-1.amazonaws.com",
                0, "/123/q", "", "sqs.eu-west-1.amazonaws.com"},
           Case{"HTTP://Example.COM", "http", "example.com", 0, "/", "", "example.com"},
           Case{"http://127.0.0.1:9000/b/k%20y?x-id=GetObject&a", "http", "127.0.0.1", 9000,
                "/b/k%20y", "x-id=GetObject&a", "127.0.0.1:9000"},
           Case{"https://h:443/p?q#frag", "https", "h", 443, "/p", "q", "h"},
           Case{"http://h:80?only=query", "http", "h", 80, "/", "only=query", "h"},
           Case{"http://[::1]:8080/x", "http", "[::1]", 8080, "/x", "", "[::1]:8080"},
           Case{"http://[fd00:ec2::254]/latest", "http", "[fd00:ec2::254]", 0, "/latest", "",
                "[fd00:ec2::254]"},
           Case{"https://h/example space/?a=b c", "https", "h", 0, "/example space/", "a=b c", "h"},
       }) {
    SCOPED_TRACE(c.url);
    ASSERT_OK_AND_ASSIGN(Url url, ParseUrl(c.url));
    EXPECT_EQ(url.scheme, c.scheme);
    EXPECT_EQ(url.host, c.host);
    EXPECT_EQ(url.port, c.port);
    EXPECT_EQ(url.path, c.path);
    EXPECT_EQ(url.query, c.query);
    EXPECT_EQ(url.Authority(), c.authority);
  }
}

TEST(UrlTest, EffectivePortFollowsTheScheme) {
  ASSERT_OK_AND_ASSIGN(Url https, ParseUrl("https://h/"));
  EXPECT_EQ(https.EffectivePort(), 443);
  ASSERT_OK_AND_ASSIGN(Url http, ParseUrl("http://h/"));
  EXPECT_EQ(http.EffectivePort(), 80);
  ASSERT_OK_AND_ASSIGN(Url explicit_port, ParseUrl("http://h:81/"));
  EXPECT_EQ(explicit_port.EffectivePort(), 81);
}

TEST(UrlTest, RefusesWhatIsNotAnAbsoluteHttpUrl) {
  for (const char* url :
       {"", "example.com/x", "/relative", "ftp://h/x", "file:///etc/passwd", "http://",
        "http://:80/", "http://user:pw@h/", "http://h:0/", "http://h:65536/", "http://h:8x/",
        "http://[::1/", "http://h/a\nb", "http://h/\x01"}) {
    SCOPED_TRACE(url);
    EXPECT_CODE(ParseUrl(url), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace enhancer
