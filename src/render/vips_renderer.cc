#include "render/vips_renderer.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <vector>
#include <string>

#include "render/pipeline.h"
#include "render/vips_error.h"

namespace enhancer {
namespace {

constexpr int kMinCanvas = 16;
constexpr int kMaxCanvas = 8192;

class VipsPreparedPhoto final : public PreparedPhoto {
 public:
  VipsPreparedPhoto(vips::VImage base, std::array<std::vector<uint32_t>, 3> histograms,
                    int source_width, int source_height)
      : base_(std::move(base)),
        source_width_(source_width),
        source_height_(source_height) {
    preview_.histograms = std::move(histograms);
  }

  // Made on first use: a photo rendered with given recipes is never planned, and its preview
  // (a resize and a JPEG) would be wasted.
  const Preview& preview() const override {
    std::call_once(preview_once_, [this] {
      std::array<std::vector<uint32_t>, 3> histograms = std::move(preview_.histograms);
      // Only a failure to allocate can stop it; planners then see an empty preview.
      (void)render::GuardVips("making the preview", StatusCode::kInternal, [&] {
        preview_ = render::MakePreview(base_);
        return OkStatus();
      });
      preview_.histograms = std::move(histograms);
    });
    return preview_;
  }
  const PhotoStatistics& statistics() const override {
    std::call_once(statistics_once_, [this] { statistics_ = render::MeasureBase(base_); });
    return statistics_;
  }
  int source_width() const override { return source_width_; }
  int source_height() const override { return source_height_; }
  // In memory and never modified: libvips lets any number of threads read it at once.
  const vips::VImage& base() const { return base_; }

 private:
  const vips::VImage base_;
  const int source_width_;
  const int source_height_;
  mutable std::once_flag preview_once_;
  mutable Preview preview_;
  mutable std::once_flag statistics_once_;
  mutable PhotoStatistics statistics_;
};

class VipsRenderer final : public Renderer {
 public:
  VipsRenderer(const RenderOptions& options, Status status)
      : options_(options), status_(std::move(status)) {}

  Result<std::unique_ptr<PreparedPhoto>> Prepare(std::string_view encoded) override {
    if (!status_.ok()) return status_;
    render::PrepareContext context(encoded, options_);
    ENHANCER_RETURN_IF_ERROR(render::RunPreparePipeline(context));
    return std::unique_ptr<PreparedPhoto>(
        std::make_unique<VipsPreparedPhoto>(std::move(context.image),
                                            std::move(context.histograms), context.source_width,
                                            context.source_height));
  }

  Result<RenderedImage> Render(const PreparedPhoto& photo, const Recipe& recipe,
                               std::stop_token /*stop*/) override {
    if (!status_.ok()) return status_;
    const auto* prepared = dynamic_cast<const VipsPreparedPhoto*>(&photo);
    if (prepared == nullptr) {
      return InvalidArgumentError("the photo was not prepared by a libvips renderer");
    }
    // Clamped again, cheaply: out-of-range numbers (a zero blur radius, NaN) would otherwise
    // reach the lookup tables and the filters.
    const Recipe safe = RecipeFor(*prepared, recipe);
    render::RenderContext context(prepared->base(), safe, options_);
    ENHANCER_RETURN_IF_ERROR(render::RunRenderPipeline(context));
    return std::move(context.result);
  }

 private:
  const RenderOptions options_;
  const Status status_;  // why every call fails, or OK
};

// What EncodePreparedPhoto sends to remote models: quick to make, and a model gains nothing from
// progressive scans.
constexpr int kSharedJpegQuality = 90;

Status Range(const char* field, int64_t value, int64_t lo, int64_t hi) {
  if (value >= lo && value <= hi) return OkStatus();
  return InvalidArgumentError(std::string("render option ") + field + " must be between " +
                              std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
                              std::to_string(value));
}

}  // namespace

Status InitVips(int concurrency) {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] {
    if (VIPS_INIT("enhancer") != 0) {
      status = InternalError("libvips failed to start: " + std::string(vips_error_buffer()));
      vips_error_clear();
      return;
    }
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    vips_block_untrusted_set(TRUE);
  });
  if (status.ok() && concurrency > 0) vips_concurrency_set(concurrency);
  return status;
}

Status ValidateRenderOptions(const RenderOptions& options) {
  ENHANCER_RETURN_IF_ERROR(Range("canvas", options.canvas, kMinCanvas, kMaxCanvas));
  ENHANCER_RETURN_IF_ERROR(Range("thumbnail", options.thumbnail, kMinCanvas, options.canvas));
  ENHANCER_RETURN_IF_ERROR(Range("quality", options.quality, 1, 100));
  ENHANCER_RETURN_IF_ERROR(Range("max_pixels", options.max_pixels, 1, INT64_MAX));
  ENHANCER_RETURN_IF_ERROR(Range("max_bytes", options.max_bytes, 1, INT64_MAX));
  return OkStatus();
}

Result<EncodedImage> EncodePreparedPhoto(const PreparedPhoto& photo, int max_side) {
  const auto* prepared = dynamic_cast<const VipsPreparedPhoto*>(&photo);
  if (prepared == nullptr) {
    return InvalidArgumentError("the photo was not prepared by a libvips renderer");
  }
  if (max_side < 1) return InvalidArgumentError("max_side must be positive");
  EncodedImage out;
  Status status = render::GuardVips("encoding the prepared photo", StatusCode::kInternal, [&] {
    vips::VImage image = prepared->base();
    const int longer = std::max(image.width(), image.height());
    if (longer > max_side) {
      image = image.resize(static_cast<double>(max_side) / longer,
                           vips::VImage::option()->set("kernel", VIPS_KERNEL_LANCZOS3));
    }
    image = render::To8Bit(image);
    out.jpeg = render::EncodeJpeg(image, kSharedJpegQuality, /*progressive=*/false);
    out.width = image.width();
    out.height = image.height();
    return OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

std::unique_ptr<Renderer> MakeVipsRenderer(const RenderOptions& options) {
  Status status = ValidateRenderOptions(options);
  if (status.ok()) status = InitVips();
  return std::make_unique<VipsRenderer>(options, std::move(status));
}

}  // namespace enhancer
