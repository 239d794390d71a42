#include "plan/tone_curve.h"

#include <gtest/gtest.h>

#include <cmath>

namespace enhancer {
namespace {

TEST(ToneCurveTest, IdentityRecipeChangesNothing) {
  const Recipe identity;
  for (int c = 0; c < 3; ++c) {
    for (double x : {0.0, 0.1, 0.5, 0.73, 1.0}) EXPECT_DOUBLE_EQ(ToneCurve(identity, c, x), x);
  }
  const ToneTable table = MakeToneTable(identity);
  for (int c = 0; c < 3; ++c) {
    for (int v = 0; v < 256; ++v) EXPECT_EQ(table[c][v], v);
  }
}

TEST(ToneCurveTest, LevelsMapBlackAndWhitePointsAndClip) {
  Recipe r;
  r.black_point = 0.2;
  r.white_point = 0.8;
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.1), 0.0);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.2), 0.0);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.8), 1.0);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.95), 1.0);
}

TEST(ToneCurveTest, GainsArePerChannelAndClipAtWhite) {
  Recipe r;
  r.white_balance = {1.0, 1.5, 0.5};
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.4), 0.4);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 1, 0.4), 0.6);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 2, 0.4), 0.2);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 1, 0.9), 1.0);
}

TEST(ToneCurveTest, GammaAboveOneBrightensMidtonesOnly) {
  Recipe r;
  r.gamma = 2.0;
  EXPECT_NEAR(ToneCurve(r, 0, 0.25), 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 1.0), 1.0);
}

TEST(ToneCurveTest, ContrastPivotsOnMidGrey) {
  Recipe r;
  r.contrast = 1.5;
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.6), 0.65);
  EXPECT_DOUBLE_EQ(ToneCurve(r, 0, 0.1), 0.0);
}

TEST(ToneCurveTest, TableRoundsToNearest) {
  Recipe r;
  r.white_point = 0.8;  // v -> v / 0.8
  const ToneTable table = MakeToneTable(r);
  EXPECT_EQ(table[0][100], 125);
  EXPECT_EQ(table[0][101], 126);  // 126.25
  EXPECT_EQ(table[0][103], 129);  // 128.75
  EXPECT_EQ(table[0][204], 255);
}

TEST(SaturationMatrixTest, OneIsIdentityAndZeroIsLuma) {
  const std::array<double, 9> one = SaturationMatrix(1.0);
  for (int i = 0; i < 9; ++i) EXPECT_DOUBLE_EQ(one[i], i % 4 == 0 ? 1.0 : 0.0);
  const std::array<double, 9> grey = SaturationMatrix(0.0);
  for (int row = 0; row < 3; ++row) {
    EXPECT_DOUBLE_EQ(grey[row * 3 + 0], 0.299);
    EXPECT_DOUBLE_EQ(grey[row * 3 + 1], 0.587);
    EXPECT_DOUBLE_EQ(grey[row * 3 + 2], 0.114);
  }
}

TEST(SaturationMatrixTest, KeepsRec601Luma) {
  const double w[3] = {0.299, 0.587, 0.114};
  for (double s : {0.0, 0.5, 1.3, 2.0}) {
    const std::array<double, 9> m = SaturationMatrix(s);
    const double rgb[3] = {0.9, 0.3, 0.1};
    double luma_in = 0, luma_out = 0;
    for (int row = 0; row < 3; ++row) {
      double out = 0;
      for (int col = 0; col < 3; ++col) out += m[row * 3 + col] * rgb[col];
      luma_out += w[row] * out;
      luma_in += w[row] * rgb[row];
    }
    EXPECT_NEAR(luma_out, luma_in, 1e-12) << s;
  }
}

}  // namespace
}  // namespace enhancer
