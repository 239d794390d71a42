// ProfileCredentialsProvider: the second link of the chain, static keys (aws_access_key_id,
// aws_secret_access_key, aws_session_token) of the selected profile in the shared credentials
// and config files (aws_profile_files.h). Profiles that get keys another way (role_arn,
// credential_process, SSO, web identity) are refused with a clear message rather than skipped,
// so the program never signs as a different identity than the profile meant.
#pragma once

#include "aws/aws_environment.h"
#include "aws/credentials_provider.h"

namespace enhancer {

class ProfileCredentialsProvider final : public CredentialsProvider {
 public:
  explicit ProfileCredentialsProvider(AwsEnvironment env) : env_(std::move(env)) {}

  // Reads the files on every call (the chain's cache keeps the result).
  // NotFound: no file, the default profile is absent, or the profile has no keys.
  // FailedPrecondition: AWS_PROFILE names a profile no file has; only one of the two keys; a
  // source this program does not support; a file that cannot be read.
  Result<AwsCredentials> Get(std::stop_token stop) override;

 private:
  const AwsEnvironment env_;
};

}  // namespace enhancer
