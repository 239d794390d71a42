#include "aws/profile_credentials_provider.h"

#include "aws/aws_profile_files.h"

namespace enhancer {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out.empty() ? "no file (HOME is not set)" : out;
}

// Properties that mean "the keys come from elsewhere", which this program does not implement.
constexpr const char* kUnsupportedSources[] = {
    "role_arn",      "credential_process",      "sso_session",
    "sso_start_url", "web_identity_token_file", "credential_source"};

}  // namespace

Result<AwsCredentials> ProfileCredentialsProvider::Get(std::stop_token) {
  std::string name = SelectedProfileName(env_);
  bool named_explicitly =
      !EnvValue(env_, "AWS_PROFILE").empty() || !EnvValue(env_, "AWS_DEFAULT_PROFILE").empty();
  Result<LoadedProfile> loaded = LoadAwsProfile(env_, name);
  if (!loaded) return loaded.error().WithContext("shared files");
  std::string where = "profile \"" + name + "\" in " + Join(loaded->files_searched);
  if (!loaded->found) {
    if (named_explicitly) {
      return FailedPreconditionError("shared files: AWS_PROFILE names " + where +
                                     ", which does not exist");
    }
    return NotFoundError("shared files: no " + where);
  }
  const AwsProfile& profile = loaded->properties;
  auto value = [&](const char* key) {
    auto it = profile.find(key);
    return it == profile.end() ? std::string() : it->second;
  };
  AwsCredentials out;
  out.access_key_id = value("aws_access_key_id");
  out.secret_access_key = value("aws_secret_access_key");
  out.session_token = value("aws_session_token");
  out.source = "profile " + name;
  if (out.access_key_id.empty() && out.secret_access_key.empty()) {
    for (const char* key : kUnsupportedSources) {
      if (profile.contains(key)) {
        return FailedPreconditionError(
            "shared files: " + where + " gets its keys through " + key +
            ", which this program does not support; give the profile aws_access_key_id and "
            "aws_secret_access_key, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
      }
    }
    return NotFoundError("shared files: " + where + " has no aws_access_key_id");
  }
  if (out.secret_access_key.empty()) {
    return FailedPreconditionError("shared files: " + where +
                                   " has aws_access_key_id but no aws_secret_access_key");
  }
  if (out.access_key_id.empty()) {
    return FailedPreconditionError("shared files: " + where +
                                   " has aws_secret_access_key but no aws_access_key_id");
  }
  return out;
}

}  // namespace enhancer
