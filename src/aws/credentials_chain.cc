#include "aws/credentials_chain.h"

#include "aws/caching_credentials_provider.h"
#include "aws/container_credentials_provider.h"
#include "aws/environment_credentials_provider.h"
#include "aws/imds_credentials_provider.h"
#include "aws/profile_credentials_provider.h"

namespace enhancer {

Result<AwsCredentials> CredentialsChain::Get(std::stop_token stop) {
  std::string tried;
  for (const auto& provider : providers_) {
    if (stop.stop_requested()) return CancelledError("looking for AWS credentials: cancelled");
    Result<AwsCredentials> credentials = provider->Get(stop);
    if (credentials) return credentials;
    if (credentials.error().code() != StatusCode::kNotFound) return credentials.error();
    tried += "\n  - " + credentials.error().message();
  }
  return FailedPreconditionError(
      "no AWS credentials found. Tried, in order:" + tried +
      "\nSet AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary "
      "keys), or AWS_PROFILE naming a profile with keys in ~/.aws/credentials "
      "(AWS_SHARED_CREDENTIALS_FILE), or run with a container or EC2 instance role.");
}

std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(const AwsEnvironment& env,
                                                                 HttpClient& http,
                                                                 const Clock& clock) {
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(std::make_unique<EnvironmentCredentialsProvider>(env));
  providers.push_back(std::make_unique<ProfileCredentialsProvider>(env));
  providers.push_back(std::make_unique<ContainerCredentialsProvider>(env, http));
  providers.push_back(std::make_unique<ImdsCredentialsProvider>(env, http, clock));
  return std::make_unique<CachingCredentialsProvider>(
      std::make_unique<CredentialsChain>(std::move(providers)), clock);
}

}  // namespace enhancer
