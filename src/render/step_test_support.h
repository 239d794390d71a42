// Helpers for the render step tests (test-only): small libvips images from functions, and back.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "render/pipeline.h"
#include "render/vips_renderer.h"

namespace enhancer::render {

// A 16-bit, 3-band base like PrepareContext leaves it, from 8-bit values.
inline vips::VImage MakeBase(int width, int height,
                             const std::function<std::array<int, 3>(int x, int y)>& pixel) {
  EXPECT_TRUE(InitVips().ok());
  std::vector<uint16_t> data(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::array<int, 3> p = pixel(x, y);
      for (int c = 0; c < 3; ++c) {
        data[(static_cast<size_t>(y) * width + x) * 3 + c] = static_cast<uint16_t>(p[c] * 257);
      }
    }
  }
  VipsImage* image = vips_image_new_from_memory_copy(data.data(), data.size() * 2, width, height, 3,
                                                     VIPS_FORMAT_USHORT);
  return vips::VImage(image).copy(
      vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_RGB16));
}

// The image's pixels as doubles, row-major, 3 bands.
inline std::vector<double> Pixels(const vips::VImage& image) {
  vips::VImage d = image.cast(VIPS_FORMAT_DOUBLE).copy_memory();
  size_t size = 0;
  void* memory = d.write_to_memory(&size);
  const double* p = static_cast<const double*>(memory);
  std::vector<double> out(p, p + size / sizeof(double));
  g_free(memory);
  return out;
}

}  // namespace enhancer::render
