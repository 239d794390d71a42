// SharpenStep: a classic unsharp mask, out = in + amount * (in - gauss(in)), on every channel,
// at output resolution (the base is already fitted to the canvas: sharpening before a downscale
// would be filtered away and cost more pixels). Then the one rounding back to 8 bits.
#include "render/pipeline.h"

namespace enhancer::render {

Status SharpenStep(RenderContext& context) {
  const double amount = context.recipe.sharpen;
  if (amount > 0) {
    // min_ampl 0.01 keeps the Gaussian to about +-3 sigma, as an unsharp mask expects; the
    // default (0.2) would truncate it to a box-like +-1.8 sigma. Float precision, because
    // libvips' integer masks do not sum to exactly one: a flat 80 blurs to 82, and the mask
    // would then darken every flat area.
    vips::VImage blurred = context.image.gaussblur(
        context.recipe.sharpen_radius,
        vips::VImage::option()->set("min_ampl", 0.01)->set("precision", VIPS_PRECISION_FLOAT));
    context.image = context.image.linear(1.0 + amount, 0.0) - blurred.linear(amount, 0.0);
  }
  if (context.image.format() != VIPS_FORMAT_UCHAR) {
    // cast() clips to 0..255 but truncates, so round first.
    context.image = context.image.round(VIPS_OPERATION_ROUND_RINT).cast(VIPS_FORMAT_UCHAR);
  }
  return OkStatus();
}

}  // namespace enhancer::render
