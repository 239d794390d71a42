// DenoiseStep: edge-preserving smoothing, a sigma filter in spirit. Each pixel moves toward its
// Gaussian-blurred neighbourhood by an amount that falls to zero as the difference grows: grain
// (small differences) is smoothed, edges and texture (large ones) are kept.
#include "render/pipeline.h"

namespace enhancer::render {

Status DenoiseStep(RenderContext& context) {
  const double strength = context.recipe.denoise;
  if (strength <= 0) return OkStatus();
  const double sigma = 0.7 + 1.3 * strength;       // neighbourhood, output pixels
  const double threshold = 6.0 + 24.0 * strength;  // differences (8-bit levels) left alone

  vips::VImage in = context.image.cast(VIPS_FORMAT_FLOAT);
  vips::VImage blurred = in.gaussblur(
      sigma, vips::VImage::option()->set("min_ampl", 0.01)->set("precision", VIPS_PRECISION_FLOAT));
  vips::VImage difference = blurred - in;
  // weight = strength * max(0, 1 - |difference| / threshold)
  vips::VImage ramp = difference.abs().linear(-strength / threshold, strength);
  vips::VImage weight = (ramp > 0).ifthenelse(ramp, 0.0);
  context.image = in + difference * weight;
  return OkStatus();
}

}  // namespace enhancer::render
