// EnvironmentCredentialsProvider: the first link of the chain, AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and (for temporary keys) AWS_SESSION_TOKEN, with the optional
// AWS_CREDENTIAL_EXPIRATION (ISO 8601) the SDKs also read.
#pragma once

#include "aws/aws_environment.h"
#include "aws/credentials_provider.h"

namespace enhancer {

class EnvironmentCredentialsProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(AwsEnvironment env) : env_(std::move(env)) {}

  // NotFound when neither key variable is set; FailedPrecondition when only one of them is, or
  // AWS_CREDENTIAL_EXPIRATION is not a date.
  Result<AwsCredentials> Get(std::stop_token stop) override;

 private:
  const AwsEnvironment env_;
};

}  // namespace enhancer
