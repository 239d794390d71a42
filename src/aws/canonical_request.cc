#include "aws/canonical_request.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "aws/uri_encode.h"

namespace enhancer {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string EncodeAsSent(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    auto c = static_cast<unsigned char>(path[i]);
    if (c == '%' && i + 2 < path.size() && IsHexDigit(path[i + 1]) && IsHexDigit(path[i + 2])) {
      out.push_back('%');
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(path[i + 1]))));
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(path[i + 2]))));
      i += 2;
    } else if (IsUnreserved(c) || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> kept;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (!segment.empty() && segment != ".") {
      kept.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(kept[i]);
  }
  if (!kept.empty() && !path.empty() && path.back() == '/') out.push_back('/');
  return out;
}

std::string CanonicalUri(std::string_view path, PathRule rule) {
  if (path.empty()) return "/";
  switch (rule) {
    case PathRule::kNormalizeAndEncode:
      return UriEncode(NormalizePath(path), /*keep_slash=*/true);
    case PathRule::kEncodeOnly:
      return UriEncode(path, /*keep_slash=*/true);
    case PathRule::kAsSent:
      return EncodeAsSent(path);
  }
  return "/";
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view part = query.substr(start, end - start);
    if (!part.empty()) {
      size_t equals = part.find('=');
      std::string_view name = part.substr(0, equals);
      std::string_view value =
          equals == std::string_view::npos ? std::string_view() : part.substr(equals + 1);
      pairs.emplace_back(UriEncode(UriDecode(name)), UriEncode(UriDecode(value)));
    }
    start = end + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(name).append("=").append(value);
  }
  return out;
}

std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

bool IsUnsignedHeader(std::string_view lowercase_name) {
  return lowercase_name == "authorization" || lowercase_name == "user-agent" ||
         lowercase_name == "expect" || lowercase_name == "x-amzn-trace-id" ||
         lowercase_name == "transfer-encoding" || lowercase_name == "connection";
}

CanonicalHeaders CanonicalizeHeaders(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::map<std::string, std::string> joined;  // sorted by lowercase name
  for (const auto& [name, value] : headers) {
    std::string lower = Lowercase(name);
    if (IsUnsignedHeader(lower)) continue;
    auto [it, inserted] = joined.try_emplace(lower, CanonicalHeaderValue(value));
    if (!inserted) it->second.append(",").append(CanonicalHeaderValue(value));
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : joined) {
    out.block.append(name).append(":").append(value).append("\n");
    if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
    out.signed_headers.append(name);
  }
  return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, const CanonicalHeaders& headers,
                             std::string_view payload_hash) {
  std::string out;
  out.append(method).append("\n");
  out.append(canonical_uri).append("\n");
  out.append(canonical_query).append("\n");
  out.append(headers.block).append("\n");
  out.append(headers.signed_headers).append("\n");
  out.append(payload_hash);
  return out;
}

}  // namespace enhancer
