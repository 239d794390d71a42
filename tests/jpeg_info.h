// Reads the size of a JPEG from its frame header, so tests can check outputs without a decoder.
#pragma once

#include <optional>
#include <string_view>

namespace enhancer::testing {

struct JpegInfo {
  int width = 0;
  int height = 0;
  bool progressive = false;
  bool has_exif = false;
};

// nullopt when `bytes` is not a JPEG with a frame header.
inline std::optional<JpegInfo> ReadJpegInfo(std::string_view bytes) {
  auto u8 = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.size() < 4 || u8(0) != 0xFF || u8(1) != 0xD8) return std::nullopt;
  JpegInfo info;
  size_t i = 2;
  while (i + 4 <= bytes.size()) {
    if (u8(i) != 0xFF) return std::nullopt;
    unsigned char marker = u8(i + 1);
    size_t length = (u8(i + 2) << 8) | u8(i + 3);
    if (marker == 0xE1 && bytes.substr(i + 4, 4) == "Exif") info.has_exif = true;
    if ((marker >= 0xC0 && marker <= 0xC3) || (marker >= 0xC5 && marker <= 0xCB && marker != 0xC8)) {
      if (i + 9 > bytes.size()) return std::nullopt;
      info.progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA;
      info.height = (u8(i + 5) << 8) | u8(i + 6);
      info.width = (u8(i + 7) << 8) | u8(i + 8);
      return info;
    }
    i += 2 + length;
  }
  return std::nullopt;
}

}  // namespace enhancer::testing
