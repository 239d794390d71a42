#include "plan/auto_adjust.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

// Statistics of a photo given as a list of (r, g, b, pixel count).
PhotoStatistics Stats(std::initializer_list<std::array<int, 4>> pixels) {
  PhotoStatistics s;
  for (const auto& [r, g, b, n] : pixels) {
    s.luma[Luma8(r, g, b)] += n;
    s.channels[0][r] += n;
    s.channels[1][g] += n;
    s.channels[2][b] += n;
  }
  return s;
}

TEST(AutoAdjustTest, LumaIsRec601Rounded) {
  EXPECT_EQ(Luma8(255, 255, 255), 255);
  EXPECT_EQ(Luma8(0, 0, 0), 0);
  EXPECT_EQ(Luma8(200, 100, 50), 124);  // 59.8 + 58.7 + 5.7 = 124.2
  EXPECT_EQ(Luma8(1, 1, 0), 1);         // 0.886 rounds up
}

TEST(AutoAdjustTest, RecipesWithoutAutoAreOnlyClamped) {
  Recipe r;
  r.gamma = 9;
  const Recipe out = ResolveAutoAdjustments(r, Stats({{10, 20, 30, 5}}));
  EXPECT_EQ(out.gamma, RecipeBounds::kGammaMax);
  EXPECT_EQ(out.black_point, 0.0);
  EXPECT_EQ(out.white_balance[0], 1.0);
}

TEST(AutoAdjustTest, LevelsClipTheGivenFractionAtEachEnd) {
  // 1% of pixels at 0 (to be clipped), 1% at 255, the rest spread from 40 to 200.
  PhotoStatistics s;
  s.luma[0] = 10;
  s.luma[255] = 10;
  for (int v = 40; v <= 200; ++v) s.luma[v] = 6;  // 966 pixels
  Recipe r;
  r.auto_levels = 0.005;
  const Recipe out = ResolveAutoAdjustments(r, s);
  // 0.5% of 986 = 4.93: the 10 pixels at 0 already reach it, so 0 is the black level; the
  // white level is the first at or above 99.5%, i.e. 981.07 pixels: 255.
  EXPECT_EQ(out.black_point, 0.0);
  EXPECT_EQ(out.white_point, 1.0);
  r.auto_levels = 0.02;  // 19.72 pixels: past the 10 at 0, two bins into the spread
  const Recipe wider = ResolveAutoAdjustments(r, s);
  EXPECT_DOUBLE_EQ(wider.black_point, 41 / 255.0);
  EXPECT_DOUBLE_EQ(wider.white_point, 199 / 255.0);
  EXPECT_EQ(wider.auto_levels, 0.0);  // resolved: the recipe now says what was measured
}

TEST(AutoAdjustTest, NarrowRangeIsNotStretched) {
  Recipe r;
  r.auto_levels = 0.005;
  const Recipe out = ResolveAutoAdjustments(r, Stats({{120, 120, 120, 50}, {130, 130, 130, 50}}));
  EXPECT_EQ(out.black_point, 0.0);
  EXPECT_EQ(out.white_point, 1.0);
}

TEST(AutoAdjustTest, GreyWorldEqualisesTheChannelMeans) {
  Recipe r;
  r.grey_world = true;
  // A warm cast: red mean 150, green 120, blue 90; grey mean 120.
  const Recipe out = ResolveAutoAdjustments(r, Stats({{150, 120, 90, 100}}));
  EXPECT_NEAR(out.white_balance[0], 120.0 / 150, 1e-9);
  EXPECT_NEAR(out.white_balance[1], 1.0, 1e-9);
  EXPECT_NEAR(out.white_balance[2], 120.0 / 90, 1e-9);
  EXPECT_FALSE(out.grey_world);
}

TEST(AutoAdjustTest, GreyWorldGainsAreTakenAfterTheStretchAndClamped) {
  Recipe r;
  r.grey_world = true;
  r.black_point = 50 / 255.0;
  r.white_point = 1.0;
  // Stretched, blue (at 60) becomes (60-50)*255/205 = 12.4 while red and green stay high: its
  // gain would be far above 2, so it is clamped.
  const Recipe out = ResolveAutoAdjustments(r, Stats({{200, 200, 60, 10}}));
  EXPECT_EQ(out.white_balance[2], RecipeBounds::kGainMax);
  const double red = (200 - 50) * 255.0 / 205, blue = (60 - 50) * 255.0 / 205;
  EXPECT_NEAR(out.white_balance[0], (2 * red + blue) / 3 / red, 1e-9);
}

TEST(AutoAdjustTest, AnEmptyChannelGetsNoGain) {
  Recipe r;
  r.grey_world = true;
  const Recipe out = ResolveAutoAdjustments(r, Stats({{0, 100, 200, 10}}));
  EXPECT_EQ(out.white_balance[0], 1.0);
}

TEST(AutoAdjustTest, NoPixelsLeaveTheRecipeAlone) {
  Recipe r;
  r.auto_levels = 0.01;
  r.grey_world = true;
  const Recipe out = ResolveAutoAdjustments(r, PhotoStatistics{});
  EXPECT_EQ(out.black_point, 0.0);
  EXPECT_EQ(out.white_balance[2], 1.0);
  EXPECT_FALSE(out.grey_world);
}

}  // namespace
}  // namespace enhancer
