#include "plan/photo_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "plan/test_previews.h"

namespace enhancer {
namespace {

using plan_test::Colour;
using plan_test::ColourfulScene;
using plan_test::MakePreview;
using plan_test::WithOwnHistograms;

// A tungsten-like light, as linear-light gains for InLinearLight().
constexpr Colour kTungsten{1.0, 0.85, 0.65};

TEST(PhotoAnalysisTest, NeutralProductShotHasAClippedWhiteAndNoCast) {
  const PhotoAnalysis a = AnalysePhoto(MakePreview(400, 300, plan_test::ProductScene));
  EXPECT_EQ(a.neutral_source, NeutralSource::kClippedHighlight);
  EXPECT_NEAR(a.illuminant[0], 1.0, 0.01);
  EXPECT_NEAR(a.illuminant[2], 1.0, 0.01);
  EXPECT_NEAR(a.exposure_white, 1.0, 0.01);
  EXPECT_NEAR(a.black, 0.02, 0.01);
}

TEST(PhotoAnalysisTest, TungstenCastIsMeasuredFromTheClippedWhite) {
  const Colour light{1.0, 0.85, 0.65};
  const PhotoAnalysis a =
      AnalysePhoto(MakePreview(400, 300, plan_test::InLinearLight(plan_test::ProductScene, light)));
  EXPECT_EQ(a.neutral_source, NeutralSource::kClippedHighlight);
  // What neutral looks like, relative to green.
  EXPECT_NEAR(a.illuminant[0], 1.0 / 0.85, 0.03);
  EXPECT_NEAR(a.illuminant[2], 0.65 / 0.85, 0.03);
  EXPECT_GT(DescribeIlluminant(a.illuminant).warm, 0.2);
}

TEST(PhotoAnalysisTest, UnderexposureShowsAsALowWhite) {
  const PhotoAnalysis a = AnalysePhoto(
      MakePreview(400, 300, plan_test::InLinearLight(plan_test::ProductScene, {0.5, 0.5, 0.5})));
  EXPECT_NEAR(a.exposure_white, 0.5, 0.02);
}

TEST(PhotoAnalysisTest, RaisedBlackIsFound) {
  const PhotoAnalysis a = AnalysePhoto(MakePreview(400, 300, [](int x, int y) {
    Colour c = plan_test::ProductScene(x, y);
    for (double& v : c) v = 50 / 255.0 + 0.75 * v;
    return c;
  }));
  EXPECT_NEAR(a.black * 255, 53.8, 1.0);  // the dark base: 50 + 0.75 * 0.02 * 255
}

TEST(PhotoAnalysisTest, FrameFilledWithWarmColourHasNoNeutralReference) {
  const PhotoAnalysis a = AnalysePhoto(MakePreview(400, 300, plan_test::WoodScene));
  EXPECT_EQ(a.neutral_source, NeutralSource::kNone);
  EXPECT_EQ(a.illuminant, (std::array<double, 3>{1, 1, 1}));
}

TEST(PhotoAnalysisTest, GreyCardUnderWarmLightIsFoundAmongNeutralPixels) {
  // No clipping anywhere: a mid-grey card and a light-grey wall, under a warm light, next to
  // saturated colour.
  const Colour light{1.0, 0.85, 0.65};
  auto scene = [](int x, int y) -> Colour {
    if (x < 200) return {0.7 + 0.0005 * y, 0.7 + 0.0005 * y, 0.7 + 0.0005 * y};
    if (y < 150) return {0.45, 0.45, 0.45};
    if (y > 280) return {0.02, 0.02, 0.02};
    return {0.2 + 0.001 * x, 0.75, 0.3};
  };
  const PhotoAnalysis a =
      AnalysePhoto(MakePreview(400, 300, plan_test::InLinearLight(scene, light)));
  EXPECT_EQ(a.neutral_source, NeutralSource::kNeutralPixels);
  EXPECT_NEAR(a.illuminant[0], 1.0 / 0.85, 0.03);
  EXPECT_NEAR(a.illuminant[2], 0.65 / 0.85, 0.03);
}

TEST(PhotoAnalysisTest, NoiseIsMeasuredInFlatAreas) {
  std::mt19937 random(42);
  std::normal_distribution<double> noise(0.0, 5.0 / 255.0);
  const PhotoAnalysis noisy = AnalysePhoto(MakePreview(300, 200, [&](int, int) -> Colour {
    const double n = noise(random);
    return {0.5 + n, 0.5 + n, 0.5 + n};
  }));
  EXPECT_GT(noisy.noise, 2.5);
  EXPECT_LT(noisy.noise, 6.0);
  const PhotoAnalysis clean = AnalysePhoto(MakePreview(300, 200, [](int, int) -> Colour {
    return {0.5, 0.5, 0.5};
  }));
  EXPECT_LT(clean.noise, 0.5);
}

TEST(PhotoAnalysisTest, BlurredEdgesAreWiderThanSharpOnes) {
  // One vertical step edge, blurred by a Gaussian of `sigma` pixels.
  auto edge = [](double sigma) {
    return [sigma](int x, int) -> Colour {
      const double t = 0.5 + 0.5 * std::erf((x - 199.5) / (sigma * std::sqrt(2.0)));
      return {0.2 + 0.6 * t, 0.2 + 0.6 * t, 0.2 + 0.6 * t};
    };
  };
  const PhotoAnalysis sharp = AnalysePhoto(MakePreview(400, 100, edge(0.3)));
  const PhotoAnalysis soft = AnalysePhoto(MakePreview(400, 100, edge(3.0)));
  EXPECT_LT(sharp.edge_width, 1.0);
  EXPECT_NEAR(soft.edge_width, 3.0 * std::sqrt(2.0), 0.8);
}

TEST(PhotoAnalysisTest, PlainWhiteBorderIsRecognised) {
  const PhotoAnalysis a = AnalysePhoto(MakePreview(400, 300, plan_test::ProductScene));
  EXPECT_GT(a.plain_border, 0.95);
  EXPECT_EQ(a.border_colour, (std::array<double, 3>{1, 1, 1}));
  const PhotoAnalysis wood = AnalysePhoto(MakePreview(400, 300, plan_test::WoodScene));
  EXPECT_LT(wood.plain_border, 0.6);
}

TEST(PhotoAnalysisTest, IsDeterministic) {
  const Preview p =
      MakePreview(400, 300, plan_test::InLinearLight(plan_test::ProductScene, {0.9, 0.8, 0.7}));
  const PhotoAnalysis a = AnalysePhoto(p), b = AnalysePhoto(p);
  EXPECT_EQ(a.black, b.black);
  EXPECT_EQ(a.illuminant, b.illuminant);
  EXPECT_EQ(a.exposure_white, b.exposure_white);
  EXPECT_EQ(a.edge_width, b.edge_width);
  EXPECT_EQ(a.noise, b.noise);
  EXPECT_EQ(a.histogram, b.histogram);
}

TEST(PhotoAnalysisTest, TinyPreviewsWork) {
  const PhotoAnalysis a = AnalysePhoto(MakePreview(1, 1, [](int, int) -> Colour {
    return {0.2, 0.4, 0.5};
  }));
  EXPECT_EQ(a.width, 1);
  EXPECT_NEAR(a.black, 0.2, 0.01);
}

TEST(PhotoAnalysisTest, ChannelTopsAreThePhotosOwnBrightestPixels) {
  // The glint sets the top of every channel at full resolution; the preview's median-filtered
  // level does not see it and is all there is without the histograms.
  const Preview preview = MakePreview(400, 300, ColourfulScene);
  const PhotoAnalysis full = AnalysePhoto(WithOwnHistograms(preview));
  const PhotoAnalysis coarse = AnalysePhoto(preview);
  for (int c = 0; c < 3; ++c) {
    EXPECT_DOUBLE_EQ(full.channel_top[c], 1.0) << c;
    EXPECT_LT(coarse.channel_top[c], 0.95) << c;
    EXPECT_EQ(coarse.channel_top[c], coarse.channel_high[c]) << c;
  }
}

TEST(PhotoAnalysisTest, BlackLevelIsMeasuredAtFullResolution) {
  // A washed-out photo whose only true black is a few dozen specks: the preview does not show
  // them, the photo's own histograms do.
  const Preview preview = MakePreview(400, 300, [](int x, int) -> Colour {
    const double v = 60 / 255.0 + 0.6 * (0.05 + 0.9 * x / 400.0);
    return {v, v, v};
  });
  EXPECT_GT(AnalysePhoto(preview).black * 255, 67.0);
  Preview full = WithOwnHistograms(preview);
  for (auto& channel : full.histograms) channel[(60 * 257) >> 6] += 30;
  EXPECT_NEAR(AnalysePhoto(full).black * 255, 60.0, 0.2);
}

TEST(PhotoAnalysisTest, TintedClippedHighlightKeepsItsTintWhenAChannelGoesHigherElsewhere) {
  // A clipped highlight with red clipped lower than green and blue (a cyan glint), and a small
  // red label elsewhere that reaches red's full level: red did not clip in the highlight, so the
  // highlight is not evidence of a red cast.
  auto scene = [](int x, int y) -> Colour {
    if (x >= 20 && x < 23 && y >= 20 && y < 23) return {1.0, 0.3, 0.2};
    Colour c = plan_test::ProductScene(x, y);
    if (c == Colour{1.0, 1.0, 1.0}) c[0] = 249 / 255.0;
    return c;
  };
  const Preview preview = MakePreview(400, 300, scene);
  const PhotoAnalysis full = AnalysePhoto(WithOwnHistograms(preview));
  EXPECT_EQ(full.neutral_source, NeutralSource::kClippedHighlight);
  EXPECT_NEAR(full.illuminant[0], 1.0, 0.005);
  EXPECT_NEAR(full.illuminant[2], 1.0, 0.005);
  // Seen on the preview alone, the cyan highlight is taken as the light (its tint halved).
  const PhotoAnalysis coarse = AnalysePhoto(preview);
  EXPECT_EQ(coarse.neutral_source, NeutralSource::kClippedHighlight);
  EXPECT_LT(coarse.illuminant[0], 0.99);
}

TEST(PhotoAnalysisTest, ChannelTopsEstimatePartOfACastWhenNothingIsNeutral) {
  const PhotoAnalysis neutral =
      AnalysePhoto(WithOwnHistograms(MakePreview(400, 300, ColourfulScene)));
  EXPECT_EQ(neutral.neutral_source, NeutralSource::kChannelWhites);
  EXPECT_NEAR(neutral.illuminant[0], 1.0, 0.01);
  EXPECT_NEAR(neutral.illuminant[2], 1.0, 0.01);

  const PhotoAnalysis warm = AnalysePhoto(WithOwnHistograms(
      MakePreview(400, 300, plan_test::InLinearLight(ColourfulScene, kTungsten))));
  EXPECT_EQ(warm.neutral_source, NeutralSource::kChannelWhites);
  // Part of the cast, along the daylight/tungsten locus (this light lies on it): warmer, not
  // as warm as the light.
  const double cast = DescribeIlluminant({1 / 0.85, 1.0, 0.65 / 0.85}).warm;
  const CastDirection found = DescribeIlluminant(warm.illuminant);
  EXPECT_GT(found.warm, 0.4 * cast);
  EXPECT_LT(found.warm, 0.8 * cast);
  EXPECT_NEAR(found.magenta, 0.0, 0.01);
}

TEST(PhotoAnalysisTest, ChannelTopsNeedTheFullResolution) {
  // On the preview alone the brightest pixels are the brightest surfaces, with their colour.
  const PhotoAnalysis a =
      AnalysePhoto(MakePreview(400, 300, plan_test::InLinearLight(ColourfulScene, kTungsten)));
  EXPECT_EQ(a.neutral_source, NeutralSource::kNone);
  EXPECT_EQ(a.illuminant, (std::array<double, 3>{1, 1, 1}));
}

TEST(PhotoAnalysisTest, FrameFilledWithWarmColourStaysAsShotAtFullResolution) {
  // Its channel tops are the wood's own colour, far off any light source's: not a cast.
  const PhotoAnalysis a =
      AnalysePhoto(WithOwnHistograms(MakePreview(400, 300, plan_test::WoodScene)));
  EXPECT_EQ(a.neutral_source, NeutralSource::kNone);
  EXPECT_EQ(a.illuminant, (std::array<double, 3>{1, 1, 1}));
}

TEST(PhotoAnalysisTest, HighKeyPhotoKeepsItsTones) {
  // A white product on white: the darkest tone is a light grey, not a lifted black.
  const PhotoAnalysis a = AnalysePhoto(MakePreview(400, 300, [](int x, int y) -> Colour {
    if (x > 150 && x < 250 && y > 100 && y < 200) return {0.55 + 0.001 * x, 0.6, 0.6};
    return {1, 1, 1};
  }));
  EXPECT_EQ(a.black, 0.0);
}

}  // namespace
}  // namespace enhancer
