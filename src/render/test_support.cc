#include "render/test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <vips/vips8>

#include "render/vips_renderer.h"

namespace enhancer::render_test {
namespace {

double ToLinear(double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); }

double LabF(double t) {
  constexpr double kEpsilon = 216.0 / 24389.0, kKappa = 24389.0 / 27.0;
  return t > kEpsilon ? std::cbrt(t) : (kKappa * t + 16.0) / 116.0;
}

struct Lab {
  double l, a, b;
};

Lab ToLab(const uint8_t* p) {
  const double r = ToLinear(p[0] / 255.0), g = ToLinear(p[1] / 255.0), b = ToLinear(p[2] / 255.0);
  // sRGB (D65) to XYZ, normalised by the D65 white.
  const double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  const double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
  const double fx = LabF(x), fy = LabF(y), fz = LabF(z);
  return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

}  // namespace

std::string TestImagePath(std::string_view name) {
  return std::string(ENHANCER_SHARED_DIR) + "/testdata/images/" + std::string(name);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

RgbImage Decode(std::string_view encoded) {
  EXPECT_TRUE(InitVips().ok());
  RgbImage out;
  try {
    vips::VImage image = vips::VImage::new_from_buffer(encoded.data(), encoded.size(), "");
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    if (image.has_alpha()) image = image.flatten();
    if (image.bands() > 3) image = image.extract_band(0, vips::VImage::option()->set("n", 3));
    image = image.cast(VIPS_FORMAT_UCHAR).copy_memory();
    out.width = image.width();
    out.height = image.height();
    size_t size = 0;
    void* pixels = image.write_to_memory(&size);
    out.rgb.assign(static_cast<uint8_t*>(pixels), static_cast<uint8_t*>(pixels) + size);
    g_free(pixels);
  } catch (const vips::VError& e) {
    ADD_FAILURE() << "decode failed: " << e.what();
  }
  return out;
}

std::string EncodePng(const RgbImage& image) {
  std::string png;
  try {
    vips::VImage v =
        vips::VImage::new_from_memory(const_cast<uint8_t*>(image.rgb.data()), image.rgb.size(),
                                      image.width, image.height, 3, VIPS_FORMAT_UCHAR);
    VipsBlob* blob = v.pngsave_buffer(vips::VImage::option()->set("compression", 1));
    size_t size = 0;
    const void* data = vips_blob_get(blob, &size);
    png.assign(static_cast<const char*>(data), size);
    vips_area_unref(VIPS_AREA(blob));
  } catch (const vips::VError& e) {
    ADD_FAILURE() << "PNG encode failed: " << e.what();
  }
  return png;
}

RgbImage Crop(const RgbImage& image, int left, int top, int width, int height) {
  RgbImage out;
  out.width = width;
  out.height = height;
  out.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    std::copy_n(image.at(left, top + y), static_cast<size_t>(width) * 3, out.at(0, y));
  }
  return out;
}

double MeanDeltaE(const RgbImage& a, const RgbImage& b) {
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  if (a.rgb.size() != b.rgb.size() || a.rgb.empty()) return 1e9;
  double sum = 0;
  const size_t n = a.rgb.size() / 3;
  for (size_t i = 0; i < n; ++i) {
    const Lab p = ToLab(&a.rgb[3 * i]), q = ToLab(&b.rgb[3 * i]);
    sum += std::sqrt((p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) +
                     (p.b - q.b) * (p.b - q.b));
  }
  return sum / static_cast<double>(n);
}

JpegFacts InspectJpeg(std::string_view jpeg) {
  JpegFacts facts;
  auto byte = [&](size_t i) { return static_cast<uint8_t>(jpeg[i]); };
  if (jpeg.size() < 4 || byte(0) != 0xFF || byte(1) != 0xD8) return facts;
  facts.is_jpeg = true;
  size_t i = 2;
  while (i + 4 <= jpeg.size()) {
    if (byte(i) != 0xFF) break;
    const uint8_t marker = byte(i + 1);
    if (marker == 0xD9 || marker == 0xDA) break;  // end of image, start of scan
    const size_t length = (byte(i + 2) << 8) | byte(i + 3);
    const std::string_view body = jpeg.substr(i + 4, length >= 2 ? length - 2 : 0);
    if (marker == 0xE1 && body.substr(0, 4) == "Exif") facts.has_exif = true;
    if (marker == 0xE2 && body.substr(0, 11) == "ICC_PROFILE") facts.has_icc = true;
    if ((marker == 0xC0 || marker == 0xC1 || marker == 0xC2) && body.size() >= 5) {
      facts.progressive = marker == 0xC2;
      facts.height = (static_cast<uint8_t>(body[1]) << 8) | static_cast<uint8_t>(body[2]);
      facts.width = (static_cast<uint8_t>(body[3]) << 8) | static_cast<uint8_t>(body[4]);
    }
    i += 2 + length;
  }
  return facts;
}

}  // namespace enhancer::render_test
