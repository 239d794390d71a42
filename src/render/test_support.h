// Helpers shared by the render tests (test-only): reading the shared photos, decoding and
// encoding with libvips, and colour differences. Not part of enhancer_render.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace enhancer::render_test {

// 8-bit sRGB pixels, 3 bands, row-major.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;

  const uint8_t* at(int x, int y) const { return &rgb[(static_cast<size_t>(y) * width + x) * 3]; }
  uint8_t* at(int x, int y) { return &rgb[(static_cast<size_t>(y) * width + x) * 3]; }
};

// ENHANCER_SHARED_DIR "/testdata/images/" + name.
std::string TestImagePath(std::string_view name);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, std::string_view bytes);

// Decodes any image libvips reads into sRGB 8-bit RGB (alpha dropped). Aborts the test on failure.
RgbImage Decode(std::string_view encoded);
std::string EncodePng(const RgbImage& image);

// The rectangle [left, left + width) x [top, top + height).
RgbImage Crop(const RgbImage& image, int left, int top, int width, int height);

// Mean CIE76 colour difference, D65, over all pixels of two images of the same size.
double MeanDeltaE(const RgbImage& a, const RgbImage& b);

// What the JPEG says about itself, read from its markers.
struct JpegFacts {
  bool is_jpeg = false;
  bool progressive = false;  // SOF2
  bool has_exif = false;     // APP1 "Exif"
  bool has_icc = false;      // APP2 "ICC_PROFILE"
  int width = 0;
  int height = 0;
};
JpegFacts InspectJpeg(std::string_view jpeg);

}  // namespace enhancer::render_test
