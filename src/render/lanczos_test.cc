#include "render/lanczos.h"

#include <gtest/gtest.h>

#include <cmath>

namespace enhancer::render {
namespace {

TEST(Lanczos3ResizeTest, FlatStaysFlatAndIsScaledTo16Bits) {
  std::vector<uint8_t> flat(5 * 4 * 3, 200);
  const std::vector<uint16_t> out = Lanczos3Resize<uint8_t, uint16_t>(flat.data(), 5, 4, 13, 11);
  ASSERT_EQ(out.size(), 13u * 11 * 3);
  for (uint16_t v : out) EXPECT_EQ(v, 200 * 257);
}

TEST(Lanczos3ResizeTest, SixteenBitInputKeepsItsScale) {
  std::vector<uint16_t> flat(3 * 3 * 3, 1000);
  for (uint16_t v : Lanczos3Resize<uint16_t, uint16_t>(flat.data(), 3, 3, 7, 7)) EXPECT_EQ(v, 1000);
}

TEST(Lanczos3ResizeTest, EnlargedRampStaysARampBetweenItsEnds) {
  // A horizontal ramp 0..250 over 26 pixels, enlarged 2x: monotonic in the middle, with the
  // in-between values of a 16-bit result, and no channel crosstalk.
  std::vector<uint8_t> ramp(26 * 2 * 3);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 26; ++x) {
      uint8_t* p = &ramp[(y * 26 + x) * 3];
      p[0] = static_cast<uint8_t>(x * 10);
      p[1] = 0;
      p[2] = 255;
    }
  }
  const std::vector<uint16_t> out = Lanczos3Resize<uint8_t, uint16_t>(ramp.data(), 26, 2, 52, 4);
  for (int x = 6; x < 46; ++x) {
    const uint16_t here = out[(52 + x) * 3], next = out[(52 + x + 1) * 3];
    EXPECT_LT(here, next) << x;
    // Output pixel x is centred on input position (x + 0.5) / 2 - 0.5, where the ramp is
    // 10 * that; the normalised Lanczos3 kernel ripples about a straight line by ~0.2 levels.
    EXPECT_NEAR(here / 257.0, 10 * ((x + 0.5) / 2 - 0.5), 0.25) << x;
    EXPECT_EQ(out[(52 + x) * 3 + 1], 0);
    EXPECT_EQ(out[(52 + x) * 3 + 2], 65535);
  }
}

TEST(Lanczos3ResizeTest, SameSizeIsTheIdentity) {
  std::vector<uint8_t> pixels(4 * 3 * 3);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 7);
  const std::vector<uint16_t> out = Lanczos3Resize<uint8_t, uint16_t>(pixels.data(), 4, 3, 4, 3);
  for (size_t i = 0; i < pixels.size(); ++i) EXPECT_EQ(out[i], pixels[i] * 257) << i;
}

// The thumbnail of a photo on a background is the thumbnail of the whole canvas, although only
// the part the photo reaches is computed.
TEST(Lanczos3ResizeCanvasTest, EqualsResizingTheWholeCanvas) {
  const int side = 160, out = 60;
  const Rect photo{7, 30, 140, 97};
  std::vector<uint8_t> canvas(side * side * 3);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const bool inside = x >= photo.left && x < photo.left + photo.width && y >= photo.top &&
                          y < photo.top + photo.height;
      uint8_t* p = &canvas[(y * side + x) * 3];
      p[0] = inside ? static_cast<uint8_t>((x * 37 + y * 11) % 256) : 250;
      p[1] = inside ? static_cast<uint8_t>((x * y) % 256) : 251;
      p[2] = inside ? static_cast<uint8_t>(255 - x) : 252;
    }
  }
  const std::vector<uint8_t> whole =
      Lanczos3Resize<uint8_t, uint8_t>(canvas.data(), side, side, out, out);
  const std::vector<uint8_t> part = Lanczos3ResizeCanvas(canvas.data(), side, side, out, out,
                                                         photo, {250, 251, 252});
  ASSERT_EQ(whole.size(), part.size());
  for (size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(whole[i], part[i]) << i;
}

TEST(Lanczos3ResizeCanvasTest, ShrinkingKeepsFlatAreasAndRoundsTo8Bits) {
  std::vector<uint8_t> flat(90 * 90 * 3, 77);
  for (uint8_t v : Lanczos3Resize<uint8_t, uint8_t>(flat.data(), 90, 90, 20, 20)) EXPECT_EQ(v, 77);
}

}  // namespace
}  // namespace enhancer::render
