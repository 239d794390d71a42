// The raw image URL as the fetcher accepts and shows it: only http and https, and never with the
// credentials a URL may carry (https://user:password@host/...) in a message or log line.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace enhancer {

// OK for "http://..." and "https://..." (scheme in any case). InvalidArgument "unsupported URL
// scheme ..." for any other scheme or none; the message never repeats the URL.
Status CheckImageUrlScheme(std::string_view url);

// `url` without its userinfo: "https://user:pw@host/a.jpg" -> "https://host/a.jpg". Other text is
// returned as it is, so it is safe to call on anything before logging it.
std::string RedactUrl(std::string_view url);

}  // namespace enhancer
