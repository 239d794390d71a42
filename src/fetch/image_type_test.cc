#include "fetch/image_type.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace enhancer {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string bytes;
  for (int v : values) bytes.push_back(static_cast<char>(v));
  return bytes;
}

// An ISO media "ftyp" box of `size` bytes with the given brands.
std::string Ftyp(std::string_view major, std::initializer_list<std::string_view> compatible) {
  std::string body = "ftyp" + std::string(major) + std::string(4, '\0');
  for (std::string_view brand : compatible) body += brand;
  uint32_t size = static_cast<uint32_t>(body.size() + 4);
  return Bytes({static_cast<int>(size >> 24), static_cast<int>((size >> 16) & 0xff),
                static_cast<int>((size >> 8) & 0xff), static_cast<int>(size & 0xff)}) +
         body;
}

TEST(SniffImageTypeTest, RecognisesEachTypeByItsMagicBytes) {
  const std::pair<std::string, std::optional<ImageType>> kCases[] = {
      {Bytes({0xff, 0xd8, 0xff, 0xe0, 0, 0x10}) + "JFIF", ImageType::kJpeg},
      {Bytes({0xff, 0xd8, 0xff, 0xe1}) + "Exif", ImageType::kJpeg},
      {Bytes({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13}), ImageType::kPng},
      {"GIF89a\x01\x00", ImageType::kGif},
      {"GIF87a", ImageType::kGif},
      {std::string("RIFF\x10\0\0\0WEBPVP8 ", 16), ImageType::kWebp},
      {std::string("II*\0\x08\0\0\0", 8), ImageType::kTiff},
      {std::string("MM\0*\0\0\0\x08", 8), ImageType::kTiff},
      {std::string("II+\0", 4), ImageType::kTiff},
      {Ftyp("heic", {"mif1", "heic"}), ImageType::kHeif},
      {Ftyp("avif", {"mif1", "avif"}), ImageType::kAvif},
      {Ftyp("mif1", {"mif1", "avif", "miaf"}), ImageType::kAvif},
      {Ftyp("mif1", {"mif1", "heic"}), ImageType::kHeif},
      {Ftyp("msf1", {"msf1"}), ImageType::kHeif},
      // Not images, or not images the renderer takes.
      {Ftyp("isom", {"isom", "mp41"}), std::nullopt},  // an MP4 video
      {std::string("RIFF\x10\0\0\0WAVEfmt ", 16), std::nullopt},
      {Bytes({0xff, 0xd8}), std::nullopt},  // too short to tell
      {"<!DOCTYPE html><html>", std::nullopt},
      {"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", std::nullopt},
      {"BM\x36\x00", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& [bytes, expected] : kCases) {
    std::optional<ImageType> got = SniffImageType(bytes);
    EXPECT_EQ(got, expected) << "bytes starting \"" << bytes.substr(0, 12) << "\" sniffed as "
                             << (got ? ImageTypeName(*got) : "nothing");
  }
}

TEST(SniffImageTypeTest, RecognisesTheSharedTestPhoto) {
  std::ifstream in(ENHANCER_SHARED_DIR "/testdata/images/coffee_1mp.jpg", std::ios::binary);
  ASSERT_TRUE(in) << "missing test photo";
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(SniffImageType(bytes), ImageType::kJpeg);
}

TEST(ImageTypeTest, NamesAndMimeTypes) {
  EXPECT_EQ(ImageTypeName(ImageType::kJpeg), "jpeg");
  EXPECT_EQ(ImageTypeMime(ImageType::kJpeg), "image/jpeg");
  EXPECT_EQ(ImageTypeMime(ImageType::kPng), "image/png");
  EXPECT_EQ(ImageTypeMime(ImageType::kGif), "image/gif");
  EXPECT_EQ(ImageTypeMime(ImageType::kWebp), "image/webp");
  EXPECT_EQ(ImageTypeMime(ImageType::kTiff), "image/tiff");
  EXPECT_EQ(ImageTypeMime(ImageType::kHeif), "image/heif");
  EXPECT_EQ(ImageTypeMime(ImageType::kAvif), "image/avif");
}

TEST(GuessNonImageKindTest, Table) {
  const std::pair<std::string, std::string_view> kCases[] = {
      {"<!DOCTYPE html><html><body>Not found</body></html>", "HTML"},
      {"\xef\xbb\xbf  \n<!doctype HTML>", "HTML"},
      {"<html>", "HTML"},
      {"<HEAD><title>x</title>", "HTML"},
      {"<p>hello", "HTML"},
      {"<!-- generated -->", "HTML"},
      {"<svg viewBox=\"0 0 1 1\">", "SVG"},
      {"<?xml version=\"1.0\"?><svg>", "SVG"},
      {"<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>", "XML"},
      {"{\"error\": \"nope\"}", "JSON"},
      {"[1, 2]", "JSON"},
      {"Access denied\n", "text"},
      {"<pre>x", "text"},  // "<pre" is not "<p" followed by the end of a tag
      {std::string("\x00\x01\x02garbage", 10), ""},
      {"", ""},
  };
  for (const auto& [bytes, kind] : kCases) {
    EXPECT_EQ(GuessNonImageKind(bytes), kind) << "bytes \"" << bytes << "\"";
  }
}

}  // namespace
}  // namespace enhancer
