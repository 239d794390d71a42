#include "store/content_type.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

TEST(ContentTypeForKeyTest, Table) {
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"a.jpg", "image/jpeg"},
      {"products/1/h/1-base.JPEG", "image/jpeg"},
      {"p.png", "image/png"},
      {"p.webp", "image/webp"},
      {"p.gif", "image/gif"},
      {"p.avif", "image/avif"},
      {"p.heic", "image/heif"},
      {"p.tif", "image/tiff"},
      {"recipe.json", "application/json"},
      {"notes.txt", "text/plain; charset=utf-8"},
      // Pages and scripts are never served as such from the media folder.
      {"page.html", "application/octet-stream"},
      {"drawing.svg", "application/octet-stream"},
      {"noextension", "application/octet-stream"},
      {"dir.jpg/noextension", "application/octet-stream"},
      {"a/.jpg", "application/octet-stream"},
      {"trailing.", "application/octet-stream"},
      {"", "application/octet-stream"},
  };
  for (const auto& [key, type] : kCases) {
    EXPECT_EQ(ContentTypeForKey(key), type) << "key \"" << key << "\"";
  }
}

}  // namespace
}  // namespace enhancer
