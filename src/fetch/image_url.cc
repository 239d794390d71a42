#include "fetch/image_url.h"

#include <cctype>

namespace enhancer {
namespace {

constexpr std::string_view kAllowedSchemes = "(only http and https are allowed)";

bool IsSchemeChar(char c, bool first) {
  unsigned char u = static_cast<unsigned char>(c);
  if (std::isalpha(u)) return true;
  return !first && (std::isdigit(u) || c == '+' || c == '-' || c == '.');
}

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

Status CheckImageUrlScheme(std::string_view url) {
  size_t colon = url.find(':');
  bool has_scheme = colon != std::string_view::npos && colon > 0;
  for (size_t i = 0; has_scheme && i < colon; ++i) has_scheme = IsSchemeChar(url[i], i == 0);
  if (!has_scheme) {
    return InvalidArgumentError("unsupported URL scheme: the URL has none " +
                                std::string(kAllowedSchemes));
  }
  std::string scheme = Lowercase(url.substr(0, colon));
  if (scheme == "http" || scheme == "https") {
    if (url.substr(colon + 1, 2) == "//") return OkStatus();
    return InvalidArgumentError("malformed URL: expected " + scheme + ":// and a host");
  }
  // A scheme is a short token of safe characters, so naming it cannot leak credentials.
  return InvalidArgumentError("unsupported URL scheme \"" + scheme + "\" " +
                              std::string(kAllowedSchemes));
}

std::string RedactUrl(std::string_view url) {
  size_t separator = url.find("://");
  size_t authority = separator == std::string_view::npos ? 0 : separator + 3;
  size_t authority_end = url.find_first_of("/?#", authority);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  // The last '@' ends the userinfo: a password may itself contain '@'.
  size_t at = url.substr(authority, authority_end - authority).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority)) + std::string(url.substr(authority + at + 1));
}

}  // namespace enhancer
