// CredentialsChain: providers tried in order until one has credentials, the AWS SDKs' default
// chain: environment, shared files (profile), container endpoint, instance metadata.
#pragma once

#include <memory>
#include <vector>

#include "aws/aws_environment.h"
#include "aws/credentials_provider.h"
#include "core/clock.h"
#include "net/http_client.h"

namespace enhancer {

class CredentialsChain final : public CredentialsProvider {
 public:
  explicit CredentialsChain(std::vector<std::unique_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}

  // The first provider's credentials that is not NotFound. A provider's other error ends the
  // search and is returned: a source that is configured but broken must be fixed, not skipped
  // (skipping could sign as another identity). When every provider says NotFound:
  // FailedPrecondition listing what each one looked at and what to set. Cancelled when `stop` is
  // requested between providers. Thread-safe if the providers are.
  Result<AwsCredentials> Get(std::stop_token stop) override;

 private:
  const std::vector<std::unique_ptr<CredentialsProvider>> providers_;
};

// The default chain over `env`, behind a CachingCredentialsProvider. `http` and `clock` must
// outlive the result.
std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(
    const AwsEnvironment& env, HttpClient& http, const Clock& clock = Clock::Real());

}  // namespace enhancer
