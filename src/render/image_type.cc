#include "render/image_type.h"

namespace enhancer::render {
namespace {

bool StartsWith(std::string_view bytes, std::string_view prefix, size_t at = 0) {
  return bytes.size() >= at + prefix.size() && bytes.substr(at, prefix.size()) == prefix;
}

}  // namespace

std::optional<ImageType> SniffImageType(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (StartsWith(bytes, "\xFF\xD8\xFF"sv)) return ImageType::kJpeg;
  if (StartsWith(bytes, "\x89PNG\r\n\x1A\n"sv)) return ImageType::kPng;
  if (StartsWith(bytes, "GIF87a"sv) || StartsWith(bytes, "GIF89a"sv)) return ImageType::kGif;
  if (StartsWith(bytes, "RIFF"sv) && StartsWith(bytes, "WEBP"sv, 8)) return ImageType::kWebp;
  if (StartsWith(bytes, "II*\0"sv) || StartsWith(bytes, "MM\0*"sv)) return ImageType::kTiff;
  // ISO base media file: a box size, then "ftyp" and the major brand.
  if (StartsWith(bytes, "ftyp"sv, 4) && bytes.size() >= 12) {
    const std::string_view brand = bytes.substr(8, 4);
    if (brand == "avif"sv || brand == "avis"sv) return ImageType::kAvif;
    for (std::string_view heif : {"heic"sv, "heix"sv, "hevc"sv, "hevx"sv, "heim"sv, "heis"sv,
                                  "hevm"sv, "hevs"sv, "mif1"sv, "msf1"sv}) {
      if (brand == heif) return ImageType::kHeif;
    }
  }
  return std::nullopt;
}

std::string_view ImageTypeName(ImageType type) {
  switch (type) {
    case ImageType::kJpeg:
      return "JPEG";
    case ImageType::kPng:
      return "PNG";
    case ImageType::kGif:
      return "GIF";
    case ImageType::kWebp:
      return "WebP";
    case ImageType::kTiff:
      return "TIFF";
    case ImageType::kHeif:
      return "HEIF";
    case ImageType::kAvif:
      return "AVIF";
  }
  return "image";
}

}  // namespace enhancer::render
