#include "aws/environment_credentials_provider.h"

#include "aws/credentials_json.h"

namespace enhancer {

Result<AwsCredentials> EnvironmentCredentialsProvider::Get(std::stop_token) {
  AwsCredentials out;
  out.access_key_id = EnvValue(env_, "AWS_ACCESS_KEY_ID");
  out.secret_access_key = EnvValue(env_, "AWS_SECRET_ACCESS_KEY");
  out.session_token = EnvValue(env_, "AWS_SESSION_TOKEN");
  out.source = "environment";
  if (out.access_key_id.empty() && out.secret_access_key.empty()) {
    return NotFoundError("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (out.secret_access_key.empty()) {
    return FailedPreconditionError(
        "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  }
  if (out.access_key_id.empty()) {
    return FailedPreconditionError(
        "environment: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
  }
  if (std::string expiration = EnvValue(env_, "AWS_CREDENTIAL_EXPIRATION"); !expiration.empty()) {
    Result<TimePoint> when = ParseIso8601(expiration);
    if (!when) {
      return FailedPreconditionError("environment: AWS_CREDENTIAL_EXPIRATION \"" + expiration +
                                     "\" is not an ISO 8601 date");
    }
    out.expiration = *when;
  }
  return out;
}

}  // namespace enhancer
