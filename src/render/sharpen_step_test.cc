#include <gtest/gtest.h>

#include "render/pipeline.h"
#include "render/step_test_support.h"

namespace enhancer::render {
namespace {

vips::VImage Edge() {
  return MakeBase(40, 8, [](int x, int) {
    const int v = x < 20 ? 80 : 160;
    return std::array<int, 3>{v, v, v};
  });
}

vips::VImage Sharpened(double amount) {
  Recipe r;
  r.sharpen = amount;
  RenderOptions options;
  RenderContext context(Edge(), r, options);
  EXPECT_TRUE(ToneStep(context).ok());
  EXPECT_TRUE(SharpenStep(context).ok());
  return context.image;
}

TEST(SharpenStepTest, NoAmountLeavesTheImageAlone) {
  const std::vector<double> out = Pixels(Sharpened(0.0));
  EXPECT_EQ(out[19 * 3], 80);
  EXPECT_EQ(out[20 * 3], 160);
}

TEST(SharpenStepTest, UnsharpMaskOvershootsAtEdgesOnlyAndRoundsTo8Bit) {
  vips::VImage image = Sharpened(1.0);
  EXPECT_EQ(image.format(), VIPS_FORMAT_UCHAR);
  const std::vector<double> out = Pixels(image);
  const size_t row = 4 * 40 * 3;
  EXPECT_LT(out[row + 19 * 3], 80);   // darker just before the edge
  EXPECT_GT(out[row + 20 * 3], 160);  // brighter just after it
  EXPECT_EQ(out[row + 2 * 3], 80);    // flat areas are untouched
  EXPECT_EQ(out[row + 37 * 3], 160);
}

}  // namespace
}  // namespace enhancer::render
