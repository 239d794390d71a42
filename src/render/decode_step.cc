// DecodeStep: opens the photo for one sequential pass (the decoder streams into the resize and
// never holds the full-size image). JPEG decodes at 1/2, 1/4 or 1/8 scale in the DCT when the
// result is still at least the canvas size: the cheapest pixels are the ones never decoded.
// Animations give their first frame (libvips' default page).
#include <algorithm>

#include "render/pipeline.h"

namespace enhancer::render {

Status DecodeStep(PrepareContext& context) {
  vips::VOption* options = vips::VImage::option()
                               ->set("access", VIPS_ACCESS_SEQUENTIAL)
                               ->set("fail_on", VIPS_FAIL_ON_TRUNCATED);
  if (context.type == ImageType::kJpeg && context.options.shrink_on_load) {
    const int longer = std::max(context.source_width, context.source_height);
    int shrink = 1;
    while (shrink < 8 && longer / (shrink * 2) >= context.options.canvas) shrink *= 2;
    if (shrink > 1) options->set("shrink", shrink);
  }
  context.image =
      vips::VImage::new_from_buffer(context.encoded.data(), context.encoded.size(), "", options);
  return OkStatus();
}

}  // namespace enhancer::render
