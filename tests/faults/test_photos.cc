#include "test_photos.h"

#include <glib.h>

#include <mutex>
#include <stdexcept>
#include <vips/vips8>

namespace enhancer::testing {
namespace {

using vips::VImage;

void InitVipsOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("enhancer-fault-tests") != 0) throw std::runtime_error("vips_init failed");
  });
}

std::string Encode(const VImage& image, const char* suffix, vips::VOption* options) {
  void* buffer = nullptr;
  size_t size = 0;
  image.write_to_buffer(suffix, &buffer, &size, options);
  std::string bytes(static_cast<const char*>(buffer), size);
  g_free(buffer);
  return bytes;
}

}  // namespace

std::string SmallJpeg(int seed, int width, int height) {
  InitVipsOnce();
  VImage xy = VImage::xyz(width, height);
  VImage x = xy[0];
  VImage y = xy[1];
  // Smooth gradients with a seed-dependent phase: photo-like enough for the planner, and distinct.
  VImage r = (x * 1.1 + seed * 13) % 256;
  VImage g = (y * 1.5 + seed * 29) % 256;
  VImage b = ((x + y) * 0.7 + seed * 53) % 256;
  VImage rgb = r.bandjoin(g)
                   .bandjoin(b)
                   .cast(VIPS_FORMAT_UCHAR)
                   .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  return Encode(rgb, ".jpg", VImage::option()->set("Q", 85));
}

std::string UniformPng(int side) {
  InitVipsOnce();
  VImage grey = (VImage::black(side, side) + 128).cast(VIPS_FORMAT_UCHAR);
  return Encode(grey, ".png", VImage::option()->set("compression", 9));
}

}  // namespace enhancer::testing
