// SigV4Signer against every vector of the two AWS suites and AWS's S3 examples, read from
// ENHANCER_SHARED_DIR/testdata/sigv4 at test time (its README.md lists the suites' quirks; each
// one that matters here is a named list below, with the assertion that explains it).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "aws/hmac_sha256.h"
#include "aws/signing_key.h"
#include "aws/sigv4_signer.h"
#include "aws/sigv4_vector_reader.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

namespace fs = std::filesystem;
using namespace sigv4_vectors;  // NOLINT: test-only helpers

constexpr char kAccessKeyId[] = "AKIDEXAMPLE";
constexpr char kSecretAccessKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kTimestamp[] = "2015-08-30T12:36:00Z";
constexpr size_t kClassicSuiteSize = 34;
constexpr size_t kSigningSuiteSize = 38;
constexpr size_t kS3ExampleCount = 5;

fs::path ClassicRoot() { return Root() / "aws-sig-v4-test-suite"; }
fs::path SigningRoot() { return Root() / "aws-signing-test-suite" / "v4"; }

std::string HostOf(const RequestFile& request) { return Trimmed(request.Header("host")); }

HttpRequest ToHttpRequest(const RequestFile& file) {
  HttpRequest request;
  request.method = file.method;
  // The suites write targets raw (a space, UTF-8), which the signer encodes; see net/url.h.
  request.url = "https://" + HostOf(file) + file.target;
  request.headers = file.headers;
  request.body = file.body;
  return request;
}

// "https://host/p?q" -> "/p?q"
std::string TargetOf(const std::string& url) {
  size_t scheme_end = url.find("://");
  return url.substr(url.find('/', scheme_end + 3));
}

// ---------------------------------------------------------------------------------------------
// The classic suite: <case>/<case>.{req,creq,sts,authz,sreq}, some one folder deeper.

// The vectors carry no credentials file: a runner supplies the session token where one is used
// (the README's table). `sign` false: added to the request after signing (post-sts-token/readme).
struct SessionToken {
  std::string value;
  bool sign;
};
const std::map<std::string, SessionToken>& ClassicSessionTokens() {
  static const auto* tokens = [] {
    const std::string long_token =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMic"
        "RXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsbu"
        "rEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPP"
        "kUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
    return new std::map<std::string, SessionToken>{
        {"get-vanilla-with-session-token",
         {"6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267", true}},
        {"post-sts-token/post-sts-header-before", {long_token, true}},
        {"post-sts-token/post-sts-header-after", {long_token, false}},
    };
  }();
  return *tokens;
}

// Cases whose .sreq does not match their own .authz: get-vanilla-with-session-token.sreq
// carries get-vanilla's signature (README: "a stale signature"). For these the test asserts
// exactly that, and compares the rest of the .sreq.
const std::set<std::string> kClassicStaleSignedRequest = {"get-vanilla-with-session-token"};

std::vector<std::string> ClassicCases() {
  std::vector<std::string> cases;
  if (!fs::is_directory(ClassicRoot())) return cases;
  for (const auto& entry : fs::recursive_directory_iterator(ClassicRoot())) {
    if (!entry.is_directory()) continue;
    std::string base = entry.path().filename().string();
    if (fs::exists(entry.path() / (base + ".req"))) {
      cases.push_back(fs::relative(entry.path(), ClassicRoot()).generic_string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string SignatureOf(const std::string& authorization) {
  size_t at = authorization.find("Signature=");
  return at == std::string::npos ? "" : authorization.substr(at + 10);
}

class ClassicSuiteTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ClassicSuiteTest, MatchesCanonicalRequestStringToSignAuthorizationAndSignedRequest) {
  const std::string& name = GetParam();
  fs::path dir = ClassicRoot() / name;
  std::string base = dir.filename().string();
  auto file = [&](const char* ext) { return ReadVector(dir / (base + ext)); };

  RequestFile request_file = ParseRequest(file(".req"));
  AwsCredentials credentials{kAccessKeyId, kSecretAccessKey, "", std::nullopt, "test"};
  SigV4Options options = SigV4Options::ForService("service", "us-east-1");
  if (auto it = ClassicSessionTokens().find(name); it != ClassicSessionTokens().end()) {
    credentials.session_token = it->second.value;
    options.sign_session_token = it->second.sign;
  }
  FakeClock clock(ParseTimestamp(kTimestamp));
  SigV4Signer signer(options, clock);

  ASSERT_OK_AND_ASSIGN(SignedRequest signed_request,
                       signer.Sign(ToHttpRequest(request_file), credentials));
  EXPECT_EQ(signed_request.canonical_request, file(".creq"));
  EXPECT_EQ(signed_request.string_to_sign, file(".sts"));
  EXPECT_EQ(signed_request.authorization, file(".authz"));

  RequestFile expected = ParseRequest(file(".sreq"));
  EXPECT_EQ(expected.method, signed_request.request.method);
  EXPECT_EQ(expected.target, request_file.target);
  EXPECT_EQ(expected.body, signed_request.request.body);
  auto ours = HeaderMultiset(signed_request.request.headers);
  auto theirs = HeaderMultiset(expected.headers);
  if (kClassicStaleSignedRequest.contains(name)) {
    std::string stale = SignatureOf(expected.Header("authorization"));
    EXPECT_EQ(stale, SignatureOf(ReadVector(ClassicRoot() / "get-vanilla" / "get-vanilla.authz")));
    EXPECT_NE(stale, signed_request.signature);
    for (auto* headers : {&ours, &theirs}) {
      for (auto& [header, value] : *headers) {
        if (header == "authorization") value = value.substr(0, value.find("Signature="));
      }
    }
  }
  EXPECT_EQ(ours, theirs);
}

INSTANTIATE_TEST_SUITE_P(Vectors, ClassicSuiteTest, ::testing::ValuesIn(ClassicCases()),
                         [](const auto& info) { return TestName(info.param); });

TEST(ClassicSuiteInventoryTest, FindsEveryVectorAndEveryNamedCase) {
  std::vector<std::string> cases = ClassicCases();
  EXPECT_EQ(cases.size(), kClassicSuiteSize);
  std::set<std::string> found(cases.begin(), cases.end());
  for (const auto& [name, token] : ClassicSessionTokens()) EXPECT_TRUE(found.contains(name));
  for (const auto& name : kClassicStaleSignedRequest) EXPECT_TRUE(found.contains(name));
  // post-sts-header-before's .req already carries the token the table above supplies.
  RequestFile before = ParseRequest(ReadVector(
      ClassicRoot() / "post-sts-token" / "post-sts-header-before" / "post-sts-header-before.req"));
  EXPECT_EQ(before.Header("x-amz-security-token"),
            ClassicSessionTokens().at("post-sts-token/post-sts-header-before").value);
}

// ---------------------------------------------------------------------------------------------
// aws-c-auth's suite: v4/<case>/{context.json, request.txt, header-*, query-*}.

std::vector<std::string> SigningCases() {
  std::vector<std::string> cases;
  if (!fs::is_directory(SigningRoot())) return cases;
  for (const auto& entry : fs::directory_iterator(SigningRoot())) {
    if (fs::exists(entry.path() / "context.json")) {
      cases.push_back(entry.path().filename().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

struct SigningContext {
  AwsCredentials credentials;
  SigV4Options options;
  TimePoint time;
  std::chrono::seconds expires{0};
};

SigningContext ReadContext(const fs::path& dir) {
  nlohmann::json context = nlohmann::json::parse(ReadFile(dir / "context.json"));
  SigningContext out;
  const auto& credentials = context.at("credentials");
  out.credentials.access_key_id = credentials.at("access_key_id").get<std::string>();
  out.credentials.secret_access_key = credentials.at("secret_access_key").get<std::string>();
  out.credentials.session_token = credentials.value("token", "");
  out.options = SigV4Options::ForService(context.at("service").get<std::string>(),
                                         context.at("region").get<std::string>());
  out.options.path_rule =
      context.at("normalize").get<bool>() ? PathRule::kNormalizeAndEncode : PathRule::kEncodeOnly;
  out.options.content_sha256_header = context.at("sign_body").get<bool>();
  out.options.sign_session_token = !context.value("omit_session_token", false);
  out.time = ParseTimestamp(context.at("timestamp").get<std::string>());
  out.expires = std::chrono::seconds(context.at("expiration_in_seconds").get<int>());
  return out;
}

class SigningSuiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  fs::path dir() const { return SigningRoot() / GetParam(); }
  std::string file(const char* name) const { return ReadVector(dir() / name); }
};

TEST_P(SigningSuiteTest, HeaderFormMatches) {
  SigningContext context = ReadContext(dir());
  RequestFile request_file = ParseRequest(file("request.txt"));
  FakeClock clock(context.time);
  SigV4Signer signer(context.options, clock);

  ASSERT_OK_AND_ASSIGN(SignedRequest signed_request,
                       signer.Sign(ToHttpRequest(request_file), context.credentials));
  EXPECT_EQ(signed_request.canonical_request, file("header-canonical-request.txt"));
  EXPECT_EQ(signed_request.string_to_sign, file("header-string-to-sign.txt"));
  EXPECT_EQ(signed_request.signature, file("header-signature.txt"));

  RequestFile expected = ParseRequest(file("header-signed-request.txt"));
  EXPECT_EQ(expected.method, signed_request.request.method);
  EXPECT_EQ(expected.target, request_file.target);
  EXPECT_EQ(expected.body, signed_request.request.body);
  EXPECT_EQ(HeaderMultiset(signed_request.request.headers), HeaderMultiset(expected.headers));
}

TEST_P(SigningSuiteTest, QueryFormMatches) {
  SigningContext context = ReadContext(dir());
  RequestFile request_file = ParseRequest(file("request.txt"));
  FakeClock clock(context.time);
  SigV4Signer signer(context.options, clock);

  HttpRequest request = ToHttpRequest(request_file);
  ASSERT_OK_AND_ASSIGN(PresignedUrl presigned,
                       signer.Presign(request, context.credentials, context.expires));
  EXPECT_EQ(presigned.canonical_request, file("query-canonical-request.txt"));
  EXPECT_EQ(presigned.string_to_sign, file("query-string-to-sign.txt"));
  EXPECT_EQ(presigned.signature, file("query-signature.txt"));

  // The README: the signed request's parameter order is not canonical; compare parameters.
  RequestFile expected = ParseRequest(file("query-signed-request.txt"));
  std::string ours = TargetOf(presigned.url);
  size_t our_q = ours.find('?');
  size_t their_q = expected.target.find('?');
  EXPECT_EQ(ours.substr(0, our_q), expected.target.substr(0, their_q));
  EXPECT_EQ(QueryMultiset(ours.substr(our_q + 1)),
            QueryMultiset(expected.target.substr(their_q + 1)));
  EXPECT_EQ(expected.method, request.method);
  EXPECT_EQ(expected.body, request.body);
  // A presigned request is sent with the headers it was signed with, and nothing else.
  EXPECT_EQ(HeaderMultiset(request.headers), HeaderMultiset(expected.headers));
}

INSTANTIATE_TEST_SUITE_P(Vectors, SigningSuiteTest, ::testing::ValuesIn(SigningCases()),
                         [](const auto& info) { return TestName(info.param); });

TEST(SigningSuiteInventoryTest, FindsEveryVector) {
  EXPECT_EQ(SigningCases().size(), kSigningSuiteSize);
}

// ---------------------------------------------------------------------------------------------
// AWS's S3 examples (s3-examples.json): S3 rules, so paths are signed as sent.

nlohmann::json S3Examples() {
  std::string text = ReadFile(Root() / "s3-examples.json");
  return text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text);
}

std::vector<std::string> S3ExampleNames() {
  std::vector<std::string> names;
  nlohmann::json examples = S3Examples();
  for (const auto& example : examples.value("examples", nlohmann::json::array())) {
    names.push_back(example.at("name").get<std::string>());
  }
  return names;
}

// The page prints the Authorization parts joined by "," where the signer writes ", " (both
// valid, README): compare with the spaces taken out.
std::string WithoutCommaSpaces(std::string s) {
  for (size_t at; (at = s.find(", ")) != std::string::npos;) s.erase(at + 1, 1);
  return s;
}

class S3ExampleTest : public ::testing::TestWithParam<std::string> {};

TEST_P(S3ExampleTest, Matches) {
  nlohmann::json all = S3Examples();
  nlohmann::json example;
  for (const auto& e : all.at("examples")) {
    if (e.at("name") == GetParam()) example = e;
  }
  ASSERT_FALSE(example.is_null());
  AwsCredentials credentials{all.at("credentials").at("access_key_id").get<std::string>(),
                             all.at("credentials").at("secret_access_key").get<std::string>(), "",
                             std::nullopt, "test"};
  SigV4Options options = SigV4Options::ForService(all.at("service").get<std::string>(),
                                                  all.at("region").get<std::string>());
  ASSERT_EQ(options.path_rule, PathRule::kAsSent);
  FakeClock clock(ParseTimestamp(all.at("timestamp").get<std::string>()));
  SigV4Signer signer(options, clock);

  HttpRequest request;
  request.method = example.at("method").get<std::string>();
  request.url = example.at("url").get<std::string>();
  for (const auto& header : example.at("headers")) {
    request.headers.emplace_back(header.at(0).get<std::string>(), header.at(1).get<std::string>());
  }
  request.body = example.at("body").get<std::string>();

  EXPECT_EQ(HexEncode(DeriveSigningKey(credentials.secret_access_key,
                                       all.at("amz_date").get<std::string>().substr(0, 8),
                                       options.region, options.service)),
            example.at("signing_key_hex").get<std::string>());

  if (example.at("kind") == "presigned-url") {
    ASSERT_OK_AND_ASSIGN(
        PresignedUrl presigned,
        signer.Presign(request, credentials,
                       std::chrono::seconds(example.at("expires_seconds").get<int>())));
    EXPECT_EQ(presigned.canonical_request, example.at("canonical_request").get<std::string>());
    EXPECT_EQ(presigned.string_to_sign, example.at("string_to_sign").get<std::string>());
    EXPECT_EQ(presigned.signature, example.at("signature").get<std::string>());
    EXPECT_EQ(presigned.url, example.at("presigned_url").get<std::string>());
  } else {
    ASSERT_OK_AND_ASSIGN(SignedRequest signed_request, signer.Sign(request, credentials));
    EXPECT_EQ(signed_request.canonical_request, example.at("canonical_request").get<std::string>());
    EXPECT_EQ(signed_request.string_to_sign, example.at("string_to_sign").get<std::string>());
    EXPECT_EQ(signed_request.signature, example.at("signature").get<std::string>());
    EXPECT_EQ(WithoutCommaSpaces(signed_request.authorization),
              example.at("authorization").get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, S3ExampleTest, ::testing::ValuesIn(S3ExampleNames()),
                         [](const auto& info) { return TestName(info.param); });

TEST(S3ExampleInventoryTest, FindsEveryExample) {
  EXPECT_EQ(S3ExampleNames().size(), kS3ExampleCount);
}

}  // namespace
}  // namespace enhancer
