// S3StoreOptions: where and how the S3 object store keeps objects, with their defaults and their
// validation in one place. src/app fills it from S3_BUCKET, AWS_REGION, AWS_ENDPOINT_URL_S3,
// S3_FORCE_PATH_STYLE, S3_PREFIX and S3_PUBLIC_BASE_URL.
#pragma once

#include <chrono>
#include <string>

#include "aws/aws_client.h"
#include "core/status.h"

namespace enhancer {

struct S3StoreOptions {
  // The bucket, by S3's naming rules: 3 to 63 of a-z 0-9 . -, starting and ending with a letter
  // or a digit.
  std::string bucket;
  // The bucket's region, which scopes the signature ("eu-west-1"). S3-compatible servers take
  // any ("us-east-1").
  std::string region;
  // An S3-compatible server's base URL ("http://127.0.0.1:9000"), no path; "" for AWS itself,
  // https://s3.<region>.amazonaws.com.
  std::string endpoint;
  // Path-style URLs (<endpoint>/<bucket>/<key>) instead of virtual-hosted ones
  // (<bucket>.<endpoint host>/<key>). Used anyway when the endpoint's host is an IP address or
  // localhost (no name to put the bucket in), and for bucket names with dots over https (the
  // name would break the certificate's wildcard).
  bool force_path_style = false;
  // Put before every key: "enhancer" and "enhancer/" both store key "a.jpg" as "enhancer/a.jpg".
  // Segments as in keys (store/object_store.h). "" is the bucket's root.
  std::string prefix;
  // Where the objects can be read without credentials (a CDN, a public bucket): PublicUrl(key)
  // is this + "/" + the prefixed key. "": PublicUrl presigns a GET instead.
  std::string public_base_url;
  // How long a presigned PublicUrl works: 1 s to 7 days (AWS's limit). Temporary credentials cut
  // it short when they expire first.
  std::chrono::seconds presign_expiry{3600};
  // Cache-Control stored with every object; "" stores none. Keys name their content (a hash), so
  // an object never changes under its key and browsers and CDNs may keep it for good.
  std::string cache_control = "public, max-age=31536000, immutable";
  // Send Content-MD5 with every Put, which buckets with Object Lock require. The signed
  // X-Amz-Content-Sha256 already lets S3 refuse damaged bytes, hence off by default.
  bool content_md5 = false;
  // The time limit of one HTTP exchange, which must fit a large image on a slow link.
  std::chrono::milliseconds request_timeout{60000};
  // Retries of throttling, 5xx answers and transport failures (AwsClient's backoff).
  AwsRetryPolicy retry;

  // OK, or InvalidArgument naming the option (Status::field(): "bucket", "region", "endpoint",
  // "prefix", "public_base_url", "presign_expiry", "cache_control", "request_timeout") and what
  // is allowed. Secrets are not options, so messages may quote values.
  Status Validate() const;

  // The prefix as stored: "" or segments ending in exactly one '/' ("enhancer/").
  std::string NormalizedPrefix() const;
};

// True when `bucket` follows S3's naming rules for new buckets (see S3StoreOptions::bucket).
bool IsValidBucketName(std::string_view bucket);

}  // namespace enhancer
