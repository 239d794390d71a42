// URI encoding as SigV4 defines it: every byte except the RFC 3986 unreserved set
// (A-Z a-z 0-9 - . _ ~) becomes %XX with uppercase hex. Callers that build AWS URLs (queue and
// store keys, query values) use these too, so the URL they send is the one the signer expects.
#pragma once

#include <string>
#include <string_view>

namespace enhancer {

// "a b/c+d" -> "a%20b%2Fc%2Bd"; with keep_slash, "a%20b/c%2Bd" (for object keys in paths).
std::string UriEncode(std::string_view bytes, bool keep_slash = false);

// "%41%2f+" -> "A/+": %XX sequences (either case) become their byte; a '%' that does not start
// one stays as it is; '+' stays a plus (AWS reads it so in a path, and callers encode spaces as
// %20 in queries).
std::string UriDecode(std::string_view text);

// True for A-Z a-z 0-9 - . _ ~.
bool IsUnreserved(unsigned char c);

}  // namespace enhancer
