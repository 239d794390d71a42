// CanvasStep: the canvas in the background colour, and the recipe's pass (recipe_pass.h)
// writing the photo centred onto it. The canvas is plain memory that libvips then reads in
// place for both encodes: it is computed once, whatever reads it.
#include <algorithm>

#include "render/pipeline.h"
#include "render/recipe_pass.h"

namespace enhancer::render {

Status CanvasStep(RenderContext& context) {
  const int side = context.options.canvas;
  const vips::VImage& base = context.base;
  std::vector<uint8_t>& pixels = context.canvas_pixels;
  pixels.resize(static_cast<size_t>(side) * side * 3);
  const int left = (side - base.width()) / 2, top = (side - base.height()) / 2;
  // Only the padding: the photo's pixels are written once, by the pass.
  const auto& bg = context.options.background;
  auto fill = [&](int x0, int y0, int width, int height) {
    for (int y = y0; y < y0 + height; ++y) {
      uint8_t* row = pixels.data() + (static_cast<size_t>(y) * side + x0) * 3;
      if (bg[0] == bg[1] && bg[1] == bg[2]) {
        std::fill(row, row + static_cast<size_t>(width) * 3, bg[0]);
      } else {
        for (int x = 0; x < width; ++x) std::copy(bg.begin(), bg.end(), row + 3 * x);
      }
    }
  };
  fill(0, 0, side, top);
  fill(0, top + base.height(), side, side - top - base.height());
  fill(0, top, left, base.height());
  fill(left + base.width(), top, side - left - base.width(), base.height());
  const Rgb16View photo{static_cast<const uint16_t*>(base.data()), base.width(), base.height()};
  ApplyRecipe(photo, context.recipe, {pixels.data(), side, side}, left, top);
  context.canvas = vips::VImage::new_from_memory(pixels.data(), pixels.size(), side, side, 3,
                                                 VIPS_FORMAT_UCHAR)
                       .copy(vips::VImage::option()->set("interpretation",
                                                        VIPS_INTERPRETATION_sRGB));
  return OkStatus();
}

}  // namespace enhancer::render
