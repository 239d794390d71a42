// The small copy the planners look at, and the histograms they and the recipes measure.
//
// The preview is made from the base, so it shows exactly what the recipes will be applied to.
// The triangle filter does not overshoot at edges, so the planner's black and white levels are
// the photo's, not the resampler's.
//
// The full-resolution histograms (Preview::histograms, HistogramStep) count the photo's own
// pixels, as decoded: the few pixels that set a photo's extremes (a specular glint, a speck of
// true black) are averaged away in a 512-px copy. They are not counted on the base: resizing
// puts values beyond the photo's own extremes next to every hard edge (the overshoot of the
// enlargement, the ringing of the Lanczos3 reduction), and a handful of pixels is exactly what
// those fringes hold. So they are counted only when the photo is no larger than the base, where
// holding the decoded photo in memory costs no more than the base itself; a larger photo gets
// none (it streams through the resize and is never whole in memory), and planners use the
// preview.
#include <algorithm>
#include <cstdint>

#include "render/pipeline.h"

namespace enhancer::render {
namespace {

// Per-channel histograms of a 3-band image: 10-bit bins of the 16-bit value (v >> 6, with an
// 8-bit level L taken as L * 257), counted by libvips in one pass over the image as it is.
void CountHistograms(const vips::VImage& image, std::array<std::vector<uint32_t>, 3>& out) {
  constexpr int kShift = 6;
  static_assert((65536 >> kShift) == Preview::kHistogramBins);
  const bool eight_bit = image.format() == VIPS_FORMAT_UCHAR;
  vips::VImage source = eight_bit ? image : (image >> kShift).cast(VIPS_FORMAT_USHORT);
  vips::VImage histogram = source.hist_find().cast(VIPS_FORMAT_UINT).copy_memory();
  const int bands = histogram.bands();
  const auto* counts = static_cast<const uint32_t*>(histogram.data());
  for (int c = 0; c < 3; ++c) {
    std::vector<uint32_t>& channel = out[c];
    channel.assign(Preview::kHistogramBins, 0);
    const int band = std::min(c, bands - 1);
    for (int v = 0; v < histogram.width(); ++v) {
      const int bin = eight_bit ? (v * 257) >> kShift : v;
      if (bin < Preview::kHistogramBins) channel[bin] += counts[v * bands + band];
    }
  }
}

}  // namespace

Status HistogramStep(PrepareContext& context) {
  const int64_t decoded = static_cast<int64_t>(context.source_width) * context.source_height;
  const FittedSize fit = FitToCanvas(context.source_width, context.source_height,
                                     context.options.canvas);
  if (decoded > static_cast<int64_t>(fit.width) * fit.height) return OkStatus();
  // The resize then reads the decoded pixels from memory rather than decoding them again.
  context.image = context.image.copy_memory();
  CountHistograms(context.image, context.histograms);
  return OkStatus();
}

vips::VImage To8Bit(const vips::VImage& image16) {
  return image16.linear(1.0 / 257.0, 0.0)
      .round(VIPS_OPERATION_ROUND_RINT)
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

Preview MakePreview(const vips::VImage& base) {
  vips::VImage small = base;
  const int longer = std::max(small.width(), small.height());
  if (longer > kPreviewMaxSide) {
    const double scale = static_cast<double>(kPreviewMaxSide) / longer;
    small = small.resize(scale, vips::VImage::option()->set("kernel", VIPS_KERNEL_LINEAR));
  }
  small = To8Bit(small).copy_memory();

  Preview preview;
  preview.width = small.width();
  preview.height = small.height();
  const auto* pixels = static_cast<const uint8_t*>(small.data());
  preview.rgb.assign(pixels, pixels + static_cast<size_t>(small.width()) * small.height() * 3);
  preview.jpeg = EncodeJpeg(small, 85, /*progressive=*/false);
  return preview;
}

PhotoStatistics MeasureBase(const vips::VImage& base) {
  // The 8-bit level nearest each 16-bit value, (v + 128) / 257 (exact for v = 257 * level),
  // looked up rather than computed three times a pixel.
  static const auto* const kLevel = [] {
    auto* table = new std::array<uint8_t, 65536>;
    for (int v = 0; v < 65536; ++v) (*table)[v] = static_cast<uint8_t>((v + 128) / 257);
    return table;
  }();
  // Counted into two sets of histograms, alternating pixels, and summed at the end: consecutive
  // pixels of a smooth area hit the same bins, and one set would make each increment wait for
  // the last.
  std::array<PhotoStatistics, 2> parts{};
  const auto* p = static_cast<const uint16_t*>(base.data());
  const size_t pixels = static_cast<size_t>(base.width()) * base.height();
  for (size_t i = 0; i < pixels; ++i, p += 3) {
    PhotoStatistics& s = parts[i & 1];
    const int r = (*kLevel)[p[0]], g = (*kLevel)[p[1]], b = (*kLevel)[p[2]];
    ++s.channels[0][r];
    ++s.channels[1][g];
    ++s.channels[2][b];
    ++s.luma[Luma8(r, g, b)];
  }
  PhotoStatistics statistics = parts[0];
  for (int v = 0; v < 256; ++v) {
    statistics.luma[v] += parts[1].luma[v];
    for (int c = 0; c < 3; ++c) statistics.channels[c][v] += parts[1].channels[c][v];
  }
  return statistics;
}

}  // namespace enhancer::render
