// S3ErrorStatus: the one place that turns S3's error answers into a Status whose code tells the
// caller what to do (store/object_store.h, core/status.h) and whose message tells a person what
// to fix: which credentials, which IAM actions, which region. Messages carry no secret.
#pragma once

#include <string>

#include "core/status.h"
#include "net/http_client.h"

namespace enhancer {

// What a failed request was for, to name it in the message.
struct S3RequestContext {
  std::string what;           // "GET s3://bucket/enhancer/a.jpg"
  std::string bucket;         // "bucket"
  std::string prefix;         // "enhancer/" or ""
  std::string region;         // the region the request was signed for
  std::string access_key_id;  // not secret; "" when unknown
};

// For S3's answer `response` (status 300 and up, a body or none as for HEAD):
//   NotFound            NoSuchKey, or 404 to a HEAD (an object's absence);
//   FailedPrecondition  fix the configuration: NoSuchBucket, AccessDenied, SignatureDoesNotMatch,
//                       InvalidAccessKeyId, InvalidToken, a bucket in another region
//                       (PermanentRedirect, AuthorizationHeaderMalformed), a skewed clock,
//                       NotImplemented, and any other 3xx/4xx;
//   InvalidArgument     S3 refuses the object itself (EntityTooLarge, KeyTooLongError);
//   Unavailable         worth sending again: ExpiredToken (credentials are refreshed), bytes
//                       damaged in transit (BadDigest), OperationAborted, 307, 5xx.
Status S3ErrorStatus(const HttpResponse& response, const S3RequestContext& context);

}  // namespace enhancer
