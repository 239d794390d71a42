// SigV4Signer's own rules, beyond the published vectors (sigv4_signer_vectors_test.cc).
#include "aws/sigv4_signer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "aws/hmac_sha256.h"
#include "aws/signing_key.h"
#include "core/sha256.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

using std::chrono::seconds;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

AwsCredentials Keys(std::string token = "") {
  return AwsCredentials{"AKIDEXAMPLE", kSecret, std::move(token), std::nullopt, "test"};
}

// 2015-08-30T12:36:00Z, the suites' instant.
TimePoint VectorTime() { return TimePoint(seconds(1440938160)); }

int CountHeaders(const HttpRequest& request, std::string_view lowercase) {
  return static_cast<int>(
      std::count_if(request.headers.begin(), request.headers.end(), [&](const auto& h) {
        std::string name = h.first;
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        return name == lowercase;
      }));
}

std::string HeaderValue(const HttpRequest& request, std::string_view lowercase) {
  for (const auto& [name, value] : request.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower == lowercase) return value;
  }
  return "";
}

TEST(HmacSha256Test, MatchesRfc4231TestCase2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(SigningKeyTest, MatchesAwsDocumentationExample) {
  // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
  EXPECT_EQ(HexEncode(DeriveSigningKey(kSecret, "20120215", "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  EXPECT_EQ(CredentialScope("20150830", "us-east-1", "sqs"), "20150830/us-east-1/sqs/aws4_request");
}

TEST(FormatAmzDateTest, IsUtcBasicFormat) {
  EXPECT_EQ(FormatAmzDate(VectorTime()), "20150830T123600Z");
  EXPECT_EQ(FormatAmzDate(VectorTime() + std::chrono::milliseconds(999)), "20150830T123600Z");
}

TEST(SigV4OptionsTest, S3HasItsOwnRules) {
  SigV4Options s3 = SigV4Options::ForService("s3", "eu-west-1");
  EXPECT_EQ(s3.path_rule, PathRule::kAsSent);
  EXPECT_TRUE(s3.content_sha256_header);
  EXPECT_TRUE(s3.presign_unsigned_payload);
  SigV4Options sqs = SigV4Options::ForService("sqs", "eu-west-1");
  EXPECT_EQ(sqs.path_rule, PathRule::kNormalizeAndEncode);
  EXPECT_FALSE(sqs.content_sha256_header);
  EXPECT_FALSE(sqs.presign_unsigned_payload);
  EXPECT_TRUE(sqs.sign_session_token);
}

TEST(SigV4SignerTest, AddsHostWithANonDefaultPort) {
  FakeClock clock(VectorTime());
  SigV4Signer signer(SigV4Options::ForService("sqs", "us-east-1"), clock);
  HttpRequest request;
  request.method = "POST";
  request.url = "http://127.0.0.1:9324/";
  ASSERT_OK_AND_ASSIGN(SignedRequest signed_request, signer.Sign(request, Keys()));
  EXPECT_EQ(HeaderValue(signed_request.request, "host"), "127.0.0.1:9324");
  EXPECT_EQ(HeaderValue(signed_request.request, "x-amz-date"), "20150830T123600Z");
  EXPECT_NE(signed_request.canonical_request.find("host:127.0.0.1:9324\n"), std::string::npos);

  request.url = "https://sqs.us-east-1.amazonaws.com:443/";
  ASSERT_OK_AND_ASSIGN(SignedRequest default_port, signer.Sign(request, Keys()));
  EXPECT_EQ(HeaderValue(default_port.request, "host"), "sqs.us-east-1.amazonaws.com");
}

TEST(SigV4SignerTest, SigningAgainReplacesTheSigningHeaders) {
  FakeClock clock(VectorTime());
  SigV4Signer signer(SigV4Options::ForService("sqs", "us-east-1"), clock);
  HttpRequest request;
  request.method = "POST";
  request.url = "https://sqs.us-east-1.amazonaws.com/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"}};
  request.body = "{}";
  ASSERT_OK_AND_ASSIGN(SignedRequest first, signer.Sign(request, Keys("token-1")));
  clock.Advance(std::chrono::minutes(1));
  ASSERT_OK_AND_ASSIGN(SignedRequest again, signer.Sign(first.request, Keys("token-2")));
  ASSERT_OK_AND_ASSIGN(SignedRequest fresh, signer.Sign(request, Keys("token-2")));
  for (const char* name : {"authorization", "x-amz-date", "x-amz-security-token", "host"}) {
    EXPECT_EQ(CountHeaders(again.request, name), 1) << name;
  }
  EXPECT_EQ(again.signature, fresh.signature);
  EXPECT_NE(again.signature, first.signature);
  EXPECT_EQ(HeaderValue(again.request, "x-amz-security-token"), "token-2");
}

TEST(SigV4SignerTest, SignsTheSessionTokenUnlessToldToAddItAfter) {
  FakeClock clock(VectorTime());
  HttpRequest request;
  request.url = "https://example.amazonaws.com/";
  SigV4Options options = SigV4Options::ForService("service", "us-east-1");
  ASSERT_OK_AND_ASSIGN(SignedRequest signed_token,
                       SigV4Signer(options, clock).Sign(request, Keys("the-token")));
  EXPECT_NE(signed_token.authorization.find("x-amz-security-token"), std::string::npos);
  options.sign_session_token = false;
  ASSERT_OK_AND_ASSIGN(SignedRequest unsigned_token,
                       SigV4Signer(options, clock).Sign(request, Keys("the-token")));
  EXPECT_EQ(unsigned_token.authorization.find("x-amz-security-token"), std::string::npos);
  EXPECT_EQ(HeaderValue(unsigned_token.request, "x-amz-security-token"), "the-token");
}

TEST(SigV4SignerTest, S3SendsThePayloadHash) {
  FakeClock clock(VectorTime());
  HttpRequest request;
  request.method = "PUT";
  request.url = "http://127.0.0.1:4568/bucket/photos/a%20b.jpg";
  request.headers = {{"Content-Type", "image/jpeg"}};
  request.body = "jpeg bytes";
  SigV4Options options = SigV4Options::ForService("s3", "us-east-1");
  ASSERT_OK_AND_ASSIGN(SignedRequest hashed, SigV4Signer(options, clock).Sign(request, Keys()));
  EXPECT_EQ(HeaderValue(hashed.request, "x-amz-content-sha256"), Sha256Hex("jpeg bytes"));
  EXPECT_TRUE(hashed.canonical_request.ends_with("\n" + Sha256Hex("jpeg bytes")));
  EXPECT_TRUE(hashed.canonical_request.starts_with("PUT\n/bucket/photos/a%20b.jpg\n"));

  options.unsigned_payload = true;
  ASSERT_OK_AND_ASSIGN(SignedRequest unsigned_payload,
                       SigV4Signer(options, clock).Sign(request, Keys()));
  EXPECT_EQ(HeaderValue(unsigned_payload.request, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_TRUE(unsigned_payload.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));

  // A hash the caller already has is used as it is.
  request.headers.emplace_back("x-amz-content-sha256", "precomputed");
  ASSERT_OK_AND_ASSIGN(SignedRequest given, SigV4Signer(options, clock).Sign(request, Keys()));
  EXPECT_TRUE(given.canonical_request.ends_with("\nprecomputed"));
  EXPECT_EQ(CountHeaders(given.request, "x-amz-content-sha256"), 1);
}

TEST(SigV4SignerTest, PresignKeepsTheQueryAndPutsTheSignatureLast) {
  FakeClock clock(VectorTime());
  SigV4Signer signer(SigV4Options::ForService("s3", "us-east-1"), clock);
  HttpRequest request;
  request.url = "https://bucket.s3.amazonaws.com/k.jpg?response-content-type=image%2Fjpeg#frag";
  ASSERT_OK_AND_ASSIGN(PresignedUrl presigned,
                       signer.Presign(request, Keys("tok/en+"), seconds(900)));
  EXPECT_TRUE(presigned.url.starts_with(
      "https://bucket.s3.amazonaws.com/k.jpg?response-content-type=image%2Fjpeg&"
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3"
      "%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&"
      "X-Amz-Security-Token=tok%2Fen%2B&X-Amz-Signature="))
      << presigned.url;
  EXPECT_TRUE(presigned.url.ends_with("X-Amz-Signature=" + presigned.signature));
  EXPECT_NE(presigned.canonical_request.find("X-Amz-Security-Token=tok%2Fen%2B"),
            std::string::npos);
  EXPECT_TRUE(presigned.canonical_request.ends_with("\nhost\nUNSIGNED-PAYLOAD"));
}

TEST(SigV4SignerTest, PresignExpiryMustBeOneSecondToSevenDays) {
  FakeClock clock(VectorTime());
  SigV4Signer signer(SigV4Options::ForService("s3", "us-east-1"), clock);
  HttpRequest request;
  request.url = "https://bucket.s3.amazonaws.com/k";
  EXPECT_CODE(signer.Presign(request, Keys(), seconds(0)), StatusCode::kInvalidArgument);
  EXPECT_CODE(signer.Presign(request, Keys(), seconds(604801)), StatusCode::kInvalidArgument);
  EXPECT_OK(signer.Presign(request, Keys(), seconds(1)));
  EXPECT_OK(signer.Presign(request, Keys(), seconds(604800)));
}

TEST(SigV4SignerTest, RefusesIncompleteInputsWithoutEchoingSecrets) {
  FakeClock clock(VectorTime());
  HttpRequest request;
  request.url = "https://sqs.us-east-1.amazonaws.com/";
  SigV4Signer signer(SigV4Options::ForService("sqs", "us-east-1"), clock);

  AwsCredentials no_id = Keys();
  no_id.access_key_id.clear();
  Result<SignedRequest> result = signer.Sign(request, no_id);
  EXPECT_CODE(result, StatusCode::kFailedPrecondition);
  EXPECT_EQ(result.error().message().find(kSecret), std::string::npos);

  AwsCredentials no_secret = Keys();
  no_secret.secret_access_key.clear();
  EXPECT_CODE(signer.Sign(request, no_secret), StatusCode::kFailedPrecondition);
  EXPECT_CODE(signer.Presign(request, no_secret, seconds(60)), StatusCode::kFailedPrecondition);

  EXPECT_CODE(SigV4Signer(SigV4Options::ForService("sqs", ""), clock).Sign(request, Keys()),
              StatusCode::kInvalidArgument);
  request.url = "not a url";
  EXPECT_CODE(signer.Sign(request, Keys()), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace enhancer
