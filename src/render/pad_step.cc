// PadStep: centres the fitted photo on a canvas x canvas square of the background colour.
#include <vector>

#include "render/pipeline.h"

namespace enhancer::render {

Status PadStep(RenderContext& context) {
  const int canvas = context.options.canvas;
  const vips::VImage& image = context.image;
  if (image.width() == canvas && image.height() == canvas) return OkStatus();
  const auto& bg = context.options.background;
  context.image = image.embed(
      (canvas - image.width()) / 2, (canvas - image.height()) / 2, canvas, canvas,
      vips::VImage::option()
          ->set("extend", VIPS_EXTEND_BACKGROUND)
          ->set("background", std::vector<double>{double(bg[0]), double(bg[1]), double(bg[2])}));
  return OkStatus();
}

}  // namespace enhancer::render
