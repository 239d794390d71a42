// ThumbnailStep: the square thumbnail, resized (Lanczos3) from the finished canvas so that it
// shows exactly the large image, padding included.
#include "render/pipeline.h"

namespace enhancer::render {

Status ThumbnailStep(RenderContext& context) {
  const int side = context.options.thumbnail;
  vips::VImage small = context.canvas;
  if (small.width() != side) {
    small = small.resize(static_cast<double>(side) / small.width(),
                         vips::VImage::option()->set("kernel", VIPS_KERNEL_LANCZOS3));
  }
  EncodedImage& out = context.result.thumbnail;
  out.jpeg = EncodeJpeg(small, context.options.quality, context.options.progressive);
  out.width = small.width();
  out.height = small.height();
  return OkStatus();
}

}  // namespace enhancer::render
