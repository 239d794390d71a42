// HttpClient: requests to the services this program trusts (AWS, Gemini, the credential
// endpoints), over libcurl. Not for user-supplied URLs: those go through src/fetch, which
// refuses private addresses.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace enhancer {

struct HttpRequest {
  std::string method = "GET";  // GET, PUT, POST, DELETE, HEAD
  std::string url;             // absolute http(s) URL, already percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given, in order
  std::string body;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};  // the whole exchange; longer than any long poll
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;

  // The first header of that (lowercase) name, or "".
  std::string Header(std::string_view lowercase_name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Sends the request and returns whatever status the server answered (a 4xx or 5xx is a
  // response, not an error). Errors are for no answer at all: DeadlineExceeded (timeout),
  // Unavailable (cannot connect, connection reset, DNS failure), Cancelled (`stop` requested).
  // A request that cannot be sent as given (not an http(s) URL, an unknown method, a line break
  // in a header) is InvalidArgument; a TLS certificate the client refuses is FailedPrecondition.
  // Thread-safe.
  virtual Result<HttpResponse> Send(const HttpRequest& request, std::stop_token stop) = 0;
};

// The libcurl client. Reuses connections; thread-safe. Redirects are returned, not followed.
// libcurl's proxy variables (https_proxy, ...) apply, except to loopback and to the link-local
// AWS credential addresses (169.254.169.254, 169.254.170.2, ...), always reached directly.
std::unique_ptr<HttpClient> MakeCurlHttpClient();

}  // namespace enhancer
