// S3ObjectStore: the ObjectStore on AWS S3 or an S3-compatible server. Requests are signed with
// SigV4 and retried by AwsClient (throttling, 5xx, transport failures); objects live under the
// options' prefix; PublicUrl gives a public base URL's address or a presigned GET.
//
// An S3 Put replaces the object at once (readers see the old or the new bytes, never a part), as
// the ObjectStore contract asks. Unlike the local folder, "a" and "a/b" can both be objects.
#pragma once

#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "aws/aws_client.h"
#include "aws/credentials_provider.h"
#include "core/clock.h"
#include "core/status.h"
#include "net/http_client.h"
#include "store/object_store.h"
#include "store/s3_addressing.h"
#include "store/s3_store_options.h"

namespace enhancer {

// What HeadObject tells about an object, without its bytes.
struct S3ObjectHead {
  uint64_t size = 0;
  std::string content_type;   // as stored by Put
  std::string cache_control;  // as stored by Put; "" when none
  std::string etag;           // S3's quoted ETag
};

class S3ObjectStore final : public ObjectStore {
 public:
  // Checks `options` (InvalidArgument naming the option, as S3StoreOptions::Validate); touches
  // no network. `http`, `credentials` and `clock` must outlive the store; `clock` and `sleep`
  // (the wait between retries) are for tests.
  static Result<std::unique_ptr<S3ObjectStore>> Open(const S3StoreOptions& options,
                                                     HttpClient& http,
                                                     CredentialsProvider& credentials,
                                                     const Clock& clock = Clock::Real(),
                                                     SleepFunction sleep = InterruptibleSleep);

  // ObjectStore. Besides the contract's codes (InvalidArgument for a bad key, NotFound from
  // Get), errors are those of S3ErrorStatus (store/s3_error_status.h) and AwsClient::Send:
  // FailedPrecondition when the configuration must change (credentials, permissions, region, a
  // missing bucket), Unavailable / ResourceExhausted / DeadlineExceeded when S3 could not be
  // reached or kept refusing; never a secret in a message. Thread-safe.
  //
  // Put sends the content type given ("application/octet-stream" when empty), the options'
  // Cache-Control, the payload's SHA-256 (signed, so S3 refuses damaged bytes) and, when asked,
  // Content-MD5.
  Status Put(std::string_view key, std::string_view bytes, std::string_view content_type) override;
  Result<std::string> Get(std::string_view key) override;
  Status Delete(std::string_view key) override;
  // public_base_url + "/" + the prefixed key when the options name one; otherwise a GET of the
  // object presigned for options.presign_expiry, computed locally (no request is sent; a
  // credentials provider that must fetch keys caches them). If presigning fails (no
  // credentials), logs why and returns the unsigned object URL, which a private bucket refuses
  // with 403: the failure shows, and no secret leaks.
  std::string PublicUrl(std::string_view key) const override;
  // "s3://bucket/prefix/ at https://s3.eu-west-1.amazonaws.com"
  std::string Describe() const override;

  // The object's size and stored headers. NotFound when there is no such object (HEAD answers
  // carry no error body, so a missing bucket is NotFound too); else as Get.
  Result<S3ObjectHead> Head(std::string_view key, std::stop_token stop = {});

  // The start-up check: lists at most one key under the prefix, which needs s3:ListBucket (that
  // permission is also what makes S3 answer 404, not 403, for a missing key). OK, or:
  //   NotFound            "bucket … does not exist";
  //   FailedPrecondition  wrong credentials (SignatureDoesNotMatch, InvalidAccessKeyId), access
  //                       denied (the message lists the IAM actions to grant on the prefix),
  //                       the bucket is in another region, the clock is off;
  //   Unavailable, ResourceExhausted, DeadlineExceeded  S3 could not be reached; Cancelled.
  Status CheckBucketAccess(std::stop_token stop);

  const S3Addressing& addressing() const { return addressing_; }

 private:
  S3ObjectStore(const S3StoreOptions& options, S3Addressing addressing, HttpClient& http,
                CredentialsProvider& credentials, const Clock& clock, SleepFunction sleep);

  HttpRequest Request(std::string method, std::string url) const;
  // Sends through the client; an answer of 300 or more becomes S3ErrorStatus's Status.
  Result<HttpResponse> Send(const HttpRequest& request, std::string what, std::stop_token stop);
  // S3ErrorStatus for `response`, naming the access key id (never the secret).
  Status ErrorFor(const HttpResponse& response, std::string what, std::stop_token stop);
  std::string Name(std::string_view key) const;  // "s3://bucket/prefix/key"

  const S3StoreOptions options_;
  const S3Addressing addressing_;
  CredentialsProvider& credentials_;
  // mutable: PublicUrl is const, and AwsClient::Presign changes nothing observable (it reads
  // the credentials and signs); the client is thread-safe.
  mutable AwsClient client_;
};

// Opens an S3ObjectStore as the ObjectStore seam (S3ObjectStore::Open, no network). To run
// CheckBucketAccess at start-up, open with S3ObjectStore::Open, check, then hand it on.
Result<std::unique_ptr<ObjectStore>> OpenS3ObjectStore(const S3StoreOptions& options,
                                                       HttpClient& http,
                                                       CredentialsProvider& credentials);

}  // namespace enhancer
