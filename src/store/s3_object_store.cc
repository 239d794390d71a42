#include "store/s3_object_store.h"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <utility>

#include "aws/aws_error.h"
#include "aws/uri_encode.h"
#include "store/s3_error_status.h"

namespace enhancer {
namespace {

constexpr char kDefaultContentType[] = "application/octet-stream";

// Base64 of the MD5 digest, as Content-MD5 wants it.
std::string ContentMd5(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr);
  std::string out(4 * ((length + 2) / 3), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest,
                                static_cast<int>(length));
  out.resize(static_cast<size_t>(written));
  return out;
}

Status InvalidKey(std::string_view key) {
  return InvalidArgumentError("\"" + std::string(key.substr(0, 100)) +
                              "\" is not an object key (segments of A-Z a-z 0-9 . _ - joined "
                              "by '/', at most 512 bytes)");
}

}  // namespace

Result<std::unique_ptr<S3ObjectStore>> S3ObjectStore::Open(const S3StoreOptions& options,
                                                           HttpClient& http,
                                                           CredentialsProvider& credentials,
                                                           const Clock& clock,
                                                           SleepFunction sleep) {
  Result<S3Addressing> addressing = S3Addressing::Make(options);
  if (!addressing) return addressing.error();
  return std::unique_ptr<S3ObjectStore>(new S3ObjectStore(
      options, *std::move(addressing), http, credentials, clock, std::move(sleep)));
}

S3ObjectStore::S3ObjectStore(const S3StoreOptions& options, S3Addressing addressing,
                             HttpClient& http, CredentialsProvider& credentials,
                             const Clock& clock, SleepFunction sleep)
    : options_(options),
      addressing_(std::move(addressing)),
      credentials_(credentials),
      client_(http, credentials, SigV4Options::ForService("s3", options.region), options.retry,
              clock, std::move(sleep)) {}

std::string S3ObjectStore::Name(std::string_view key) const {
  return "s3://" + addressing_.bucket() + "/" + addressing_.FullKey(key);
}

HttpRequest S3ObjectStore::Request(std::string method, std::string url) const {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.timeout = options_.request_timeout;
  return request;
}

Result<HttpResponse> S3ObjectStore::Send(const HttpRequest& request, std::string what,
                                         std::stop_token stop) {
  Result<HttpResponse> response = client_.Send(request, stop);
  if (!response) return response.error().WithContext(what);
  if (response->status < 300) return response;
  return ErrorFor(*response, std::move(what), stop);
}

Status S3ObjectStore::ErrorFor(const HttpResponse& response, std::string what,
                               std::stop_token stop) {
  S3RequestContext context{std::move(what), addressing_.bucket(), addressing_.prefix(),
                           options_.region, ""};
  // Only to name the key in the message; the provider caches, so this costs no request.
  if (Result<AwsCredentials> credentials = credentials_.Get(stop)) {
    context.access_key_id = credentials->access_key_id;
  }
  return S3ErrorStatus(response, context);
}

Status S3ObjectStore::Put(std::string_view key, std::string_view bytes,
                          std::string_view content_type) {
  if (!IsValidObjectKey(key)) return InvalidKey(key);
  HttpRequest request = Request("PUT", addressing_.ObjectUrl(key));
  request.headers.emplace_back("Content-Type",
                               content_type.empty() ? kDefaultContentType : content_type);
  if (!options_.cache_control.empty()) {
    request.headers.emplace_back("Cache-Control", options_.cache_control);
  }
  if (options_.content_md5) request.headers.emplace_back("Content-MD5", ContentMd5(bytes));
  request.body = std::string(bytes);
  Result<HttpResponse> response = Send(request, "PUT " + Name(key), {});
  return response ? OkStatus() : response.error();
}

Result<std::string> S3ObjectStore::Get(std::string_view key) {
  if (!IsValidObjectKey(key)) return InvalidKey(key);
  Result<HttpResponse> response =
      Send(Request("GET", addressing_.ObjectUrl(key)), "GET " + Name(key), {});
  if (!response) return response.error();
  return std::move(response->body);
}

Status S3ObjectStore::Delete(std::string_view key) {
  if (!IsValidObjectKey(key)) return InvalidKey(key);
  Result<HttpResponse> response =
      Send(Request("DELETE", addressing_.ObjectUrl(key)), "DELETE " + Name(key), {});
  // S3 answers 204 for a missing key too; a compatible server may say NoSuchKey.
  if (!response && response.error().code() != StatusCode::kNotFound) return response.error();
  return OkStatus();
}

Result<S3ObjectHead> S3ObjectStore::Head(std::string_view key, std::stop_token stop) {
  if (!IsValidObjectKey(key)) return InvalidKey(key);
  Result<HttpResponse> response =
      Send(Request("HEAD", addressing_.ObjectUrl(key)), "HEAD " + Name(key), stop);
  if (!response) return response.error();
  S3ObjectHead head;
  std::string length = response->Header("content-length");
  auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), head.size);
  if (error != std::errc() || end != length.data() + length.size()) {
    return InternalError("HEAD " + Name(key) + ": the answer has no valid Content-Length (\"" +
                         length + "\")");
  }
  head.content_type = response->Header("content-type");
  head.cache_control = response->Header("cache-control");
  head.etag = response->Header("etag");
  return head;
}

Status S3ObjectStore::CheckBucketAccess(std::stop_token stop) {
  std::string url = addressing_.BucketUrl() + "?list-type=2&max-keys=1";
  if (!addressing_.prefix().empty()) url += "&prefix=" + UriEncode(addressing_.prefix());
  std::string what = "list s3://" + addressing_.bucket() + "/" + addressing_.prefix() + " at " +
                     addressing_.endpoint();
  Result<HttpResponse> response = client_.Send(Request("GET", std::move(url)), stop);
  if (!response) return response.error().WithContext(what);
  if (response->status < 300) return OkStatus();
  // Here, unlike for an object, the bucket is what was asked about.
  if (ParseAwsError(*response).code == "NoSuchBucket") {
    return NotFoundError("bucket \"" + addressing_.bucket() + "\" does not exist at " +
                         addressing_.endpoint() + "; create it or set S3_BUCKET to one that does");
  }
  return ErrorFor(*response, std::move(what), stop);
}

std::string S3ObjectStore::PublicUrl(std::string_view key) const {
  if (!options_.public_base_url.empty()) {
    std::string_view base = options_.public_base_url;
    while (base.ends_with('/')) base.remove_suffix(1);
    return std::string(base) + "/" + UriEncode(addressing_.FullKey(key), /*keep_slash=*/true);
  }
  std::string url = addressing_.ObjectUrl(key);
  Result<std::string> presigned =
      client_.Presign(Request("GET", url), options_.presign_expiry, std::stop_token());
  if (presigned) return *std::move(presigned);
  // The message names the provider and variables involved, never a secret.
  spdlog::error("cannot presign a URL for {}: {}; handing out the unsigned URL, which a private "
                "bucket refuses",
                Name(key), presigned.error().ToString());
  return url;
}

std::string S3ObjectStore::Describe() const { return addressing_.Describe(); }

Result<std::unique_ptr<ObjectStore>> OpenS3ObjectStore(const S3StoreOptions& options,
                                                       HttpClient& http,
                                                       CredentialsProvider& credentials) {
  Result<std::unique_ptr<S3ObjectStore>> store = S3ObjectStore::Open(options, http, credentials);
  if (!store) return store.error();
  return std::unique_ptr<ObjectStore>(*std::move(store));
}

}  // namespace enhancer
