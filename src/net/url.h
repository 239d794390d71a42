// Url: the parts of an absolute http(s) URL, split without decoding anything, so a signer sees
// the path and query exactly as they go on the wire.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace enhancer {

struct Url {
  std::string scheme;  // "http" or "https", lowercased
  std::string host;    // lowercased; an IPv6 literal keeps its brackets: "[::1]"
  int port = 0;        // 0 when the URL names none
  std::string path;    // as written; "/" when the URL has none
  std::string query;   // what follows '?', without it; the fragment is dropped

  // The port a connection uses: `port`, or 80 / 443 by scheme.
  int EffectivePort() const;
  // host, plus ":port" when the URL names a port other than the scheme's default: the value of
  // the Host header.
  std::string Authority() const;
};

// Splits `url`. InvalidArgument for anything but an absolute http(s) URL with a host (no user
// info, a port from 1 to 65535, no control characters). A raw space or UTF-8 byte in the path or
// query is let through: the SigV4 test vectors write targets that way, and the signer encodes
// them (HttpClient itself refuses a space).
Result<Url> ParseUrl(std::string_view url);

}  // namespace enhancer
