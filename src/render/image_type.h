// ImageType: the encoded formats the renderer accepts, recognised by their magic bytes.
//
// Only these ever reach libvips: it can load much more (SVG, PDF, matrix, CSV, ...), and content
// from the network must not choose among those.
#pragma once

#include <optional>
#include <string_view>

namespace enhancer::render {

enum class ImageType { kJpeg, kPng, kGif, kWebp, kTiff, kHeif, kAvif };

// The type `bytes` starts like, or nullopt. Looks at the first 32 bytes at most.
std::optional<ImageType> SniffImageType(std::string_view bytes);

// "JPEG", "PNG", ...: for messages.
std::string_view ImageTypeName(ImageType type);

}  // namespace enhancer::render
