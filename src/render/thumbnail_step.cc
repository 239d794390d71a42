// ThumbnailStep: the square thumbnail, resized (Lanczos3, lanczos.h) from the finished canvas so
// that it shows exactly the large image, padding included. Only the part the photo reaches is
// computed; the rest is the background it would have come out as anyway.
#include "render/lanczos.h"
#include "render/pipeline.h"

namespace enhancer::render {

Status ThumbnailStep(RenderContext& context) {
  const int side = context.options.thumbnail;
  const int canvas = context.options.canvas;
  vips::VImage small = context.canvas;
  std::vector<uint8_t> pixels;
  if (side != canvas) {
    const Rect photo{(canvas - context.base.width()) / 2, (canvas - context.base.height()) / 2,
                     context.base.width(), context.base.height()};
    pixels = Lanczos3ResizeCanvas(context.canvas_pixels.data(), canvas, canvas, side, side, photo,
                                  context.options.background);
    small = vips::VImage::new_from_memory(pixels.data(), pixels.size(), side, side, 3,
                                          VIPS_FORMAT_UCHAR)
                .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  }
  EncodedImage& out = context.result.thumbnail;
  out.jpeg = EncodeJpeg(small, context.options.quality, context.options.progressive);
  out.width = small.width();
  out.height = small.height();
  return OkStatus();
}

}  // namespace enhancer::render
