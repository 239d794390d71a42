// ContainerCredentialsProvider: the third link of the chain, the credentials endpoint that ECS
// tasks and EKS pods get. AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is a path on
// http://169.254.170.2; AWS_CONTAINER_CREDENTIALS_FULL_URI is a whole URL, allowed only over
// https or to a loopback or container-agent address (169.254.170.2, 169.254.170.23,
// fd00:ec2::23), as the SDKs require. The request carries AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE's
// content (read on every call: the agent rotates it) or AWS_CONTAINER_AUTHORIZATION_TOKEN as
// its Authorization header.
#pragma once

#include "aws/aws_environment.h"
#include "aws/credentials_provider.h"
#include "net/http_client.h"

namespace enhancer {

class ContainerCredentialsProvider final : public CredentialsProvider {
 public:
  // `http` must outlive the provider.
  ContainerCredentialsProvider(AwsEnvironment env, HttpClient& http)
      : env_(std::move(env)), http_(http) {}

  // NotFound: neither URI variable is set. FailedPrecondition: a FULL_URI that is not allowed, an
  // unreadable token file, a token with a line break, a 4xx answer (a wrong token).
  // Unavailable / DeadlineExceeded: the endpoint failed, answered 5xx or 429, or sent a
  // document without keys.
  Result<AwsCredentials> Get(std::stop_token stop) override;

 private:
  const AwsEnvironment env_;
  HttpClient& http_;
};

}  // namespace enhancer
