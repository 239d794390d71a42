// ImageType: what a photo is, decided from its first bytes (magic numbers), never from a
// Content-Type header or a file name, which the sender controls.
//
// Only types the renderer can decode are recognised. SVG is deliberately not an image here: it is
// a document that can carry scripts and external references.
#pragma once

#include <optional>
#include <string_view>

namespace enhancer {

enum class ImageType { kJpeg, kPng, kGif, kWebp, kTiff, kHeif, kAvif };

// The type `bytes` starts like, or nullopt. Looks at most at the first few dozen bytes.
std::optional<ImageType> SniffImageType(std::string_view bytes);

// "jpeg", "png", "gif", "webp", "tiff", "heif", "avif".
std::string_view ImageTypeName(ImageType type);

// "image/jpeg", "image/png", ...
std::string_view ImageTypeMime(ImageType type);

// For bytes that are not an image: what they look like, for an error message ("HTML", "SVG",
// "XML", "JSON", "text"), or an empty view when nothing is recognised.
//   "not an image (looks like HTML)"
std::string_view GuessNonImageKind(std::string_view bytes);

}  // namespace enhancer
