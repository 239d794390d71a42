// OrientStep: turns the fitted base upright according to the EXIF orientation read by
// HeaderStep. Done after the resize, on at most canvas x canvas pixels, because rotating needs
// random access that the sequential decode does not give.
#include "render/pipeline.h"

namespace enhancer::render {

Status OrientStep(PrepareContext& context) {
  if (context.orientation == 1) return OkStatus();
  vips::VImage image = context.image.copy();
  image.set(VIPS_META_ORIENTATION, context.orientation);
  context.image = image.autorot().copy_memory();
  return OkStatus();
}

}  // namespace enhancer::render
