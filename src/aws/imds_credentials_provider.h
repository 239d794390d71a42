// ImdsCredentialsProvider: the last link of the chain, the role credentials of an EC2 instance
// from its instance metadata service, IMDSv2 only (a session token first, sent with every
// read; IMDSv1's unauthenticated reads are never tried):
//   PUT /latest/api/token                          X-aws-ec2-metadata-token-ttl-seconds: 21600
//   GET /latest/meta-data/iam/security-credentials/        -> the role name
//   GET /latest/meta-data/iam/security-credentials/<role>  -> the credentials document
// Endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254 (or
// http://[fd00:ec2::254] with AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6).
// AWS_EC2_METADATA_DISABLED=true turns it off.
#pragma once

#include <mutex>
#include <string>

#include "aws/aws_environment.h"
#include "aws/credentials_provider.h"
#include "core/clock.h"
#include "net/http_client.h"

namespace enhancer {

class ImdsCredentialsProvider final : public CredentialsProvider {
 public:
  // `http` and `clock` must outlive the provider. The clock times the session token's reuse.
  ImdsCredentialsProvider(AwsEnvironment env, HttpClient& http, const Clock& clock = Clock::Real());

  // NotFound: disabled; nothing answers at the default endpoint (not on EC2); the service
  // refuses tokens (403: metadata turned off for the instance); no role is attached (404).
  // Unavailable / DeadlineExceeded: an endpoint set by AWS_EC2_METADATA_SERVICE_ENDPOINT does
  // not answer, or the service answers 5xx or a document without keys.
  Result<AwsCredentials> Get(std::stop_token stop) override;

 private:
  // A session token, reused until shortly before its TTL ends.
  Result<std::string> Token(std::stop_token stop);
  // GET `path` with the token; one fresh token and a second try on 401 (token expired).
  Result<HttpResponse> Read(const std::string& path, std::stop_token stop);

  const AwsEnvironment env_;
  HttpClient& http_;
  const Clock& clock_;
  const std::string endpoint_;  // no trailing slash
  const bool endpoint_from_env_;

  std::mutex mu_;
  std::string token_;       // guarded by mu_
  TimePoint token_expiry_;  // guarded by mu_
};

}  // namespace enhancer
