// ColourStep: sRGB with 3 bands, whatever came in, at the photo's own depth (8 bits for almost
// every photo: the resize is fastest there; the base is made 16-bit after it): grey is
// converted, CMYK through libvips' colour management, and alpha is flattened onto the canvas
// background so transparent product cut-outs sit on the same colour as the padding. Embedded
// ICC profiles are otherwise not applied (values are taken as sRGB).
#include <vector>

#include "render/pipeline.h"

namespace enhancer::render {

Status ColourStep(PrepareContext& context) {
  vips::VImage image = context.image;
  const VipsInterpretation in = image.interpretation();
  const bool sixteen = in == VIPS_INTERPRETATION_RGB16 || in == VIPS_INTERPRETATION_GREY16;
  const VipsInterpretation target = sixteen ? VIPS_INTERPRETATION_RGB16 : VIPS_INTERPRETATION_sRGB;
  if (in != target) image = image.colourspace(target);
  if (image.has_alpha()) {
    const double scale = sixteen ? 257.0 : 1.0;
    const auto& bg = context.options.background;
    image = image.flatten(vips::VImage::option()->set(
        "background", std::vector<double>{bg[0] * scale, bg[1] * scale, bg[2] * scale}));
  }
  if (image.bands() > 3) image = image.extract_band(0, vips::VImage::option()->set("n", 3));
  if (image.bands() == 1) image = image.bandjoin({image, image});
  const VipsBandFormat format = sixteen ? VIPS_FORMAT_USHORT : VIPS_FORMAT_UCHAR;
  if (image.format() != format) image = image.round(VIPS_OPERATION_ROUND_RINT).cast(format);
  context.image = image.copy(vips::VImage::option()->set("interpretation", target));
  return OkStatus();
}

vips::VImage To16Bit(const vips::VImage& image) {
  if (image.format() == VIPS_FORMAT_USHORT) return image;
  // v * 257 maps 0..255 onto 0..65535 exactly; in integers, as (v << 8) | v.
  vips::VImage wide = image.cast(VIPS_FORMAT_USHORT);
  return ((wide << 8) | wide)
      .cast(VIPS_FORMAT_USHORT)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_RGB16));
}

}  // namespace enhancer::render
