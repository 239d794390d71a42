#include "store/s3_store_options.h"

#include <string_view>

#include "net/url.h"
#include "store/object_store.h"

namespace enhancer {
namespace {

constexpr size_t kMinBucketName = 3;
constexpr size_t kMaxBucketName = 63;
constexpr std::chrono::seconds kMinPresignExpiry{1};
constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};

bool IsLowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// "192.168.5.4": S3 refuses bucket names shaped like an IPv4 address.
bool LooksLikeIpv4(std::string_view name) {
  int dots = 0;
  for (char c : name) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

Status Invalid(std::string field, std::string message) {
  return InvalidArgumentError(field + ": " + message).WithField(std::move(field));
}

std::string_view WithoutTrailingSlashes(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return s;
}

}  // namespace

bool IsValidBucketName(std::string_view bucket) {
  if (bucket.size() < kMinBucketName || bucket.size() > kMaxBucketName) return false;
  if (!IsLowerOrDigit(bucket.front()) || !IsLowerOrDigit(bucket.back())) return false;
  for (char c : bucket) {
    if (!IsLowerOrDigit(c) && c != '.' && c != '-') return false;
  }
  return bucket.find("..") == std::string_view::npos && !LooksLikeIpv4(bucket);
}

Status S3StoreOptions::Validate() const {
  if (!IsValidBucketName(bucket)) {
    return Invalid("bucket", "\"" + bucket + "\" is not a bucket name (3 to " +
                                 std::to_string(kMaxBucketName) +
                                 " of a-z 0-9 . -, starting and ending with a letter or digit)");
  }
  if (region.empty()) return Invalid("region", "is empty; set the bucket's region (AWS_REGION)");
  for (char c : region) {
    if (!IsLowerOrDigit(c) && c != '-') {
      return Invalid("region", "\"" + region + "\" is not a region name (a-z 0-9 -)");
    }
  }
  if (!endpoint.empty()) {
    Result<Url> url = ParseUrl(endpoint);
    if (!url) return Invalid("endpoint", url.error().message());
    if (url->path != "/" || !url->query.empty() || endpoint.find('#') != std::string::npos) {
      return Invalid("endpoint", "\"" + endpoint +
                                     "\" has a path or query; give the server's base URL, "
                                     "e.g. http://127.0.0.1:9000");
    }
  }
  if (std::string_view trimmed = WithoutTrailingSlashes(prefix);
      !trimmed.empty() && !IsValidObjectKey(trimmed)) {
    return Invalid("prefix", "\"" + prefix +
                                 "\" is not a key prefix (segments of A-Z a-z 0-9 . _ - joined "
                                 "by '/', e.g. \"enhancer/\")");
  }
  if (!public_base_url.empty()) {
    Result<Url> url = ParseUrl(public_base_url);
    if (!url) return Invalid("public_base_url", url.error().message());
    if (public_base_url.find_first_of("?#") != std::string::npos) {
      return Invalid("public_base_url", "\"" + public_base_url +
                                            "\" has a query or fragment; keys are appended to it");
    }
  }
  if (presign_expiry < kMinPresignExpiry || presign_expiry > kMaxPresignExpiry) {
    return Invalid("presign_expiry", "must be 1 to " + std::to_string(kMaxPresignExpiry.count()) +
                                         " seconds, not " +
                                         std::to_string(presign_expiry.count()));
  }
  for (char c : cache_control) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Invalid("cache_control", "contains a control character");
    }
  }
  if (request_timeout <= std::chrono::milliseconds::zero()) {
    return Invalid("request_timeout", "must be positive");
  }
  return OkStatus();
}

std::string S3StoreOptions::NormalizedPrefix() const {
  std::string_view trimmed = WithoutTrailingSlashes(prefix);
  return trimmed.empty() ? std::string() : std::string(trimmed) + "/";
}

}  // namespace enhancer
