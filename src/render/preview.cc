// PreviewStep: the small copy the planners look at. It is made from the base, so it shows
// exactly what the recipes will be applied to. The triangle filter does not overshoot at
// edges, so the planner's black and white levels are the photo's, not the resampler's.
//
// The full-resolution histograms (Preview::histograms) count the photo's own pixels, as
// decoded: the few pixels that set a photo's extremes (a specular glint, a speck of true black)
// are averaged away in a 512-px copy. They are not counted on the base: resizing puts values
// beyond the photo's own extremes next to every hard edge (the overshoot of the bicubic
// enlargement, the ringing of the Lanczos3 reduction), and a handful of pixels is exactly what
// those fringes hold. So they are counted only when the photo is no larger than the base, where
// decoding it again is cheap; a larger photo gets none, and planners use the preview.
#include <algorithm>
#include <cstdint>
#include <optional>

#include "render/pipeline.h"

namespace enhancer::render {
namespace {

// The photo as decoded, before any resampling, or nothing when that would mean decoding a photo
// larger than the base a second time. The pipeline's own steps decode it, so the values are
// the ones the base was resized from.
std::optional<vips::VImage> DecodedPhoto(const PrepareContext& context) {
  const int64_t decoded = static_cast<int64_t>(context.source_width) * context.source_height;
  const int64_t base = static_cast<int64_t>(context.image.width()) * context.image.height();
  if (decoded > base) return std::nullopt;
  if (decoded == base) return context.image;  // not resized: the base is the decoded photo
  PrepareContext again(context.encoded, context.options);
  again.type = context.type;
  again.source_width = context.source_width;
  again.source_height = context.source_height;
  if (!DecodeStep(again).ok() || !ColourStep(again).ok()) return std::nullopt;
  return again.image;
}

// Per-channel histograms of a 16-bit, 3-band image: 10-bit bins (value >> 6), counted by
// libvips in one pass.
void CountHistograms(const vips::VImage& image, Preview& preview) {
  constexpr int kShift = 6;
  static_assert((65536 >> kShift) == Preview::kHistogramBins);
  vips::VImage histogram =
      (image >> kShift).cast(VIPS_FORMAT_USHORT).hist_find().cast(VIPS_FORMAT_UINT).copy_memory();
  const int bins = std::min(histogram.width(), Preview::kHistogramBins);
  const int bands = histogram.bands();
  const auto* counts = static_cast<const uint32_t*>(histogram.data());
  for (int c = 0; c < 3; ++c) {
    std::vector<uint32_t>& channel = preview.histograms[c];
    channel.assign(Preview::kHistogramBins, 0);
    const int band = std::min(c, bands - 1);
    for (int bin = 0; bin < bins; ++bin) channel[bin] = counts[bin * bands + band];
  }
}

}  // namespace

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

  if (std::optional<vips::VImage> decoded = DecodedPhoto(context)) {
    CountHistograms(*decoded, preview);
  }
  return OkStatus();
}

}  // namespace enhancer::render
