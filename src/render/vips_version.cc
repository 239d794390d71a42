#include "render/vips_version.h"

#include <vips/vips.h>

namespace enhancer {

std::string VipsVersion() {
  // vips_version_string() reads the running library, so a newer shared libvips shows as such.
  const char* version = vips_version_string();
  return version != nullptr ? version : "unknown";
}

}  // namespace enhancer
