// PreviewStep: the small copy the planners look at. It is made from the base, so it shows
// exactly what the recipes will be applied to. The triangle filter does not overshoot at
// edges, so the planner's black and white levels are the photo's, not the resampler's.
#include <algorithm>

#include "render/pipeline.h"

namespace enhancer::render {

vips::VImage To8Bit(const vips::VImage& image16) {
  return image16.linear(1.0 / 257.0, 0.0)
      .round(VIPS_OPERATION_ROUND_RINT)
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

Status PreviewStep(PrepareContext& context) {
  vips::VImage small = context.image;
  const int longer = std::max(small.width(), small.height());
  if (longer > kPreviewMaxSide) {
    const double scale = static_cast<double>(kPreviewMaxSide) / longer;
    small = small.resize(scale, vips::VImage::option()->set("kernel", VIPS_KERNEL_LINEAR));
  }
  small = To8Bit(small).copy_memory();

  Preview& preview = context.preview;
  preview.width = small.width();
  preview.height = small.height();
  size_t size = 0;
  void* pixels = small.write_to_memory(&size);
  preview.rgb.assign(static_cast<const uint8_t*>(pixels),
                     static_cast<const uint8_t*>(pixels) + size);
  g_free(pixels);
  preview.jpeg = EncodeJpeg(small, 85, /*progressive=*/false);
  return OkStatus();
}

}  // namespace enhancer::render
