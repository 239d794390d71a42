// The default chain's first two links (environment, shared files) as a table over temp files,
// and the chain's own rules. The container and instance-metadata links, which need an HTTP
// server, are in container_credentials_provider_test.cc and imds_credentials_provider_test.cc.
#include "aws/credentials_chain.h"

#include <gtest/gtest.h>

#include <atomic>

#include "aws/environment_credentials_provider.h"
#include "aws/profile_credentials_provider.h"
#include "aws/test_temp_dir.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

constexpr char kSecret[] = "SUPERSECRET-do-not-print";

// An HttpClient that must not be called: the cases here never reach an endpoint.
class NoHttpClient final : public HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest& request, std::stop_token) override {
    ++calls;
    return UnavailableError("unexpected request to " + request.url);
  }
  std::atomic<int> calls{0};
};

struct ChainCase {
  std::string name;
  AwsEnvironment env;       // "$DIR" in a value becomes the case's temp folder
  std::string credentials;  // $DIR/home/.aws/credentials, if not empty
  std::string config;       // $DIR/home/.aws/config, if not empty
  StatusCode want_code = StatusCode::kOk;
  std::string want_key_id;      // when OK
  std::string want_source;      // when OK
  std::string want_in_message;  // when not OK
};

std::vector<ChainCase> ChainCases() {
  const std::string keys =
      std::string("aws_access_key_id = AKIAPROFILE\naws_secret_access_key = ") + kSecret + "\n";
  return {
      {"environment keys win over a profile",
       {{"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_SECRET_ACCESS_KEY", kSecret}},
       "[default]\n" + keys,
       "",
       StatusCode::kOk,
       "AKIAENV",
       "environment",
       ""},
      {"environment key id without secret stops the chain",
       {{"AWS_ACCESS_KEY_ID", "AKIAENV"}},
       "[default]\n" + keys,
       "",
       StatusCode::kFailedPrecondition,
       "",
       "",
       "AWS_SECRET_ACCESS_KEY is not"},
      {"environment secret without key id stops the chain",
       {{"AWS_SECRET_ACCESS_KEY", kSecret}},
       "",
       "",
       StatusCode::kFailedPrecondition,
       "",
       "",
       "AWS_ACCESS_KEY_ID is not"},
      {"default profile in the credentials file",
       {},
       "[default]\n" + keys,
       "",
       StatusCode::kOk,
       "AKIAPROFILE",
       "profile default",
       ""},
      {"named profile from the config file",
       {{"AWS_PROFILE", "dev"}},
       "",
       "[profile dev]\n" + keys,
       StatusCode::kOk,
       "AKIAPROFILE",
       "profile dev",
       ""},
      {"AWS_SHARED_CREDENTIALS_FILE elsewhere",
       {{"AWS_SHARED_CREDENTIALS_FILE", "$DIR/elsewhere/creds"}},
       "",
       "",
       StatusCode::kOk,
       "AKIAELSEWHERE",
       "profile default",
       ""},
      {"AWS_PROFILE naming a missing profile",
       {{"AWS_PROFILE", "nope"}},
       "[default]\n" + keys,
       "",
       StatusCode::kFailedPrecondition,
       "",
       "",
       "\"nope\""},
      {"profile with role_arn only",
       {{"AWS_PROFILE", "role"}},
       "",
       "[profile role]\nrole_arn = arn:aws:iam::1:role/r\n"
       "source_profile = default\n",
       StatusCode::kFailedPrecondition,
       "",
       "",
       "role_arn"},
      {"profile with a key id but no secret",
       {},
       "[default]\naws_access_key_id = AKIAHALF\n",
       "",
       StatusCode::kFailedPrecondition,
       "",
       "",
       "no aws_secret_access_key"},
      {"profile with a secret but no key id",
       {},
       std::string("[default]\naws_secret_access_key = ") + kSecret + "\n",
       "",
       StatusCode::kFailedPrecondition,
       "",
       "",
       "no aws_access_key_id"},
      {"profile with only a region falls through to nothing",
       {},
       "",
       "[default]\nregion = eu-west-1\n",
       StatusCode::kFailedPrecondition,
       "",
       "",
       "no AWS credentials found"},
      {"nothing anywhere",
       {},
       "",
       "",
       StatusCode::kFailedPrecondition,
       "",
       "",
       "no AWS credentials found"},
  };
}

TEST(CredentialsChainTest, FollowsTheSdkOrderAndRules) {
  for (const ChainCase& c : ChainCases()) {
    SCOPED_TRACE(c.name);
    TestTempDir dir;
    if (!c.credentials.empty()) dir.Write("home/.aws/credentials", c.credentials);
    if (!c.config.empty()) dir.Write("home/.aws/config", c.config);
    dir.Write("elsewhere/creds",
              std::string("[default]\naws_access_key_id=AKIAELSEWHERE\naws_secret_access_key=") +
                  kSecret + "\n");
    AwsEnvironment env = {{"HOME", (dir.path() / "home").string()},
                          {"AWS_EC2_METADATA_DISABLED", "true"}};
    for (auto [name, value] : c.env) {
      if (size_t at = value.find("$DIR"); at != std::string::npos) {
        value.replace(at, 4, dir.path().string());
      }
      env[name] = value;
    }
    NoHttpClient http;
    FakeClock clock;
    std::unique_ptr<CredentialsProvider> chain = MakeDefaultCredentialsChain(env, http, clock);
    Result<AwsCredentials> got = chain->Get({});
    EXPECT_EQ(http.calls.load(), 0);
    if (c.want_code == StatusCode::kOk) {
      ASSERT_OK(got);
      EXPECT_EQ(got->access_key_id, c.want_key_id);
      EXPECT_EQ(got->secret_access_key, kSecret);
      EXPECT_EQ(got->source, c.want_source);
    } else {
      EXPECT_CODE(got, c.want_code);
      EXPECT_NE(got.error().message().find(c.want_in_message), std::string::npos)
          << got.error().message();
      EXPECT_EQ(got.error().message().find(kSecret), std::string::npos) << got.error().message();
    }
  }
}

TEST(CredentialsChainTest, NothingFoundSaysWhatWasTriedAndWhatToSet) {
  TestTempDir dir;
  NoHttpClient http;
  FakeClock clock;
  auto chain = MakeDefaultCredentialsChain(
      {{"HOME", dir.path().string()}, {"AWS_EC2_METADATA_DISABLED", "TRUE"}}, http, clock);
  Result<AwsCredentials> got = chain->Get({});
  ASSERT_FALSE(got.has_value());
  const std::string message = got.error().message();
  const std::string credentials_file = (dir.path() / ".aws" / "credentials").string();
  for (const std::string& expected :
       {std::string("environment: AWS_ACCESS_KEY_ID"),
        std::string("shared files: no profile \"default\""), credentials_file,
        std::string("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
        std::string("AWS_EC2_METADATA_DISABLED"),
        std::string("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        std::string("AWS_PROFILE")}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  }
}

TEST(CredentialsChainTest, StopsWhenCancelled) {
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(std::make_unique<EnvironmentCredentialsProvider>(AwsEnvironment{}));
  CredentialsChain chain(std::move(providers));
  std::stop_source stop;
  stop.request_stop();
  EXPECT_CODE(chain.Get(stop.get_token()), StatusCode::kCancelled);
}

TEST(EnvironmentCredentialsProviderTest, ReadsTokenAndExpiration) {
  EnvironmentCredentialsProvider provider({{"AWS_ACCESS_KEY_ID", "ASIAENV"},
                                           {"AWS_SECRET_ACCESS_KEY", kSecret},
                                           {"AWS_SESSION_TOKEN", "token"},
                                           {"AWS_CREDENTIAL_EXPIRATION", "2015-08-30T12:36:00Z"}});
  ASSERT_OK_AND_ASSIGN(AwsCredentials c, provider.Get({}));
  EXPECT_EQ(c.session_token, "token");
  ASSERT_TRUE(c.expiration.has_value());
  EXPECT_EQ(*c.expiration, TimePoint(std::chrono::seconds(1440938160)));

  EnvironmentCredentialsProvider bad_date({{"AWS_ACCESS_KEY_ID", "ASIAENV"},
                                           {"AWS_SECRET_ACCESS_KEY", kSecret},
                                           {"AWS_CREDENTIAL_EXPIRATION", "tomorrow"}});
  EXPECT_CODE(bad_date.Get({}), StatusCode::kFailedPrecondition);
  EXPECT_CODE(EnvironmentCredentialsProvider({}).Get({}), StatusCode::kNotFound);
}

TEST(ProfileCredentialsProviderTest, ReadsTheSessionToken) {
  TestTempDir dir;
  dir.Write(".aws/credentials", std::string("[default]\naws_access_key_id=ASIAP\n"
                                            "aws_secret_access_key=") +
                                    kSecret + "\naws_session_token=tok\n");
  ProfileCredentialsProvider provider({{"HOME", dir.path().string()}});
  ASSERT_OK_AND_ASSIGN(AwsCredentials c, provider.Get({}));
  EXPECT_EQ(c.session_token, "tok");
  EXPECT_FALSE(c.expiration.has_value());
}

TEST(ProfileCredentialsProviderTest, NoHomeAndNoFileVariablesIsNotFound) {
  EXPECT_CODE(ProfileCredentialsProvider({}).Get({}), StatusCode::kNotFound);
}

}  // namespace
}  // namespace enhancer
