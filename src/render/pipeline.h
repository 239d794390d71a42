// The libvips pipelines, internal to src/render: a context per pipeline and one function per
// step, each defined in its own <name>_step.cc and listed in order in pipeline.cc.
//
// This header includes vips8 and must not be included outside src/render; the public face of
// the module is vips_renderer.h.
//
// A step is `Status Step(Context&)`. It reads what earlier steps left in the context, may
// replace `image` with a new (lazy) libvips image, and returns early when it has nothing to do.
// Steps may throw vips::VError; the pipeline runners catch it (see vips_error.h).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include <vips/vips8>

#include "core/status.h"
#include "plan/auto_adjust.h"
#include "plan/planner.h"
#include "plan/recipe.h"
#include "render/image_type.h"
#include "render/renderer.h"

namespace enhancer::render {

// Decoding one photo into the base all recipes share.
struct PrepareContext {
  PrepareContext(std::string_view encoded_in, const RenderOptions& options_in)
      : encoded(encoded_in), options(options_in) {}

  std::string_view encoded;  // not owned; outlives the pipeline
  const RenderOptions& options;
  ImageType type = ImageType::kJpeg;  // set by CheckInputStep
  int source_width = 0;               // set by HeaderStep, as stored (before orientation)
  int source_height = 0;
  int orientation = 1;  // set by HeaderStep: EXIF orientation, 1-8
  vips::VImage image;   // from DecodeStep on; see the steps for its state
  // Set by HistogramStep: Preview::histograms of the photo as decoded, or empty (see there).
  std::array<std::vector<uint32_t>, 3> histograms;
};

// Rendering one recipe from a prepared base.
struct RenderContext {
  RenderContext(const vips::VImage& base_in, const Recipe& recipe_in,
                const RenderOptions& options_in)
      : base(base_in), recipe(recipe_in), options(options_in) {}

  const vips::VImage& base;  // sRGB, 16-bit, 3 bands, in memory, upright and fitted
  const Recipe& recipe;      // clamped, with nothing left to measure
  const RenderOptions& options;
  std::vector<uint8_t> canvas_pixels;  // set by CanvasStep: canvas x canvas, RGB
  vips::VImage canvas;                 // the same pixels, for libvips
  RenderedImage result;
};

// Prepare, in order. The base is kept at 16 bits per channel, so that recipes that stretch levels
// (a washed-out photo by 1.6x and more) keep what in-between values there are (16-bit photos,
// enlargements). A shrunk 8-bit photo is resized at 8 bits, libvips' fastest path, and widened
// after.
Status CheckInputStep(PrepareContext& context);  // byte cap, then magic bytes
Status HeaderStep(PrepareContext& context);      // pixel cap and orientation, from the header
Status DecodeStep(PrepareContext& context);      // sequential decode, shrink-on-load for JPEG
Status ColourStep(PrepareContext& context);      // sRGB, 3 bands, alpha flattened, 8/16-bit
Status HistogramStep(PrepareContext& context);   // the photo's own histograms, when cheap
Status FitStep(PrepareContext& context);         // resize: longer side (once upright) = canvas
Status OrientStep(PrepareContext& context);      // EXIF orientation, on the small image

// Render, in order.
Status CanvasStep(RenderContext& context);     // background, then the recipe (recipe_pass.h)
Status EncodeStep(RenderContext& context);     // canvas JPEG
Status ThumbnailStep(RenderContext& context);  // thumbnail JPEG from the canvas

// Runs the steps; on success context.image is the base: in memory, upright, fitted. Errors:
// InvalidArgument for input that is not an acceptable, decodable image; ResourceExhausted when
// out of memory.
Status RunPreparePipeline(PrepareContext& context);

// Runs the steps; on success context.result holds both JPEGs. Errors: Internal.
Status RunRenderPipeline(RenderContext& context);

// The small copy planners look at, made from the base (preview_step.cc). Throws vips::VError.
Preview MakePreview(const vips::VImage& base);

// The 8-bit histograms of the base that recipes' automatic adjustments measure.
PhotoStatistics MeasureBase(const vips::VImage& base);

// Shared by the steps: JPEG-encodes `image` (8-bit sRGB) with the options' quality and
// progressive setting, without metadata.
std::string EncodeJpeg(const vips::VImage& image, int quality, bool progressive);

// 16-bit values to 8-bit, rounded (65535 / 255 = 257).
vips::VImage To8Bit(const vips::VImage& image16);

// 8-bit values to 16-bit (v * 257, exact); 16-bit images as they are.
vips::VImage To16Bit(const vips::VImage& image);

// The size the photo takes on the canvas: the longer side of the upright photo becomes
// `canvas`, the other is scaled alike and rounded. Enlarges small photos.
struct FittedSize {
  int width;
  int height;
};
FittedSize FitToCanvas(int upright_width, int upright_height, int canvas);

// True for EXIF orientations that swap width and height (5-8).
inline bool SwapsSides(int orientation) { return orientation >= 5 && orientation <= 8; }

// The largest side a Preview may have.
inline constexpr int kPreviewMaxSide = 512;

}  // namespace enhancer::render
