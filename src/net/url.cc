#include "net/url.h"

#include <cctype>
#include <charconv>

namespace enhancer {
namespace {

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status Invalid(std::string_view url, std::string_view why) {
  return InvalidArgumentError("URL \"" + std::string(url) + "\" " + std::string(why));
}

}  // namespace

int Url::EffectivePort() const {
  if (port != 0) return port;
  return scheme == "https" ? 443 : 80;
}

std::string Url::Authority() const {
  if (port == 0 || port == (scheme == "https" ? 443 : 80)) return host;
  return host + ":" + std::to_string(port);
}

Result<Url> ParseUrl(std::string_view url) {
  for (char c : url) {
    // Bytes above 0x7f are let through: the signer encodes them, and curl sends them as given.
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      if (c != ' ') return Invalid(url, "contains a control character");
    }
  }
  Url out;
  size_t colon = url.find("://");
  if (colon == std::string_view::npos) return Invalid(url, "is not absolute (no scheme)");
  out.scheme = Lowercase(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") {
    return Invalid(url, "is not http or https");
  }
  std::string_view rest = url.substr(colon + 3);
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return Invalid(url, "carries user info, which is not supported");
  }
  if (authority.find(' ') != std::string_view::npos) return Invalid(url, "has a space in its host");

  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(url, "has an unclosed IPv6 literal");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Invalid(url, "has text after its IPv6 literal");
      port = after.substr(1);
    }
  } else if (size_t c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
  }
  if (host.empty() || host == "[]") return Invalid(url, "has no host");
  out.host = Lowercase(host);
  if (!port.empty()) {
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return Invalid(url, "has an invalid port");
    }
    out.port = value;
  }

  size_t question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  if (out.path.empty()) out.path = "/";
  return out;
}

}  // namespace enhancer
