// CurlHttpClient: HttpClient on libcurl.
//
// Each call borrows a (multi, easy) handle pair from a small pool, so connections stay open
// between calls without two threads ever touching one handle. The pairs share one curl share
// handle for the DNS and TLS-session caches; connections themselves are not shared, because
// libcurl documents sharing its connection cache across concurrent threads as unsafe.
// Transfers run through the multi interface so that a stop request wakes the wait at once
// (curl_multi_wakeup) instead of at the next progress tick.
#include <curl/curl.h>

#include <array>
#include <cctype>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "net/http_client.h"
#include "net/url.h"

namespace enhancer {
namespace {

// Idle handle pairs kept for reuse; more concurrent calls than this still work, their handles
// are just closed afterwards.
constexpr size_t kMaxIdleHandles = 16;
// Upper bound on one wait inside the transfer loop; curl usually asks for less.
constexpr int kPollMillis = 1000;
// Hosts never reached through a proxy, whatever the proxy variables say: loopback, and the
// link-local addresses of the EC2 metadata service and the container credential agents (a proxy
// there would answer for another machine, or see a credentials token).
constexpr char kNoProxyHosts[] =
    "localhost,127.0.0.1,::1,169.254.169.254,169.254.170.2,169.254.170.23,fd00:ec2::254,"
    "fd00:ec2::23";

std::once_flag g_curl_global_init;

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The URL without its query: presigned query strings carry session tokens, which must not
// reach error messages or logs.
std::string RedactedUrl(const std::string& url) { return url.substr(0, url.find('?')); }

Status StatusFromCurl(CURLcode code, const HttpRequest& request, const char* detail) {
  std::string message =
      request.method + " " + RedactedUrl(request.url) + ": " + curl_easy_strerror(code);
  if (detail != nullptr && detail[0] != '\0') message += std::string(" (") + detail + ")";
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return DeadlineExceededError(std::move(message));
    case CURLE_ABORTED_BY_CALLBACK:
      return CancelledError(std::move(message));
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return InvalidArgumentError(std::move(message));
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return FailedPreconditionError(std::move(message));
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
      return InternalError(std::move(message));
    default:
      // Resolve and connect failures, resets, empty or garbled replies (CURLE_UNSUPPORTED_
      // PROTOCOL included: the URL's scheme was checked, so it means an HTTP/0.9 answer), TLS
      // handshake errors: no answer this time, maybe one the next.
      return UnavailableError(std::move(message));
  }
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new status line: what came before belonged to an interim (1xx) response.
    headers->clear();
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    headers->emplace_back(Lowercase(Trim(line.substr(0, colon))),
                          std::string(Trim(line.substr(colon + 1))));
  }
  return size * count;
}

Status CheckRequest(const HttpRequest& request) {
  static constexpr std::array<std::string_view, 6> kMethods = {"GET",  "HEAD",   "PUT",
                                                               "POST", "DELETE", "PATCH"};
  bool known = false;
  for (std::string_view m : kMethods) known = known || request.method == m;
  if (!known) return InvalidArgumentError("unsupported HTTP method \"" + request.method + "\"");
  Result<Url> url = ParseUrl(request.url);
  if (!url) return url.error();
  if (request.url.find(' ') != std::string::npos) {
    return InvalidArgumentError("URL " + RedactedUrl(request.url) + " contains a space");
  }
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || name.find_first_of(std::string_view(":\r\n\0 ", 5)) != std::string::npos) {
      return InvalidArgumentError("invalid header name \"" + name + "\"");
    }
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return InvalidArgumentError("header " + name + " has a line break in its value");
    }
  }
  return OkStatus();
}

// One multi handle with its one easy handle; the multi handle holds the connection cache.
struct HandlePair {
  CURLM* multi = nullptr;
  CURL* easy = nullptr;
  HandlePair() : multi(curl_multi_init()), easy(curl_easy_init()) {}
  ~HandlePair() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }
  HandlePair(const HandlePair&) = delete;
  HandlePair& operator=(const HandlePair&) = delete;
};

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient() : share_(curl_share_init()) {
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlHttpClient::Lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlHttpClient::Unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~CurlHttpClient() override {
    idle_.clear();  // every easy handle must be gone before the share handle
    curl_share_cleanup(share_);
  }

  Result<HttpResponse> Send(const HttpRequest& request, std::stop_token stop) override {
    ENHANCER_RETURN_IF_ERROR(CheckRequest(request));
    if (stop.stop_requested()) {
      return CancelledError(request.method + " " + RedactedUrl(request.url) + ": cancelled");
    }
    std::unique_ptr<HandlePair> handles = Acquire();
    if (handles->multi == nullptr || handles->easy == nullptr) {
      return InternalError("libcurl could not create a handle");
    }
    Result<HttpResponse> result = Perform(*handles, request, stop);
    Release(std::move(handles));
    return result;
  }

 private:
  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<CurlHttpClient*>(user)->share_locks_[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<CurlHttpClient*>(user)->share_locks_[data].unlock();
  }

  std::unique_ptr<HandlePair> Acquire() {
    {
      std::lock_guard lock(pool_mu_);
      if (!idle_.empty()) {
        std::unique_ptr<HandlePair> handles = std::move(idle_.back());
        idle_.pop_back();
        return handles;
      }
    }
    return std::make_unique<HandlePair>();
  }

  void Release(std::unique_ptr<HandlePair> handles) {
    std::lock_guard lock(pool_mu_);
    if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handles));
  }

  Result<HttpResponse> Perform(HandlePair& handles, const HttpRequest& request,
                               std::stop_token stop) {
    CURL* easy = handles.easy;
    curl_easy_reset(easy);
    HttpResponse response;
    char error_detail[CURL_ERROR_SIZE] = {0};

    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_SHARE, share_);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_NOPROXY, kNoProxyHosts);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(request.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_detail);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &response.headers);

    bool sends_body = !request.body.empty() || request.method == "POST" ||
                      request.method == "PUT" || request.method == "PATCH";
    if (request.method == "GET" && request.body.empty()) {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
      sends_body = false;
    } else {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (sends_body) {
      // POSTFIELDS sends the bytes as they are with a Content-Length, for any method given in
      // CUSTOMREQUEST; the buffer is not copied and outlives the transfer.
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    }

    curl_slist* list = nullptr;
    bool has_content_type = false;
    for (const auto& [name, value] : request.headers) {
      has_content_type = has_content_type || Lowercase(name) == "content-type";
      // "Name;" is libcurl's spelling of a header with an empty value.
      std::string line = value.empty() ? name + ";" : name + ": " + value;
      list = curl_slist_append(list, line.c_str());
    }
    // "Expect: 100-continue" costs a round trip, and some S3-compatible servers mishandle it.
    list = curl_slist_append(list, "Expect:");
    // Without this, libcurl labels every body as a form.
    if (sends_body && !has_content_type) list = curl_slist_append(list, "Content-Type:");
    std::unique_ptr<curl_slist, CurlSlistDeleter> header_list(list);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_list.get());

    CURLcode code = CURLE_OK;
    bool cancelled = false;
    CURLMcode multi_code = curl_multi_add_handle(handles.multi, easy);
    if (multi_code != CURLM_OK) {
      curl_easy_reset(easy);  // drops the pointers into this call's buffers
      return InternalError(std::string("libcurl: ") + curl_multi_strerror(multi_code));
    }
    {
      CURLM* multi = handles.multi;
      std::stop_callback wake(stop, [multi] { curl_multi_wakeup(multi); });
      int running = 1;
      while (multi_code == CURLM_OK) {
        multi_code = curl_multi_perform(multi, &running);
        if (multi_code != CURLM_OK || running == 0) break;
        if (stop.stop_requested()) {
          cancelled = true;
          break;
        }
        multi_code = curl_multi_poll(multi, nullptr, 0, kPollMillis, nullptr);
      }
      int pending = 0;
      while (CURLMsg* message = curl_multi_info_read(multi, &pending)) {
        if (message->msg == CURLMSG_DONE && message->easy_handle == easy) {
          code = message->data.result;
        }
      }
    }
    curl_multi_remove_handle(handles.multi, easy);
    // The handle must not keep pointers into this call's buffers.
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);

    if (cancelled) {
      return CancelledError(request.method + " " + RedactedUrl(request.url) + ": cancelled");
    }
    if (multi_code != CURLM_OK) {
      return InternalError(std::string("libcurl: ") + curl_multi_strerror(multi_code));
    }
    if (code != CURLE_OK) return StatusFromCurl(code, request, error_detail);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }

  CURLSH* share_;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks_;

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<HandlePair>> idle_;  // guarded by pool_mu_
};

}  // namespace

std::unique_ptr<HttpClient> MakeCurlHttpClient() {
  std::call_once(g_curl_global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::make_unique<CurlHttpClient>();
}

}  // namespace enhancer
