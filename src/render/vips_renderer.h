// VipsRenderer: the Renderer implemented with libvips, in process. No libvips type crosses this
// header.
#pragma once

#include <memory>

#include "core/status.h"
#include "render/renderer.h"

namespace enhancer {

// Starts libvips once per process (thread-safe; later calls do nothing). It also turns off
// libvips' operation cache, which would keep decoded photos alive between products, and blocks
// loaders libvips marks as unsafe for untrusted input.
// `concurrency` > 0 sets libvips' worker threads per pipeline (process-wide; 0 leaves libvips'
// default: VIPS_CONCURRENCY or the number of cores). With several products rendered in
// parallel, 1 gives the best throughput.
// Errors: Internal when libvips cannot start.
Status InitVips(int concurrency = 0);

// InvalidArgument naming the first field out of range: canvas 16-8192, thumbnail 16-canvas,
// quality 1-100, max_pixels >= 1, max_bytes >= 1.
Status ValidateRenderOptions(const RenderOptions& options);

// A renderer with `options`. Calls InitVips() (default concurrency) if nobody has. If the
// options are invalid or libvips cannot start, every call of the renderer returns that error.
std::unique_ptr<Renderer> MakeVipsRenderer(const RenderOptions& options);

// A photo a libvips renderer prepared, as every recipe starts from it (upright, fitted to the
// canvas, sRGB, no metadata), made at most `max_side` pixels on its longer side and encoded as
// a baseline JPEG: what a renderer that sends the photo to a remote model sends. Thread-safe.
// Errors: InvalidArgument (not prepared by a libvips renderer, max_side < 1), Internal.
Result<EncodedImage> EncodePreparedPhoto(const PreparedPhoto& photo, int max_side);

}  // namespace enhancer
