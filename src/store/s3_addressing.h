// S3Addressing: the URLs of a bucket and its objects, virtual-hosted
// (https://bucket.s3.eu-west-1.amazonaws.com/enhancer/a.jpg) or path-style
// (http://127.0.0.1:9000/bucket/enhancer/a.jpg), with the store's prefix before every key.
//
// Keys are URI-encoded segment by segment (slashes kept) with the signer's own UriEncode, and the
// S3 signer signs the path as sent, so what goes on the wire is what is signed.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "store/s3_store_options.h"

namespace enhancer {

class S3Addressing {
 public:
  // From options that passed Validate() (InvalidArgument otherwise, as Validate says).
  static Result<S3Addressing> Make(const S3StoreOptions& options);

  // The key as stored in the bucket: the prefix, then `key` ("enhancer/a/b.jpg").
  std::string FullKey(std::string_view key) const;

  // The object's absolute URL, its key percent-encoded.
  std::string ObjectUrl(std::string_view key) const;

  // The bucket's URL, to which a caller appends "?<query>": "http://127.0.0.1:9000/bucket"
  // (path-style, no trailing slash: s3rver's signature check fails on "/bucket/") or
  // "https://bucket.s3.eu-west-1.amazonaws.com/".
  std::string BucketUrl() const;

  bool path_style() const { return path_style_; }
  // The endpoint requests go to, without the bucket: "https://s3.eu-west-1.amazonaws.com".
  const std::string& endpoint() const { return endpoint_; }
  const std::string& bucket() const { return bucket_; }
  // "" or "enhancer/".
  const std::string& prefix() const { return prefix_; }

  // "s3://bucket/enhancer/ at https://s3.eu-west-1.amazonaws.com"
  std::string Describe() const;

 private:
  S3Addressing() = default;

  std::string endpoint_;  // scheme://host[:port], no trailing slash
  std::string bucket_;
  std::string prefix_;
  bool path_style_ = false;
  std::string origin_;  // where object paths start: endpoint_ + "/" + bucket_, or the bucket's host
};

}  // namespace enhancer
