#include "plan/correction.h"

#include <gtest/gtest.h>

#include <cmath>

#include "plan/srgb.h"
#include "plan/tone_curve.h"

namespace enhancer {
namespace {

ChannelHistograms Flat() {
  ChannelHistograms h;
  for (auto& channel : h) channel.fill(100);
  return h;
}

// The largest difference, in 8-bit levels, between the recipe and `expected` over all levels.
template <typename F>
double MaxError(const Recipe& recipe, F expected) {
  double worst = 0;
  for (int c = 0; c < 3; ++c) {
    for (int v = 0; v < 256; ++v) {
      worst = std::max(worst,
                       255.0 * std::abs(ToneCurve(recipe, c, v / 255.0) - expected(c, v / 255.0)));
    }
  }
  return worst;
}

bool WithinBounds(const Recipe& r) {
  const Recipe c = Clamp(r);
  return c.black_point == r.black_point && c.white_point == r.white_point &&
         c.white_balance == r.white_balance && c.gamma == r.gamma;
}

TEST(FitRecipeTest, NoCorrectionIsTheIdentity) {
  const Recipe r = FitRecipe(Correction{}, Flat(), Recipe{});
  EXPECT_DOUBLE_EQ(r.black_point, 0.0);
  EXPECT_DOUBLE_EQ(r.white_point, 1.0);
  EXPECT_EQ(r.white_balance, (std::array<double, 3>{1, 1, 1}));
  EXPECT_NEAR(r.gamma, 1.0, 0.003);
}

TEST(FitRecipeTest, OneStopOfLinearExposureBeatsAStraightStretch) {
  Correction c;
  c.gains = {2, 2, 2};
  const Recipe r = FitRecipe(c, Flat(), Recipe{});
  EXPECT_NEAR(r.white_point, LinearToSrgb(0.5), 1e-9);
  EXPECT_GT(r.gamma, 1.0) << "the sRGB toe needs more lift than a straight stretch";
  auto one_stop = [](int, double x) { return LinearToSrgb(2 * SrgbToLinear(x)); };
  Recipe stretch = r;
  stretch.gamma = 1.0;
  const double fitted_error = MaxError(r, one_stop), stretch_error = MaxError(stretch, one_stop);
  EXPECT_LT(fitted_error, stretch_error);
  EXPECT_LT(fitted_error, 3.5);
  EXPECT_NEAR(MidtoneStops(r), 1.0, 0.1);
  EXPECT_TRUE(WithinBounds(r));
}

TEST(FitRecipeTest, EncodedLevelsAreExact) {
  Correction c;
  c.black = 0.2;
  c.linear_light = false;
  c.gains = {1 / SrgbToLinear(0.8), 1 / SrgbToLinear(0.8), 1 / SrgbToLinear(0.8)};
  const Recipe r = FitRecipe(c, Flat(), Recipe{});
  EXPECT_DOUBLE_EQ(r.black_point, 0.2);
  EXPECT_DOUBLE_EQ(r.gamma, 1.0);
  // (x - 0.2) / 0.8 stretched so that 0.2 + 0.8 * 0.8 = 0.84 becomes white.
  EXPECT_LT(MaxError(r, [](int, double x) { return std::clamp((x - 0.2) / 0.64, 0.0, 1.0); }),
            1e-6);
}

TEST(FitRecipeTest, CastGainsBecomePerChannelWhiteLevels) {
  Correction c;
  c.gains = {1.0, 1 / 0.85, 1 / 0.65};  // undo a tungsten-like cast
  const Recipe r = FitRecipe(c, Flat(), Recipe{});
  EXPECT_DOUBLE_EQ(r.white_point, 1.0);
  EXPECT_DOUBLE_EQ(r.white_balance[0], 1.0);
  EXPECT_NEAR(r.white_balance[1], 1 / LinearToSrgb(0.85), 1e-9);
  EXPECT_NEAR(r.white_balance[2], 1 / LinearToSrgb(0.65), 1e-9);
  EXPECT_LT(
      MaxError(r, [&](int ch, double x) { return LinearToSrgb(SrgbToLinear(x) * c.gains[ch]); }),
      3.0);
}

TEST(FitRecipeTest, ExtremeCorrectionsStayWithinBounds) {
  for (double gain : {0.01, 0.3, 40.0}) {
    for (double black : {0.0, 0.39, 0.9}) {
      Correction c;
      c.black = black;
      c.gains = {gain, 1.0, 1 / gain};
      c.linear_light = black == 0.0;
      const Recipe r = FitRecipe(c, Flat(), Recipe{});
      EXPECT_TRUE(WithinBounds(r)) << gain << " " << black << ": " << ToJson(r);
    }
  }
}

TEST(FitRecipeTest, KeepsTheOtherFieldsAndMultipliesGamma) {
  Recipe base;
  base.name = "look";
  base.contrast = 1.2;
  base.saturation = 1.3;
  base.sharpen = 0.5;
  base.gamma = 1.1;
  const Recipe r = FitRecipe(Correction{}, Flat(), base);
  EXPECT_EQ(r.name, "look");
  EXPECT_EQ(r.contrast, 1.2);
  EXPECT_EQ(r.saturation, 1.3);
  EXPECT_EQ(r.sharpen, 0.5);
  EXPECT_NEAR(r.gamma, 1.1, 0.004);
}

TEST(CorrectionTest, ScaledGoesFromNothingToAll) {
  Correction c;
  c.black = 0.2;
  c.gains = {4.0, 1.0, 0.25};
  const Correction none = Scaled(c, 0.0), half = Scaled(c, 0.5), all = Scaled(c, 1.0);
  EXPECT_EQ(none.black, 0.0);
  EXPECT_EQ(none.gains, (std::array<double, 3>{1, 1, 1}));
  EXPECT_DOUBLE_EQ(half.black, 0.1);
  EXPECT_DOUBLE_EQ(half.gains[0], 2.0);
  EXPECT_DOUBLE_EQ(half.gains[2], 0.5);
  EXPECT_EQ(all.gains, c.gains);
}

TEST(CorrectionTest, ExposureAndWarmth) {
  const Correction brighter = WithExposure(Correction{}, 1.0);
  EXPECT_EQ(brighter.gains, (std::array<double, 3>{2, 2, 2}));
  const Correction warmer = WithWarmth(Correction{}, 0.2);
  EXPECT_GT(warmer.gains[0], 1.0);
  EXPECT_EQ(warmer.gains[1], 1.0);
  EXPECT_LT(warmer.gains[2], 1.0);
  EXPECT_NEAR(std::log(warmer.gains[0] / warmer.gains[2]), 0.2, 1e-12);
}

TEST(MidtoneStopsTest, IdentityIsZero) { EXPECT_NEAR(MidtoneStops(Recipe{}), 0.0, 1e-12); }

}  // namespace
}  // namespace enhancer
