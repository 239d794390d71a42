// EncodeStep: the canvas as a JPEG.
#include "render/pipeline.h"

namespace enhancer::render {

std::string EncodeJpeg(const vips::VImage& image, int quality, bool progressive) {
  VipsBlob* blob = image.jpegsave_buffer(vips::VImage::option()
                                             ->set("Q", quality)
                                             ->set("interlace", progressive)
                                             ->set("optimize_coding", progressive)
                                             ->set("strip", true));
  size_t size = 0;
  const void* data = vips_blob_get(blob, &size);
  std::string jpeg(static_cast<const char*>(data), size);
  vips_area_unref(VIPS_AREA(blob));
  return jpeg;
}

Status EncodeStep(RenderContext& context) {
  EncodedImage& out = context.result.image;
  out.jpeg = EncodeJpeg(context.canvas, context.options.quality, context.options.progressive);
  out.width = context.canvas.width();
  out.height = context.canvas.height();
  return OkStatus();
}

}  // namespace enhancer::render
