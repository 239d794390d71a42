// ContentTypeForKey: the media type to serve a stored object with, from its key's extension.
//
// The local store keeps bytes only, so the HTTP layer answers GET /media/<key> with this type.
// Only types that a browser cannot run as a page are named: .html and .svg are served as
// application/octet-stream on purpose, so an uploaded file can never become a script on our origin.
#pragma once

#include <string_view>

namespace enhancer {

// "image/jpeg" for "a/b.JPG", "application/octet-stream" when the extension is unknown or missing.
// Case-insensitive. The returned view points to a static string.
std::string_view ContentTypeForKey(std::string_view key);

}  // namespace enhancer
