#include "store/s3_error_status.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace enhancer {
namespace {

HttpResponse XmlError(int status, const std::string& code, const std::string& message,
                      const std::string& extra = "") {
  HttpResponse response;
  response.status = status;
  response.headers = {{"content-type", "application/xml"}};
  response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
                  "</Code><Message>" + message + "</Message>" + extra + "</Error>";
  return response;
}

HttpResponse Bodiless(int status, std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse response;
  response.status = status;
  response.headers = std::move(headers);
  return response;
}

S3RequestContext Context() {
  return {"GET s3://bucket/enhancer/a.jpg", "bucket", "enhancer/", "eu-west-1", "AKIDEXAMPLE"};
}

struct Case {
  std::string name;
  HttpResponse response;
  StatusCode code;
  std::string says;  // a part of the message
};

TEST(S3ErrorStatusTest, EachAnswerGetsTheCodeThatSaysWhatToDo) {
  const std::vector<Case> kCases = {
      {"no such key", XmlError(404, "NoSuchKey", "The specified key does not exist."),
       StatusCode::kNotFound, "no such object"},
      {"404 to a HEAD", Bodiless(404), StatusCode::kNotFound, "no such object"},
      {"no such bucket", XmlError(404, "NoSuchBucket", "The specified bucket does not exist"),
       StatusCode::kFailedPrecondition, "bucket \"bucket\" does not exist"},
      {"wrong secret",
       XmlError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match",
                "<CanonicalRequest>GET\n/bucket\nX-Amz-Security-Token=SECRETTOKEN</CanonicalRequest>"),
       StatusCode::kFailedPrecondition, "secret access key paired with access key id AKIDEXAMPLE"},
      {"unknown key id", XmlError(403, "InvalidAccessKeyId", "The AWS Access Key Id does not exist"),
       StatusCode::kFailedPrecondition, "S3 does not know access key id AKIDEXAMPLE"},
      {"access denied", XmlError(403, "AccessDenied", "Access Denied"),
       StatusCode::kFailedPrecondition,
       "s3:PutObject, s3:GetObject and s3:DeleteObject on arn:aws:s3:::bucket/enhancer/*, and "
       "s3:ListBucket on arn:aws:s3:::bucket"},
      {"403 to a HEAD", Bodiless(403), StatusCode::kFailedPrecondition, "s3:ListBucket"},
      {"bad session token", XmlError(400, "InvalidToken", "The provided token is malformed"),
       StatusCode::kFailedPrecondition, "AWS_SESSION_TOKEN"},
      {"expired session token", XmlError(400, "ExpiredToken", "The token has expired"),
       StatusCode::kUnavailable, "ExpiredToken"},
      {"skewed clock", XmlError(403, "RequestTimeTooSkewed", "The difference is too large"),
       StatusCode::kFailedPrecondition, "clock"},
      {"bucket elsewhere (301)",
       XmlError(301, "PermanentRedirect", "The bucket you are attempting to access must be ...",
                "<Endpoint>bucket.s3.us-west-2.amazonaws.com</Endpoint>"),
       StatusCode::kFailedPrecondition, "set AWS_REGION to the bucket's region"},
      {"bucket elsewhere (header)",
       Bodiless(301, {{"x-amz-bucket-region", "us-west-2"}}), StatusCode::kFailedPrecondition,
       "but in us-west-2: set AWS_REGION=us-west-2"},
      {"signed for the wrong region",
       XmlError(400, "AuthorizationHeaderMalformed", "the region 'eu-west-1' is wrong",
                "<Region>ap-south-1</Region>"),
       StatusCode::kFailedPrecondition, "set AWS_REGION=ap-south-1"},
      {"too large", XmlError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum"),
       StatusCode::kInvalidArgument, "EntityTooLarge"},
      {"damaged bytes", XmlError(400, "BadDigest", "The Content-MD5 you specified did not match"),
       StatusCode::kUnavailable, "BadDigest"},
      {"not implemented", XmlError(501, "NotImplemented", "A header you provided is not implemented"),
       StatusCode::kFailedPrecondition, "does not implement"},
      {"server error", XmlError(500, "InternalError", "We encountered an internal error"),
       StatusCode::kUnavailable, "HTTP 500 InternalError"},
      {"other 4xx", XmlError(400, "InvalidRequest", "Something odd"),
       StatusCode::kFailedPrecondition, "HTTP 400 InvalidRequest: Something odd"},
  };
  for (const Case& c : kCases) {
    Status status = S3ErrorStatus(c.response, Context());
    SCOPED_TRACE(c.name + ": " + status.ToString());
    EXPECT_EQ(status.code(), c.code);
    EXPECT_NE(status.message().find(c.says), std::string::npos);
    EXPECT_TRUE(status.message().starts_with("GET s3://bucket/enhancer/a.jpg: "));
    // S3's SignatureDoesNotMatch body quotes the canonical request, session token included.
    EXPECT_EQ(status.message().find("SECRETTOKEN"), std::string::npos);
  }
}

TEST(S3ErrorStatusTest, WithoutAnAccessKeyIdTheMessageSaysTheCredentials) {
  S3RequestContext context = Context();
  context.access_key_id = "";
  Status status = S3ErrorStatus(XmlError(403, "AccessDenied", "Access Denied"), context);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("the identity behind the credentials needs s3:PutObject"), std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace enhancer
