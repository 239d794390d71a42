#include <gtest/gtest.h>

#include "render/pipeline.h"

namespace enhancer::render {
namespace {

TEST(FitToCanvasTest, LongerSideBecomesTheCanvas) {
  struct Case {
    int w, h, canvas, fw, fh;
  };
  for (const Case& c : {Case{1200, 900, 1600, 1600, 1200}, Case{4000, 3000, 1600, 1600, 1200},
                        Case{900, 1200, 1600, 1200, 1600}, Case{600, 400, 1600, 1600, 1067},
                        Case{1600, 1600, 1600, 1600, 1600}, Case{10000, 10, 1600, 1600, 2},
                        Case{10000, 1, 1600, 1600, 1}, Case{451, 300, 800, 800, 532}}) {
    const FittedSize fit = FitToCanvas(c.w, c.h, c.canvas);
    EXPECT_EQ(fit.width, c.fw) << c.w << "x" << c.h;
    EXPECT_EQ(fit.height, c.fh) << c.w << "x" << c.h;
  }
}

TEST(SwapsSidesTest, OnlyTheQuarterTurns) {
  for (int o = 1; o <= 8; ++o) EXPECT_EQ(SwapsSides(o), o >= 5) << o;
}

}  // namespace
}  // namespace enhancer::render
