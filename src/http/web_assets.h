// WebAssets: the review page's static files (web/), compiled into the binary so that
// `enhancer serve` works offline, from any folder, with nothing to install beside it.
#pragma once

#include <optional>
#include <string_view>

namespace enhancer {

struct WebAsset {
  std::string_view bytes;
  std::string_view content_type;
};

// The asset served at `path` ("/" is "/index.html"), or nullopt.
std::optional<WebAsset> FindWebAsset(std::string_view path);

}  // namespace enhancer
