#include "render/lanczos.h"

#include <gtest/gtest.h>

#include <cmath>

namespace enhancer::render {
namespace {

TEST(Lanczos3ResizeTest, FlatStaysFlatAndIsScaledTo16Bits) {
  std::vector<uint8_t> flat(5 * 4 * 3, 200);
  const std::vector<uint16_t> out = Lanczos3Resize(flat.data(), 5, 4, 13, 11);
  ASSERT_EQ(out.size(), 13u * 11 * 3);
  for (uint16_t v : out) EXPECT_EQ(v, 200 * 257);
}

TEST(Lanczos3ResizeTest, SixteenBitInputKeepsItsScale) {
  std::vector<uint16_t> flat(3 * 3 * 3, 1000);
  for (uint16_t v : Lanczos3Resize(flat.data(), 3, 3, 7, 7)) EXPECT_EQ(v, 1000);
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
  const std::vector<uint16_t> out = Lanczos3Resize(ramp.data(), 26, 2, 52, 4);
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
  const std::vector<uint16_t> out = Lanczos3Resize(pixels.data(), 4, 3, 4, 3);
  for (size_t i = 0; i < pixels.size(); ++i) EXPECT_EQ(out[i], pixels[i] * 257) << i;
}

}  // namespace
}  // namespace enhancer::render
