#include <gtest/gtest.h>

#include <cmath>

#include "plan/tone_curve.h"
#include "render/pipeline.h"
#include "render/step_test_support.h"

namespace enhancer::render {
namespace {

std::vector<double> Tone(const Recipe& recipe, const vips::VImage& base) {
  RenderOptions options;
  RenderContext context(base, recipe, options);
  EXPECT_TRUE(ToneStep(context).ok());
  return Pixels(context.image);
}

vips::VImage Ramp() {
  return MakeBase(256, 1, [](int x, int) { return std::array<int, 3>{x, x, 255 - x}; });
}

TEST(ToneStepTest, IdentityGoesTo8BitUnchanged) {
  const std::vector<double> out = Tone(Recipe{}, Ramp());
  for (int x = 0; x < 256; ++x) {
    EXPECT_EQ(out[x * 3], x);
    EXPECT_EQ(out[x * 3 + 2], 255 - x);
  }
}

TEST(ToneStepTest, MatchesTheToneCurve) {
  Recipe r;
  r.black_point = 0.1;
  r.white_point = 0.85;
  r.white_balance = {1.0, 1.1, 1.3};
  r.gamma = 1.2;
  r.contrast = 1.1;
  const std::vector<double> out = Tone(r, Ramp());
  for (int x = 0; x < 256; ++x) {
    EXPECT_NEAR(out[x * 3], 255 * ToneCurve(r, 0, x / 255.0), 0.51) << x;
    EXPECT_NEAR(out[x * 3 + 1], 255 * ToneCurve(r, 1, x / 255.0), 0.51) << x;
    EXPECT_NEAR(out[x * 3 + 2], 255 * ToneCurve(r, 2, (255 - x) / 255.0), 0.51) << x;
  }
}

TEST(ToneStepTest, KeepsInBetweenValuesOfThe16BitBase) {
  // Two 16-bit values that round to the same 8-bit level come out different after a stretch.
  EXPECT_TRUE(InitVips().ok());
  uint16_t data[6] = {100 * 257,       100 * 257,       100 * 257,
                      100 * 257 + 128, 100 * 257 + 128, 100 * 257 + 128};
  vips::VImage base =
      vips::VImage(vips_image_new_from_memory_copy(data, sizeof data, 2, 1, 3, VIPS_FORMAT_USHORT));
  Recipe r;
  r.black_point = 0.3;
  r.white_point = 0.5;  // a 5x stretch: half a level becomes 2.5 levels
  const std::vector<double> out = Tone(r, base);
  EXPECT_GE(out[3] - out[0], 2.0);
}

TEST(ToneStepTest, ZeroSaturationKeepsLumaAndRemovesColour) {
  vips::VImage base = MakeBase(1, 1, [](int, int) { return std::array<int, 3>{200, 100, 50}; });
  Recipe r;
  r.saturation = 0.0;
  const std::vector<double> out = Tone(r, base);
  const double luma = 0.299 * 200 + 0.587 * 100 + 0.114 * 50;
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(out[c], luma, 1e-4);
}

}  // namespace
}  // namespace enhancer::render
