#include "plan/gemini_endpoint.h"

#include <cctype>
#include <utility>

#include "net/url.h"

namespace enhancer {
namespace {

constexpr size_t kMaxModelNameBytes = 128;
constexpr std::string_view kApiVersion = "/v1beta/";

bool Unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

}  // namespace

GeminiEndpoint::GeminiEndpoint(std::string_view base_url, std::string api_key)
    : base_url_(base_url), api_key_(std::move(api_key)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

HttpRequest GeminiEndpoint::Request(std::string method, std::string_view path,
                                    std::chrono::milliseconds timeout) const {
  HttpRequest request;
  request.method = std::move(method);
  request.url = base_url_ + std::string(kApiVersion) + std::string(path);
  request.headers.emplace_back("x-goog-api-key", api_key_);
  request.timeout = timeout;
  return request;
}

HttpRequest GeminiEndpoint::Get(std::string_view path, std::chrono::milliseconds timeout) const {
  return Request("GET", path, timeout);
}

HttpRequest GeminiEndpoint::Post(std::string_view path, std::string body,
                                 std::chrono::milliseconds timeout) const {
  HttpRequest request = Request("POST", path, timeout);
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::move(body);
  return request;
}

Status ValidateGeminiBaseUrl(std::string_view url) {
  Result<Url> parsed = ParseUrl(url);
  if (!parsed) {
    return InvalidArgumentError("Gemini base URL \"" + std::string(url) +
                                "\" is not an absolute http(s) URL");
  }
  if (!parsed->query.empty() || url.find('#') != std::string_view::npos) {
    return InvalidArgumentError("Gemini base URL \"" + std::string(url) +
                                "\" must not carry a query or fragment");
  }
  return OkStatus();
}

Status ValidateGeminiApiKey(std::string_view api_key) {
  if (api_key.empty()) return InvalidArgumentError("the Gemini API key is empty");
  for (char c : api_key) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) {
      return InvalidArgumentError("the Gemini API key holds a space or control character");
    }
  }
  return OkStatus();
}

std::string_view StripModelsPrefix(std::string_view model) {
  constexpr std::string_view kPrefix = "models/";
  if (model.substr(0, kPrefix.size()) == kPrefix) model.remove_prefix(kPrefix.size());
  return model;
}

Status ValidateGeminiModelName(std::string_view model) {
  bool ok = !model.empty() && model.size() <= kMaxModelNameBytes;
  for (char c : model) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
      ok = false;
    }
  }
  if (!ok) {
    return InvalidArgumentError("Gemini model name \"" + std::string(model.substr(0, 200)) +
                                "\" is not valid: use a name such as gemini-flash-latest");
  }
  return OkStatus();
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (Unreserved(c)) {
      out += c;
    } else {
      const unsigned char u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace enhancer
