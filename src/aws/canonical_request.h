// The SigV4 canonical request: the one spelling of an HTTP request that the signer and AWS both
// hash. Each part has its own function so tests can pin the rules one by one.
//
//   METHOD \n canonical URI \n canonical query \n canonical headers \n signed headers \n
//   payload hash
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace enhancer {

// How the path becomes the canonical URI.
enum class PathRule {
  // Every service but S3: dot segments removed and repeated slashes collapsed, then every byte
  // outside the unreserved set encoded, '%' included: a path sent as "/a%20b" is signed as
  // "/a%2520b" (AWS calls this double encoding; the services expect it).
  kNormalizeAndEncode,
  // The same encoding, without the normalisation (aws-c-auth's `normalize: false` vectors).
  kEncodeOnly,
  // S3: the path is signed as sent, neither normalised nor encoded again ("a//b" stays; "%24"
  // stays "%24"). Bytes that cannot stand in a canonical URI (anything outside the unreserved
  // set, '/' and a %XX escape) are encoded, as S3 itself does with them; escapes get uppercase hex.
  kAsSent,
};

// `path` is the URL's path as on the wire ("/" when empty).
std::string CanonicalUri(std::string_view path, PathRule rule);

// Removes "." and ".." segments and empty segments; keeps the leading slash, and a trailing one
// when the path had it: "//a/./b/../c//" -> "/a/c/".
std::string NormalizePath(std::string_view path);

// `query` is the URL's query as on the wire, without '?'. Each name and value is decoded and
// re-encoded with the unreserved set, then the pairs are sorted by name, then by value, in byte
// order. A name without '=' gets an empty value ("lifecycle" -> "lifecycle="); '+' is a plus.
std::string CanonicalQuery(std::string_view query);

// "  a \t  b  " -> "a b": trimmed, inner runs of white space (line folds included) collapsed.
// Double quotes get no special treatment, as AWS specifies.
std::string CanonicalHeaderValue(std::string_view value);

// Headers a signer leaves out even when present: the signature itself, and headers that
// proxies and HTTP stacks add, drop or rewrite (user-agent, expect, x-amzn-trace-id,
// transfer-encoding, connection). `lowercase_name` must be lowercase.
bool IsUnsignedHeader(std::string_view lowercase_name);

struct CanonicalHeaders {
  std::string block;           // "name:value\n" per name, sorted; values of a repeated name
                               // joined with ',' in request order
  std::string signed_headers;  // "host;x-amz-date"
};
CanonicalHeaders CanonicalizeHeaders(
    const std::vector<std::pair<std::string, std::string>>& headers);

// The whole canonical request, lines joined with '\n'.
std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, const CanonicalHeaders& headers,
                             std::string_view payload_hash);

}  // namespace enhancer
