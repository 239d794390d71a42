// The AWS shared files: the credentials file (~/.aws/credentials, sections "[name]") and the
// config file (~/.aws/config, sections "[profile name]" and "[default]"), read as the AWS CLI
// and SDKs read them. A profile's properties are the union of both files' sections for it; the
// credentials file wins where both set a property.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_environment.h"
#include "core/status.h"

namespace enhancer {

// Property name (lowercased) -> value.
using AwsProfile = std::map<std::string, std::string>;

enum class AwsFileKind { kCredentials, kConfig };

// Profiles by name. Lines starting with '#' or ';' are comments; indented lines under a
// property (sub-properties such as "s3 =\n  addressing_style = path") are skipped; in the config
// file, sections other than "[default]" and "[profile name]" (sso-session, services) are
// ignored. There are no inline comments: "key = a # b" has the value "a # b".
std::map<std::string, AwsProfile> ParseAwsProfiles(std::string_view text, AwsFileKind kind);

// AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials; a leading "~/" is HOME. "" when
// neither the variable nor HOME is set.
std::string SharedCredentialsFilePath(const AwsEnvironment& env);
// AWS_CONFIG_FILE, else $HOME/.aws/config; as above.
std::string SharedConfigFilePath(const AwsEnvironment& env);

// AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
std::string SelectedProfileName(const AwsEnvironment& env);

struct LoadedProfile {
  AwsProfile properties;                    // empty when no file has the profile
  bool found = false;                       // some file has a section for it
  std::vector<std::string> files_searched;  // "path" or "path (missing)", for messages
};

// Reads both files (a missing file is not an error) and merges profile `name`.
// FailedPrecondition when a file exists but cannot be read.
Result<LoadedProfile> LoadAwsProfile(const AwsEnvironment& env, const std::string& name);

}  // namespace enhancer
