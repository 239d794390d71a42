// CredentialsProvider: where signing keys come from. One implementation per source
// (environment, shared files, container endpoint, instance metadata), a chain that tries them
// in the AWS SDKs' order, and a cache that refreshes temporary keys before they expire.
#pragma once

#include <stop_token>

#include "aws/aws_credentials.h"
#include "core/status.h"

namespace enhancer {

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  // Current credentials. Errors:
  //   NotFound            this source is not configured here (a chain moves on to the next);
  //   FailedPrecondition  it is configured but wrong (a variable without its partner, a profile
  //                       that names an unsupported source): fix the configuration;
  //   Unavailable, DeadlineExceeded  its endpoint did not answer well: retry later;
  //   Cancelled           `stop` was requested.
  // Messages name variables, files and endpoints, never a secret. Thread-safe.
  virtual Result<AwsCredentials> Get(std::stop_token stop) = 0;
};

// Fixed credentials: tests, and keys the app got from its own configuration.
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(AwsCredentials credentials)
      : credentials_(std::move(credentials)) {}
  Result<AwsCredentials> Get(std::stop_token) override { return credentials_; }

 private:
  const AwsCredentials credentials_;
};

}  // namespace enhancer
