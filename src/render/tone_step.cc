// ToneStep: all the per-pixel colour work of a recipe in one pass, and the step from the 16-bit
// base to 8 bits. Levels, white balance, gamma and contrast are per-channel functions of one
// value, so they fuse into one table per channel indexed by the 16-bit value (one maplut, which
// rounds once, at the end); saturation mixes channels and is one 3x3 recomb.
#include <algorithm>
#include <vector>

#include "plan/tone_curve.h"
#include "render/pipeline.h"

namespace enhancer::render {
namespace {

constexpr int kLevels = 65536;
// The curve is evaluated at this many points per channel and interpolated in between: far
// below a level of error, and 16x fewer pow() calls.
constexpr int kSamples = 4097;

}  // namespace

Status ToneStep(RenderContext& context) {
  const Recipe& recipe = context.recipe;
  std::vector<uint8_t> table(static_cast<size_t>(kLevels) * 3);
  std::vector<double> samples(kSamples);
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < kSamples; ++i) {
      samples[i] = 255.0 * ToneCurve(recipe, c, static_cast<double>(i) / (kSamples - 1));
    }
    for (int v = 0; v < kLevels; ++v) {
      const double position = static_cast<double>(v) * (kSamples - 1) / (kLevels - 1);
      const int i = std::min(kSamples - 2, static_cast<int>(position));
      const double t = position - i;
      const double value = samples[i] + (samples[i + 1] - samples[i]) * t;
      table[static_cast<size_t>(v) * 3 + c] =
          static_cast<uint8_t>(std::clamp(value + 0.5, 0.0, 255.0));
    }
  }
  VipsImage* lut =
      vips_image_new_from_memory_copy(table.data(), table.size(), kLevels, 1, 3, VIPS_FORMAT_UCHAR);
  if (lut == nullptr) throw vips::VError();
  context.image =
      context.image.maplut(vips::VImage(lut))
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  if (recipe.saturation != 1.0) {
    std::array<double, 9> m = SaturationMatrix(recipe.saturation);
    context.image = context.image.recomb(vips::VImage::new_matrix(3, 3, m.data(), 9));
  }
  return OkStatus();
}

}  // namespace enhancer::render
