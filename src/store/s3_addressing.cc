#include "store/s3_addressing.h"

#include "aws/aws_endpoint.h"
#include "aws/uri_encode.h"
#include "net/url.h"

namespace enhancer {
namespace {

// True for hosts that cannot take the bucket as a leading label: IP literals (IPv6 keeps its
// brackets) and localhost, which resolves while bucket.localhost often does not.
bool IsAddressOrLocalhost(std::string_view host) {
  if (host == "localhost" || host.ends_with(".localhost") || host.starts_with('[')) return true;
  for (char c : host) {
    if ((c < '0' || c > '9') && c != '.') return false;
  }
  return true;
}

}  // namespace

Result<S3Addressing> S3Addressing::Make(const S3StoreOptions& options) {
  ENHANCER_RETURN_IF_ERROR(options.Validate());
  S3Addressing out;
  out.bucket_ = options.bucket;
  out.prefix_ = options.NormalizedPrefix();
  if (options.endpoint.empty()) {
    // AWS itself: the endpoint variables are the app's business, so none are passed here.
    Result<std::string> aws = ResolveEndpoint("s3", AwsEnvironment{}, options.region);
    if (!aws) return aws.error();
    out.endpoint_ = *aws;
  } else {
    out.endpoint_ = options.endpoint;
    while (out.endpoint_.back() == '/') out.endpoint_.pop_back();
  }
  Result<Url> url = ParseUrl(out.endpoint_);
  if (!url) return url.error();
  out.path_style_ = options.force_path_style || IsAddressOrLocalhost(url->host) ||
                    (url->scheme == "https" && options.bucket.find('.') != std::string::npos);
  out.origin_ = out.path_style_ ? out.endpoint_ + "/" + out.bucket_
                                : url->scheme + "://" + out.bucket_ + "." + url->Authority();
  return out;
}

std::string S3Addressing::FullKey(std::string_view key) const { return prefix_ + std::string(key); }

std::string S3Addressing::ObjectUrl(std::string_view key) const {
  return origin_ + "/" + UriEncode(FullKey(key), /*keep_slash=*/true);
}

std::string S3Addressing::BucketUrl() const { return path_style_ ? origin_ : origin_ + "/"; }

std::string S3Addressing::Describe() const {
  return "s3://" + bucket_ + "/" + prefix_ + " at " + endpoint_;
}

}  // namespace enhancer
