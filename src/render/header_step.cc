// HeaderStep: the pixel budget, from the header alone. libvips loads lazily: opening the image
// parses the header and decodes nothing, so a 30000x30000 PNG is refused before any pixel is
// inflated.
#include <string>

#include "render/pipeline.h"

namespace enhancer::render {

Status HeaderStep(PrepareContext& context) {
  vips::VImage header =
      vips::VImage::new_from_buffer(context.encoded.data(), context.encoded.size(), "",
                                    vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
  context.source_width = header.width();
  context.source_height = header.height();
  const int64_t pixels = static_cast<int64_t>(header.width()) * header.height();
  if (pixels > context.options.max_pixels) {
    return InvalidArgumentError("image is " + std::to_string(header.width()) + "x" +
                                std::to_string(header.height()) +
                                " pixels, more than the limit of " +
                                std::to_string(context.options.max_pixels) + " pixels");
  }
  if (header.get_typeof(VIPS_META_ORIENTATION) != 0) {
    const int orientation = header.get_int(VIPS_META_ORIENTATION);
    if (orientation >= 1 && orientation <= 8) context.orientation = orientation;
  }
  return OkStatus();
}

}  // namespace enhancer::render
