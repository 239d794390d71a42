// FitStep: one resize to the size the photo takes on the canvas (Lanczos3 when shrinking;
// libvips enlarges with bicubic whatever the kernel). The sizes come from the upright photo,
// while the pixels are still as stored: orientation is applied afterwards, to the small image.
#include <algorithm>
#include <cmath>

#include "render/pipeline.h"

namespace enhancer::render {

FittedSize FitToCanvas(int upright_width, int upright_height, int canvas) {
  const double f = static_cast<double>(canvas) / std::max(upright_width, upright_height);
  return {std::max(1, static_cast<int>(std::lround(upright_width * f))),
          std::max(1, static_cast<int>(std::lround(upright_height * f)))};
}

Status FitStep(PrepareContext& context) {
  const bool swap = SwapsSides(context.orientation);
  const FittedSize fit =
      swap ? FitToCanvas(context.source_height, context.source_width, context.options.canvas)
           : FitToCanvas(context.source_width, context.source_height, context.options.canvas);
  // The target in the stored frame (before orientation).
  const int width = swap ? fit.height : fit.width;
  const int height = swap ? fit.width : fit.height;
  vips::VImage image = context.image;
  if (image.width() != width || image.height() != height) {
    image = image.resize(static_cast<double>(width) / image.width(),
                         vips::VImage::option()
                             ->set("vscale", static_cast<double>(height) / image.height())
                             ->set("kernel", VIPS_KERNEL_LANCZOS3));
    // Guard against a rounding difference of a pixel in libvips' own size computation.
    if (image.width() != width || image.height() != height) {
      image =
          image.embed(0, 0, width, height, vips::VImage::option()->set("extend", VIPS_EXTEND_COPY));
    }
  }
  context.image = image;
  return OkStatus();
}

}  // namespace enhancer::render
