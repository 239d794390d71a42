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
  const auto& bg = context.options.background;
  if (bg[0] == bg[1] && bg[1] == bg[2]) {
    std::fill(pixels.begin(), pixels.end(), bg[0]);
  } else {
    for (size_t i = 0; i < pixels.size(); i += 3) std::copy(bg.begin(), bg.end(), &pixels[i]);
  }
  const Rgb16View photo{static_cast<const uint16_t*>(base.data()), base.width(), base.height()};
  ApplyRecipe(photo, context.recipe, {pixels.data(), side, side}, (side - base.width()) / 2,
              (side - base.height()) / 2);
  context.canvas = vips::VImage::new_from_memory(pixels.data(), pixels.size(), side, side, 3,
                                                 VIPS_FORMAT_UCHAR)
                       .copy(vips::VImage::option()->set("interpretation",
                                                        VIPS_INTERPRETATION_sRGB));
  return OkStatus();
}

}  // namespace enhancer::render
