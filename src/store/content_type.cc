#include "store/content_type.h"

#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace enhancer {
namespace {

constexpr std::string_view kDefaultContentType = "application/octet-stream";

constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypesByExtension{{
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"png", "image/png"},
    {"webp", "image/webp"},
    {"gif", "image/gif"},
    {"avif", "image/avif"},
    {"heic", "image/heif"},
    {"heif", "image/heif"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"json", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
}};

}  // namespace

std::string_view ContentTypeForKey(std::string_view key) {
  size_t slash = key.rfind('/');
  std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  size_t dot = name.rfind('.');
  // "a/.jpg" is a hidden file named ".jpg", not a JPEG with an empty name: no extension.
  if (dot == std::string_view::npos || dot == 0) return kDefaultContentType;
  std::string extension(name.substr(dot + 1));
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [ext, type] : kTypesByExtension) {
    if (ext == extension) return type;
  }
  return kDefaultContentType;
}

}  // namespace enhancer
