// GeminiEndpoint: the Gemini REST service at a base URL, and the one place that puts the API key
// on a request: in the x-goog-api-key header, never in the URL (URLs end up in logs).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"
#include "net/http_client.h"

namespace enhancer {

inline constexpr std::string_view kGeminiDefaultBaseUrl =
    "https://generativelanguage.googleapis.com";

class GeminiEndpoint {
 public:
  // `base_url` is an absolute http(s) URL (a trailing slash is dropped); see
  // ValidateGeminiBaseUrl. `api_key` is the secret sent with every request.
  GeminiEndpoint(std::string_view base_url, std::string api_key);

  // GET {base}/v1beta/{path}; `path` is already percent-encoded and may carry a query.
  HttpRequest Get(std::string_view path, std::chrono::milliseconds timeout) const;
  // POST {base}/v1beta/{path} with a JSON body.
  HttpRequest Post(std::string_view path, std::string body,
                   std::chrono::milliseconds timeout) const;

  // For redacting error messages; never log it.
  const std::string& api_key() const { return api_key_; }
  const std::string& base_url() const { return base_url_; }

 private:
  HttpRequest Request(std::string method, std::string_view path,
                      std::chrono::milliseconds timeout) const;

  std::string base_url_;
  std::string api_key_;
};

// InvalidArgument unless `url` is an absolute http(s) URL with a host and no query or fragment.
Status ValidateGeminiBaseUrl(std::string_view url);

// InvalidArgument for an empty key or one holding a space or control character (it goes into a
// header as it is). The message never quotes the key.
Status ValidateGeminiApiKey(std::string_view api_key);

// "models/gemini-2.5-flash" -> "gemini-2.5-flash"; other names unchanged.
std::string_view StripModelsPrefix(std::string_view model);

// InvalidArgument unless `model` (without "models/") is 1-128 characters of [A-Za-z0-9._-]: it
// goes into a URL path as it is.
Status ValidateGeminiModelName(std::string_view model);

// Percent-encodes everything but RFC 3986 unreserved characters (for query values).
std::string PercentEncode(std::string_view text);

}  // namespace enhancer
