#include <gtest/gtest.h>

#include "render/pipeline.h"
#include "render/step_test_support.h"

namespace enhancer::render {
namespace {

TEST(PadStepTest, CentresOnTheBackground) {
  RenderOptions options;
  options.canvas = 10;
  options.background = {10, 20, 30};
  Recipe r;
  RenderContext context(MakeBase(4, 2,
                                 [](int, int) {
                                   return std::array<int, 3>{200, 200, 200};
                                 }),
                        r, options);
  ASSERT_TRUE(ToneStep(context).ok());
  ASSERT_TRUE(PadStep(context).ok());
  ASSERT_EQ(context.image.width(), 10);
  ASSERT_EQ(context.image.height(), 10);
  const std::vector<double> p = Pixels(context.image);
  auto at = [&](int x, int y, int c) { return p[(y * 10 + x) * 3 + c]; };
  // (10 - 4) / 2 = 3 columns left, (10 - 2) / 2 = 4 rows above.
  EXPECT_EQ(at(3, 4, 0), 200);
  EXPECT_EQ(at(6, 5, 0), 200);
  EXPECT_EQ(at(2, 4, 0), 10);
  EXPECT_EQ(at(7, 4, 1), 20);
  EXPECT_EQ(at(3, 3, 2), 30);
  EXPECT_EQ(at(3, 6, 2), 30);
}

}  // namespace
}  // namespace enhancer::render
