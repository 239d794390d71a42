#include "store/s3_error_status.h"

#include <string_view>

#include "aws/aws_error.h"

namespace enhancer {
namespace {

// The text of the first <tag>...</tag> in S3's XML error body, or "".
std::string XmlElement(std::string_view xml, std::string_view tag) {
  std::string open = "<" + std::string(tag) + ">";
  std::string close = "</" + std::string(tag) + ">";
  size_t start = xml.find(open);
  if (start == std::string_view::npos) return "";
  start += open.size();
  size_t end = xml.find(close, start);
  if (end == std::string_view::npos || end - start > 64) return "";
  return std::string(xml.substr(start, end - start));
}

std::string AccessKeyPhrase(const S3RequestContext& context) {
  return context.access_key_id.empty() ? std::string("the credentials")
                                       : "access key id " + context.access_key_id;
}

// The IAM actions the store needs. ListBucket matters too: without it S3 answers a GET of a
// missing key with 403 instead of 404, and Get could not say NotFound.
std::string Permissions(const S3RequestContext& context) {
  return "s3:PutObject, s3:GetObject and s3:DeleteObject on arn:aws:s3:::" + context.bucket + "/" +
         context.prefix + "*, and s3:ListBucket on arn:aws:s3:::" + context.bucket;
}

Status WrongRegion(const HttpResponse& response, const AwsError& error,
                   const S3RequestContext& context) {
  std::string region = response.Header("x-amz-bucket-region");
  if (region.empty()) region = XmlElement(response.body, "Region");
  std::string base = context.what + ": " + error.ToString() + ": bucket \"" + context.bucket +
                     "\" is not in region " + context.region;
  if (region.empty() || region == context.region) {
    return FailedPreconditionError(base + "; set AWS_REGION to the bucket's region");
  }
  return FailedPreconditionError(base + " but in " + region + ": set AWS_REGION=" + region);
}

}  // namespace

Status S3ErrorStatus(const HttpResponse& response, const S3RequestContext& context) {
  AwsError error = ParseAwsError(response);
  const std::string& code = error.code;
  const std::string detail = context.what + ": " + error.ToString();

  if (code == "NoSuchKey" || (code.empty() && response.status == 404)) {
    return NotFoundError(context.what + ": no such object (HTTP " +
                         std::to_string(response.status) + (code.empty() ? "" : " " + code) + ")");
  }
  if (code == "NoSuchBucket") {
    return FailedPreconditionError(detail + ": bucket \"" + context.bucket +
                                   "\" does not exist; create it or set S3_BUCKET to one that does");
  }
  if (code == "SignatureDoesNotMatch") {
    return FailedPreconditionError(detail + ": the secret access key paired with " +
                                   AccessKeyPhrase(context) +
                                   " is wrong; fix AWS_SECRET_ACCESS_KEY or the credentials file");
  }
  if (code == "InvalidAccessKeyId") {
    return FailedPreconditionError(detail + ": S3 does not know " + AccessKeyPhrase(context) +
                                   "; set AWS_ACCESS_KEY_ID (or AWS_PROFILE) to a key of the "
                                   "bucket's account");
  }
  if (code == "InvalidToken") {
    return FailedPreconditionError(detail + ": the session token (AWS_SESSION_TOKEN) is not "
                                            "valid for " + AccessKeyPhrase(context));
  }
  if (code == "AccessDenied" || code == "AllAccessDisabled" || code == "AccountProblem" ||
      (code.empty() && response.status == 403)) {
    return FailedPreconditionError(detail + ": the identity behind " + AccessKeyPhrase(context) +
                                   " needs " + Permissions(context));
  }
  if (code == "RequestTimeTooSkewed") {
    return FailedPreconditionError(detail + ": this machine's clock is more than 15 minutes off "
                                            "S3's; fix the clock (NTP)");
  }
  if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" ||
      code == "IllegalLocationConstraintException" ||
      (code.empty() && (response.status == 301 || response.status == 400) &&
       !response.Header("x-amz-bucket-region").empty())) {
    return WrongRegion(response, error, context);
  }
  if (code == "EntityTooLarge" || code == "KeyTooLongError") {
    return InvalidArgumentError(detail);
  }
  if (code == "ExpiredToken" || code == "TokenRefreshRequired" || code == "BadDigest" ||
      code == "XAmzContentSHA256Mismatch" || code == "OperationAborted" ||
      code == "TemporaryRedirect" || response.status == 307) {
    return UnavailableError(detail);
  }
  if (code == "NotImplemented" || response.status == 501) {
    return FailedPreconditionError(detail + ": the server does not implement this request");
  }
  if (response.status >= 500) return UnavailableError(detail);
  return FailedPreconditionError(detail);
}

}  // namespace enhancer
