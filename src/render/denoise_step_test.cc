#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "render/pipeline.h"
#include "render/step_test_support.h"

namespace enhancer::render {
namespace {

// Grain on two flat halves with a strong edge between them.
vips::VImage NoisyEdge() {
  std::mt19937 random(7);
  std::normal_distribution<double> noise(0.0, 4.0);
  return MakeBase(64, 64, [&](int x, int) {
    const int v = static_cast<int>(std::lround((x < 32 ? 60 : 190) + noise(random)));
    return std::array<int, 3>{v, v, v};
  });
}

std::vector<double> Denoised(double strength) {
  Recipe r;
  r.denoise = strength;
  RenderOptions options;
  RenderContext context(NoisyEdge(), r, options);
  EXPECT_TRUE(ToneStep(context).ok());
  EXPECT_TRUE(DenoiseStep(context).ok());
  EXPECT_TRUE(SharpenStep(context).ok());  // rounds back to 8 bits
  return Pixels(context.image);
}

double FlatStddev(const std::vector<double>& p) {
  double sum = 0, sum2 = 0;
  int n = 0;
  for (int y = 4; y < 60; ++y) {
    for (int x = 4; x < 26; ++x) {
      const double v = p[(y * 64 + x) * 3];
      sum += v;
      sum2 += v * v;
      ++n;
    }
  }
  return std::sqrt(sum2 / n - (sum / n) * (sum / n));
}

TEST(DenoiseStepTest, SmoothsGrainAndKeepsTheEdge) {
  const std::vector<double> before = Denoised(0.0), after = Denoised(0.8);
  EXPECT_LT(FlatStddev(after), 0.6 * FlatStddev(before));
  // The edge stays a step: the columns next to it keep their sides' levels.
  double left = 0, right = 0;
  for (int y = 0; y < 64; ++y) {
    left += after[(y * 64 + 30) * 3];
    right += after[(y * 64 + 33) * 3];
  }
  EXPECT_NEAR(left / 64, 60, 6);
  EXPECT_NEAR(right / 64, 190, 6);
}

TEST(DenoiseStepTest, ZeroStrengthIsANoOp) {
  Recipe r;
  RenderOptions options;
  RenderContext context(NoisyEdge(), r, options);
  vips::VImage before = context.image;
  EXPECT_TRUE(DenoiseStep(context).ok());
  EXPECT_EQ(context.image.get_image(), before.get_image());
}

}  // namespace
}  // namespace enhancer::render
