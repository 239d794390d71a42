// SigV4Signer: signs HTTP requests for AWS (and S3- or SQS-compatible servers) with Signature
// Version 4, in an Authorization header or in a presigned URL's query string.
//
// The signing time comes from an injected Clock, so tests sign at the vectors' instant.
#pragma once

#include <chrono>
#include <string>

#include "aws/aws_credentials.h"
#include "aws/canonical_request.h"
#include "core/clock.h"
#include "core/status.h"
#include "net/http_client.h"

namespace enhancer {

struct SigV4Options {
  std::string service;  // the credential scope's service: "sqs", "s3"
  std::string region;   // "eu-west-1"
  PathRule path_rule = PathRule::kNormalizeAndEncode;
  // Send and sign X-Amz-Content-Sha256 with the payload hash. S3 requires it.
  bool content_sha256_header = false;
  // Header signing: sign the literal "UNSIGNED-PAYLOAD" instead of hashing the body (S3 over
  // https only; it saves hashing large uploads).
  bool unsigned_payload = false;
  // Presigned URLs: sign "UNSIGNED-PAYLOAD" (what S3 expects: the URL's user sends any body).
  bool presign_unsigned_payload = false;
  // Sign X-Amz-Security-Token. Every current service wants this; false adds the token after
  // signing, as a few old services did (the suites' post-sts-header-after vectors).
  bool sign_session_token = true;

  // The rules the AWS SDKs use for `service`: for "s3", the path as sent,
  // X-Amz-Content-Sha256, and UNSIGNED-PAYLOAD in presigned URLs; for the rest the defaults.
  static SigV4Options ForService(std::string service, std::string region);
};

// A signed request and the intermediate strings, which say why AWS answered
// SignatureDoesNotMatch (the server's error names its own canonical request).
struct SignedRequest {
  HttpRequest request;  // with Host, X-Amz-Date, Authorization and the rest added
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // 64 lowercase hex digits
  std::string authorization;  // the Authorization header's value
};

struct PresignedUrl {
  std::string url;  // the request's URL plus the X-Amz-* query parameters, signature last
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
};

class SigV4Signer {
 public:
  // `clock` must outlive the signer.
  explicit SigV4Signer(SigV4Options options, const Clock& clock = Clock::Real());

  // Signs `request` (its URL percent-encoded as it goes on the wire). Adds Host when missing,
  // X-Amz-Date, X-Amz-Security-Token when the credentials have a session token,
  // X-Amz-Content-Sha256 when the options ask, and Authorization; earlier values of these are
  // replaced, so signing a request again (a retry) is safe. Every header present is signed
  // except those IsUnsignedHeader() names. A caller-supplied X-Amz-Content-Sha256 is taken as
  // the payload hash (a precomputed hash, or UNSIGNED-PAYLOAD).
  // Errors: InvalidArgument (URL not http(s), empty service or region), FailedPrecondition
  // (credentials without an access key id or secret). Thread-safe.
  Result<SignedRequest> Sign(HttpRequest request, const AwsCredentials& credentials) const;

  // A URL that performs `request` without further credentials for `expires` (1 s to 7 days).
  // Only the request's headers are signed (at least Host); whoever uses the URL must send the
  // same ones. Errors as Sign, plus InvalidArgument for `expires` out of range. Thread-safe.
  Result<PresignedUrl> Presign(const HttpRequest& request, const AwsCredentials& credentials,
                               std::chrono::seconds expires) const;

  const SigV4Options& options() const { return options_; }

 private:
  SigV4Options options_;
  const Clock& clock_;
};

// "20150830T123600Z": the X-Amz-Date form of `t` (UTC).
std::string FormatAmzDate(TimePoint t);

}  // namespace enhancer
