#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "render/test_support.h"
#include "render/vips_renderer.h"

namespace enhancer {
namespace {

using render_test::RgbImage;

// The bin an 8-bit level lands in: the 16-bit value (v * 257) >> 6.
int BinOf(int level) { return (level * 257) >> 6; }

// 60x40: the left half one colour, the right half another, with a hard edge between them (where
// a resize would overshoot).
std::string TwoColourPng() {
  RgbImage image;
  image.width = 60;
  image.height = 40;
  image.rgb.resize(60 * 40 * 3);
  for (int y = 0; y < 40; ++y) {
    for (int x = 0; x < 60; ++x) {
      const uint8_t left[3] = {0, 128, 255}, right[3] = {10, 200, 56};
      for (int c = 0; c < 3; ++c) image.at(x, y)[c] = x < 30 ? left[c] : right[c];
    }
  }
  return render_test::EncodePng(image);
}

const Preview& PreviewAt(int canvas, std::unique_ptr<PreparedPhoto>& photo) {
  RenderOptions options;
  options.canvas = canvas;
  options.thumbnail = 16;
  Result<std::unique_ptr<PreparedPhoto>> prepared =
      MakeVipsRenderer(options)->Prepare(TwoColourPng());
  EXPECT_TRUE(prepared.has_value()) << prepared.error().ToString();
  photo = std::move(*prepared);
  return photo->preview();
}

// Each channel holds exactly the photo's two values, 1200 pixels each, and nothing else.
void ExpectTheTwoColours(const Preview& preview) {
  const int left[3] = {0, 128, 255}, right[3] = {10, 200, 56};
  for (int c = 0; c < 3; ++c) {
    const std::vector<uint32_t>& h = preview.histograms[c];
    ASSERT_EQ(h.size(), static_cast<size_t>(Preview::kHistogramBins)) << c;
    EXPECT_EQ(h[BinOf(left[c])], 1200u) << c;
    EXPECT_EQ(h[BinOf(right[c])], 1200u) << c;
    uint64_t total = 0;
    for (uint32_t count : h) total += count;
    EXPECT_EQ(total, 2400u) << "counts outside the photo's own values in channel " << c;
  }
}

TEST(PreviewStepTest, EnlargedPhotoHasTheHistogramsOfItsOwnPixels) {
  // Enlarged 60x40 -> 200x133: the bicubic overshoot at the edge must not be counted.
  std::unique_ptr<PreparedPhoto> photo;
  ExpectTheTwoColours(PreviewAt(200, photo));
}

TEST(PreviewStepTest, PhotoAtTheBaseSizeIsCountedAsIs) {
  std::unique_ptr<PreparedPhoto> photo;
  ExpectTheTwoColours(PreviewAt(60, photo));
}

TEST(PreviewStepTest, PhotoLargerThanTheBaseHasNoHistograms) {
  // Counting it would need a second full decode; the planners use the preview instead.
  std::unique_ptr<PreparedPhoto> photo;
  const Preview& preview = PreviewAt(32, photo);
  EXPECT_GT(preview.width, 0);
  for (int c = 0; c < 3; ++c) EXPECT_TRUE(preview.histograms[c].empty()) << c;
}

}  // namespace
}  // namespace enhancer
