#include "fetch/photo_fetcher.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <cassert>
#include <memory>
#include <mutex>
#include <optional>

#include "fetch/image_url.h"
#include "fetch/ip_address.h"

namespace enhancer {
namespace {

constexpr int kMaxRedirectsLimit = 20;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Everything the callbacks of one transfer share. Lives on the stack of Fetch().
struct Transfer {
  CURL* curl = nullptr;
  const AddressPolicy* policy = nullptr;
  int64_t max_bytes = 0;
  std::stop_token stop;

  std::string body;
  int64_t received = 0;           // all body bytes seen, kept or not
  bool over_limit = false;        // the write callback stopped the transfer at max_bytes
  bool cancelled = false;         // the progress callback stopped it for `stop`
  std::optional<Status> refusal;  // the first address the policy refused
};

// Called for every connection curl opens, with the address it is about to connect to: after DNS,
// for every redirect and every address tried. Refusing here means no packet is ever sent.
curl_socket_t OpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(user);
  std::optional<IpAddress> ip = IpAddress::FromSockaddr(&address->addr, address->addrlen);
  Status allowed = OkStatus();
  if (purpose != CURLSOCKTYPE_IPCXN || !ip) {
    allowed = InvalidArgumentError("refusing a connection that is not to an IP address");
  } else {
    allowed = transfer->policy->Check(*ip);
  }
  if (!allowed.ok()) {
    if (!transfer->refusal) transfer->refusal = allowed;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t length = size * count;
  if (transfer->received + static_cast<int64_t>(length) > transfer->max_bytes) {
    transfer->over_limit = true;
    return CURL_WRITEFUNC_ERROR;
  }
  transfer->received += static_cast<int64_t>(length);
  long http_code = 0;
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &http_code);
  // Error pages are read (within the limit) but not kept: only the status code matters.
  if (http_code >= 200 && http_code < 300) transfer->body.append(data, length);
  return length;
}

// Called at least about once a second, also while nothing arrives.
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->stop.stop_requested()) {
    transfer->cancelled = true;
    return 1;
  }
  return 0;
}

// Removes the URL's credentials from `message`, should curl have repeated any part of them. A
// user name or password shorter than 4 bytes is only removed as part of the whole userinfo, so
// that a one-letter name does not blank out every such letter of the message.
std::string ScrubCredentials(std::string message, std::string_view url) {
  constexpr size_t kMinScrubbedPart = 4;
  size_t separator = url.find("://");
  size_t authority = separator == std::string_view::npos ? 0 : separator + 3;
  size_t authority_end = url.find_first_of("/?#", authority);
  std::string_view host_part =
      url.substr(authority, authority_end == std::string_view::npos ? std::string_view::npos
                                                                    : authority_end - authority);
  size_t at = host_part.rfind('@');
  if (at == std::string_view::npos) return message;
  std::string_view userinfo = host_part.substr(0, at);
  size_t colon = userinfo.find(':');
  std::string_view user = userinfo.substr(0, colon);
  std::string_view password = colon == std::string_view::npos ? "" : userinfo.substr(colon + 1);
  for (std::string_view secret : {userinfo, password, user}) {
    if (secret.empty() || (secret != userinfo && secret.size() < kMinScrubbedPart)) continue;
    for (size_t pos = message.find(secret); pos != std::string::npos;
         pos = message.find(secret, pos + 3)) {
      message.replace(pos, secret.size(), "***");
    }
  }
  return message;
}

Status HttpStatusError(long code, const std::string& url) {
  std::string message = "image URL answered HTTP " + std::to_string(code) + " (" + url + ")";
  if (code == 404 || code == 410) return NotFoundError(std::move(message));
  if (code == 408 || code == 429 || code >= 500) return UnavailableError(std::move(message));
  return InvalidArgumentError(std::move(message));
}

Status LargerThanLimit(int64_t max_bytes) {
  return InvalidArgumentError("image is larger than the limit of " + std::to_string(max_bytes) +
                              " bytes");
}

// The code for a transfer that curl ended with `code`, for the cases not decided before.
Status CurlError(CURLcode code, const std::string& detail, int max_redirects) {
  std::string message = detail.empty() ? curl_easy_strerror(code) : detail;
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
      // The URL itself was checked before, so this is where a redirect pointed.
      return InvalidArgumentError(
          "unsupported URL scheme in a redirect (only http and https are allowed): " + message);
    case CURLE_URL_MALFORMAT: return InvalidArgumentError("malformed URL: " + message);
    case CURLE_TOO_MANY_REDIRECTS:
      return InvalidArgumentError("too many redirects (more than " + std::to_string(max_redirects) +
                                  ")");
    case CURLE_OPERATION_TIMEDOUT:
      return DeadlineExceededError("image download timed out: " + message);
    case CURLE_PEER_FAILED_VERIFICATION:
      return InvalidArgumentError("the server's TLS certificate could not be verified: " + message);
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
      return InvalidArgumentError("the server's answer is not valid HTTP: " + message);
    case CURLE_OUT_OF_MEMORY: return ResourceExhaustedError("image download: " + message);
    case CURLE_ABORTED_BY_CALLBACK: return CancelledError("image download cancelled");
    default:
      // Resolution, connection, TLS handshake and transfer errors: the network may recover.
      return UnavailableError("image download failed: " + message);
  }
}

struct CurlCleanup {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistCleanup {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

Status FetchOptions::Validate() const {
  if (max_bytes <= 0) return InvalidArgumentError("max_bytes must be positive");
  if (connect_timeout.count() <= 0) return InvalidArgumentError("connect_timeout must be positive");
  if (total_timeout.count() <= 0) return InvalidArgumentError("total_timeout must be positive");
  if (max_redirects < 0 || max_redirects > kMaxRedirectsLimit) {
    return InvalidArgumentError("max_redirects must be 0 to " + std::to_string(kMaxRedirectsLimit));
  }
  if (user_agent.empty()) return InvalidArgumentError("user_agent must not be empty");
  return OkStatus();
}

PhotoFetcher::PhotoFetcher(FetchOptions options)
    : options_(std::move(options)), policy_(options_.allowed_networks) {
  assert(options_.Validate().ok());
  InitCurlOnce();
}

Result<FetchedPhoto> PhotoFetcher::Fetch(std::string_view url, std::stop_token stop) const {
  ENHANCER_RETURN_IF_ERROR(CheckImageUrlScheme(url));
  if (stop.stop_requested()) return CancelledError("image download cancelled");

  std::unique_ptr<CURL, CurlCleanup> curl(curl_easy_init());
  if (!curl) return InternalError("curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistCleanup> headers(curl_slist_append(nullptr, "Accept: image/*"));

  Transfer transfer;
  transfer.curl = curl.get();
  transfer.policy = &policy_;
  transfer.max_bytes = options_.max_bytes;
  transfer.stop = stop;
  char error_buffer[CURL_ERROR_SIZE] = {};
  const std::string url_text(url);

  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url_text.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, static_cast<long>(options_.max_redirects));
  // An explicit empty proxy overrides http_proxy and friends: through a proxy, the socket would
  // go to the proxy and the address policy would judge the wrong address.
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &OpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  // Refuses at once when Content-Length announces more; the write callback covers the rest.
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  // Signals are process-wide; without this curl may use them for DNS timeouts in threads.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);

  const CURLcode code = curl_easy_perform(c);

  long http_code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http_code);
  char* effective_url = nullptr;
  curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective_url);
  const std::string final_url = RedactUrl(effective_url != nullptr ? effective_url : url_text);
  const std::string detail = ScrubCredentials(error_buffer, url);
  const bool http_ok = http_code >= 200 && http_code < 300;

  if (transfer.cancelled || code == CURLE_ABORTED_BY_CALLBACK) {
    return CancelledError("image download cancelled");
  }
  if (code == CURLE_COULDNT_CONNECT && transfer.refusal) return *transfer.refusal;
  if (code == CURLE_FILESIZE_EXCEEDED || (code == CURLE_WRITE_ERROR && transfer.over_limit)) {
    // An error page larger than the limit is still reported by its status.
    if (http_code != 0 && !http_ok) return HttpStatusError(http_code, final_url);
    return LargerThanLimit(options_.max_bytes);
  }
  if (code != CURLE_OK) return CurlError(code, detail, options_.max_redirects);
  if (!http_ok) return HttpStatusError(http_code, final_url);

  if (transfer.body.empty()) return InvalidArgumentError("empty response (" + final_url + ")");
  std::optional<ImageType> type = SniffImageType(transfer.body);
  if (!type) {
    std::string_view kind = GuessNonImageKind(transfer.body);
    return InvalidArgumentError(kind.empty()
                                    ? "not an image (unrecognised format)"
                                    : "not an image (looks like " + std::string(kind) + ")");
  }
  FetchedPhoto photo;
  photo.bytes = std::move(transfer.body);
  photo.type = *type;
  photo.content_type = std::string(ImageTypeMime(*type));
  photo.final_url = final_url;
  return photo;
}

}  // namespace enhancer
