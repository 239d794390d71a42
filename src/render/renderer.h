// Renderer: decodes a photo once, then renders any number of recipes from it.
//
// Implementations: libvips, in process (VipsRenderer); a Gemini image model, falling back to
// libvips (GeminiImageRenderer). No libvips type crosses this header.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/status.h"
#include "plan/auto_adjust.h"
#include "plan/planner.h"
#include "plan/recipe.h"

namespace enhancer {

struct RenderOptions {
  int canvas = 1600;        // output is a canvas x canvas square; the photo is fitted and centred
  int thumbnail = 600;      // thumbnail side
  int quality = 85;         // JPEG quality, 1-100
  bool progressive = true;  // progressive JPEG with optimised Huffman tables
  std::array<uint8_t, 3> background{255, 255, 255};  // padding colour
  int64_t max_pixels = 100'000'000;  // refuse to decode larger photos (read from the header)
  int64_t max_bytes = 50 * 1024 * 1024;  // refuse larger files before looking at them
  // JPEG only: decode at 1/2, 1/4 or 1/8 scale in the DCT when that is still at least the
  // canvas. Much faster on large photos; off, every pixel is decoded before the resize.
  bool shrink_on_load = true;
};

// A photo decoded, oriented and fitted to the canvas, shared by all recipes. Immutable and
// thread-safe once made; what it computes on first use is computed once.
class PreparedPhoto {
 public:
  virtual ~PreparedPhoto() = default;
  virtual const Preview& preview() const = 0;              // for planners
  virtual const PhotoStatistics& statistics() const = 0;   // what auto adjustments measure
  virtual int source_width() const = 0;   // as stored in the file, before orientation
  virtual int source_height() const = 0;
};

struct EncodedImage {
  std::string jpeg;
  int width = 0;
  int height = 0;
};

struct RenderedImage {
  EncodedImage image;      // canvas x canvas
  EncodedImage thumbnail;  // thumbnail x thumbnail
  std::string note;        // what a reviewer should know about this render, e.g. that a
                           // generative renderer fell back to libvips; usually empty
};

// `recipe` as it is rendered on `photo`: clamped, with what it asks to measure measured (the
// photo's statistics are computed only then).
inline Recipe RecipeFor(const PreparedPhoto& photo, const Recipe& recipe) {
  return NeedsMeasuring(recipe) ? ResolveAutoAdjustments(recipe, photo.statistics())
                                : Clamp(recipe);
}

class Renderer {
 public:
  virtual ~Renderer() = default;

  // Decodes `encoded` (JPEG, PNG, WebP, TIFF, GIF, HEIF where libvips supports it; the first
  // frame of animations). Errors: InvalidArgument ("not an image", "image is 30000x30000 pixels,
  // more than the limit of ..."), Internal. Thread-safe.
  virtual Result<std::unique_ptr<PreparedPhoto>> Prepare(std::string_view encoded) = 0;

  // Applies the recipe, clamped, with its automatic adjustments measured on `photo` (see
  // ResolveAutoAdjustments), to a photo this renderer prepared. Thread-safe; the photo may be
  // shared between calls. A renderer that calls a remote service stops at `stop` (Cancelled)
  // and may also return its transient codes; libvips ignores `stop` (a render takes a fraction
  // of a second). Errors: InvalidArgument (a photo another renderer prepared), Internal.
  virtual Result<RenderedImage> Render(const PreparedPhoto& photo, const Recipe& recipe,
                                       std::stop_token stop) = 0;

  // True when Render mostly waits on a remote service (seconds) rather than computing: callers
  // run it on their own thread, not on the CPU pool, whose threads would sit idle.
  virtual bool remote() const { return false; }
};

}  // namespace enhancer
