#include "render/image_type.h"

#include <gtest/gtest.h>

#include <string>

namespace enhancer::render {
namespace {

using namespace std::string_literals;

TEST(SniffImageTypeTest, RecognisesTheAcceptedFormats) {
  struct Case {
    std::string bytes;
    ImageType type;
  };
  for (const Case& c : {
           Case{"\xFF\xD8\xFF\xE0rest"s, ImageType::kJpeg},
           Case{"\x89PNG\r\n\x1A\n\0\0\0\rIHDR"s, ImageType::kPng},
           Case{"GIF89a..."s, ImageType::kGif},
           Case{"GIF87a..."s, ImageType::kGif},
           Case{"RIFF\x10\0\0\0WEBPVP8 "s, ImageType::kWebp},
           Case{"II*\0\x08\0\0\0"s, ImageType::kTiff},
           Case{"MM\0*\0\0\0\x08"s, ImageType::kTiff},
           Case{"\0\0\0\x18"
                "ftypheic\0\0\0\0"s,
                ImageType::kHeif},
           Case{"\0\0\0\x18"
                "ftypmif1\0\0\0\0"s,
                ImageType::kHeif},
           Case{"\0\0\0\x1C"
                "ftypavif\0\0\0\0"s,
                ImageType::kAvif},
       }) {
    std::optional<ImageType> type = SniffImageType(c.bytes);
    ASSERT_TRUE(type.has_value()) << c.bytes;
    EXPECT_EQ(*type, c.type) << c.bytes;
  }
}

TEST(SniffImageTypeTest, RefusesEverythingElse) {
  for (const std::string& bytes :
       {""s, "\xFF\xD8"s, "<html><body>"s, "<?xml version=\"1.0\"?><svg"s, "%PDF-1.7"s,
        "RIFF\x10\0\0\0WAVEfmt "s,
        "\0\0\0\x18"
        "ftypmp42\0\0\0\0"s,
        "BM\x36\0\0\0"s, "{\"not\": \"an image\"}"s}) {
    EXPECT_FALSE(SniffImageType(bytes).has_value()) << bytes;
  }
}

TEST(SniffImageTypeTest, NamesAreForPeople) {
  EXPECT_EQ(ImageTypeName(ImageType::kJpeg), "JPEG");
  EXPECT_EQ(ImageTypeName(ImageType::kAvif), "AVIF");
}

}  // namespace
}  // namespace enhancer::render
