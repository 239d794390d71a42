#include "fetch/image_url.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

TEST(CheckImageUrlSchemeTest, AcceptsHttpAndHttpsOnly) {
  for (std::string_view url : {"http://example.com/a.jpg", "https://example.com/a.jpg",
                               "HTTPS://example.com/a.jpg", "http://[::1]:8080/"}) {
    EXPECT_TRUE(CheckImageUrlScheme(url).ok()) << url;
  }
}

TEST(CheckImageUrlSchemeTest, RefusesOtherSchemesAndNamesThem) {
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"file:///etc/passwd", "unsupported URL scheme \"file\""},
      {"gopher://127.0.0.1:70/_GET", "unsupported URL scheme \"gopher\""},
      {"ftp://user:secret@example.com/a.jpg", "unsupported URL scheme \"ftp\""},
      {"FTP://example.com/a.jpg", "unsupported URL scheme \"ftp\""},
      {"data:image/png;base64,AAAA", "unsupported URL scheme \"data\""},
      {"javascript:alert(1)", "unsupported URL scheme \"javascript\""},
      {"dict://127.0.0.1:11211/", "unsupported URL scheme \"dict\""},
      {"example.com/a.jpg", "unsupported URL scheme: the URL has none"},
      {"//example.com/a.jpg", "unsupported URL scheme: the URL has none"},
      {"", "unsupported URL scheme: the URL has none"},
      {"http:/example.com/a.jpg", "malformed URL"},
      {"https:example.com", "malformed URL"},
  };
  for (const auto& [url, message] : kCases) {
    Status status = CheckImageUrlScheme(url);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << url;
    EXPECT_NE(status.message().find(message), std::string::npos) << url << ": " << status.message();
    EXPECT_EQ(status.message().find("secret"), std::string::npos) << status.message();
  }
}

TEST(RedactUrlTest, RemovesUserinfoOnly) {
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"https://user:pw@example.com/a.jpg", "https://example.com/a.jpg"},
      {"http://user@example.com:8080/a.jpg?x=1", "http://example.com:8080/a.jpg?x=1"},
      {"http://us%40er:p@ss@example.com/", "http://example.com/"},
      {"https://example.com/a@2x.jpg", "https://example.com/a@2x.jpg"},
      {"https://example.com?who=a@b", "https://example.com?who=a@b"},
      {"https://example.com", "https://example.com"},
      {"user:pw@example.com/a.jpg", "example.com/a.jpg"},
      {"not a url", "not a url"},
      {"", ""},
  };
  for (const auto& [url, redacted] : kCases) EXPECT_EQ(RedactUrl(url), redacted) << url;
}

}  // namespace
}  // namespace enhancer
