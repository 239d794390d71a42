#include "fetch/image_type.h"

#include <array>
#include <cctype>
#include <cstdint>

namespace enhancer {
namespace {

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

// Case-insensitive prefix test for ASCII markup.
bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

uint32_t ReadBigEndian32(std::string_view bytes, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
}

std::optional<ImageType> BrandType(std::string_view brand) {
  if (brand == "avif" || brand == "avis") return ImageType::kAvif;
  constexpr std::array<std::string_view, 8> kHeifBrands = {"heic", "heix", "hevc", "hevx",
                                                           "heim", "heis", "hevm", "hevs"};
  for (std::string_view heif : kHeifBrands) {
    if (brand == heif) return ImageType::kHeif;
  }
  return std::nullopt;
}

// HEIF and AVIF are ISO base media files: a "ftyp" box whose major brand, or for the generic
// "mif1"/"msf1" brands one of the compatible brands, names the codec.
std::optional<ImageType> SniffIsoMedia(std::string_view bytes) {
  if (bytes.size() < 16 || bytes.substr(4, 4) != "ftyp") return std::nullopt;
  std::string_view major = bytes.substr(8, 4);
  if (std::optional<ImageType> type = BrandType(major)) return type;
  if (major != "mif1" && major != "msf1") return std::nullopt;
  size_t box_end = std::min<size_t>(ReadBigEndian32(bytes, 0), bytes.size());
  // Compatible brands follow the major brand and the 4-byte minor version.
  for (size_t at = 16; at + 4 <= box_end; at += 4) {
    if (std::optional<ImageType> type = BrandType(bytes.substr(at, 4))) return type;
  }
  return ImageType::kHeif;
}

// Tags after which the WHATWG MIME sniffing algorithm decides "text/html".
constexpr std::array<std::string_view, 16> kHtmlTags = {
    "<!doctype html", "<html", "<head",  "<script", "<iframe", "<h1",   "<div", "<font",
    "<table",         "<a",    "<style", "<title",  "<b",      "<body", "<br",  "<p"};

bool IsTagEnd(std::string_view text, size_t at) {
  return at >= text.size() || text[at] == ' ' || text[at] == '>' || text[at] == '\t' ||
         text[at] == '\n' || text[at] == '\r';
}

}  // namespace

std::optional<ImageType> SniffImageType(std::string_view bytes) {
  if (StartsWith(bytes, "\xff\xd8\xff")) return ImageType::kJpeg;
  if (StartsWith(bytes, "\x89PNG\r\n\x1a\n")) return ImageType::kPng;
  if (StartsWith(bytes, "GIF87a") || StartsWith(bytes, "GIF89a")) return ImageType::kGif;
  if (bytes.size() >= 12 && StartsWith(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP") {
    return ImageType::kWebp;
  }
  // Classic TIFF (42) and BigTIFF (43), in both byte orders.
  if (StartsWith(bytes, std::string_view("II*\0", 4)) ||
      StartsWith(bytes, std::string_view("MM\0*", 4)) ||
      StartsWith(bytes, std::string_view("II+\0", 4)) ||
      StartsWith(bytes, std::string_view("MM\0+", 4))) {
    return ImageType::kTiff;
  }
  return SniffIsoMedia(bytes);
}

std::string_view ImageTypeName(ImageType type) {
  switch (type) {
    case ImageType::kJpeg: return "jpeg";
    case ImageType::kPng: return "png";
    case ImageType::kGif: return "gif";
    case ImageType::kWebp: return "webp";
    case ImageType::kTiff: return "tiff";
    case ImageType::kHeif: return "heif";
    case ImageType::kAvif: return "avif";
  }
  return "unknown";
}

std::string_view ImageTypeMime(ImageType type) {
  switch (type) {
    case ImageType::kJpeg: return "image/jpeg";
    case ImageType::kPng: return "image/png";
    case ImageType::kGif: return "image/gif";
    case ImageType::kWebp: return "image/webp";
    case ImageType::kTiff: return "image/tiff";
    case ImageType::kHeif: return "image/heif";
    case ImageType::kAvif: return "image/avif";
  }
  return "application/octet-stream";
}

std::string_view GuessNonImageKind(std::string_view bytes) {
  std::string_view text = bytes.substr(0, 1024);
  if (StartsWith(text, "\xef\xbb\xbf")) text.remove_prefix(3);  // UTF-8 byte order mark
  size_t first = text.find_first_not_of(" \t\r\n\f");
  if (first == std::string_view::npos) return text.empty() ? "" : "text";
  text.remove_prefix(first);

  for (std::string_view tag : kHtmlTags) {
    if (StartsWithNoCase(text, tag) && IsTagEnd(text, tag.size())) return "HTML";
  }
  if (StartsWith(text, "<!--")) return "HTML";
  if (StartsWithNoCase(text, "<svg") && IsTagEnd(text, 4)) return "SVG";
  if (StartsWithNoCase(text, "<?xml")) {
    return text.find("<svg") != std::string_view::npos ? "SVG" : "XML";
  }
  if (text[0] == '{' || text[0] == '[') return "JSON";
  // Printable ASCII and UTF-8 only: text of some kind.
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return "";
    if (u == 0x7f) return "";
  }
  return "text";
}

}  // namespace enhancer
