#include "aws/aws_profile_files.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace enhancer {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ExpandHome(const std::string& path, const AwsEnvironment& env) {
  if (path == "~" || path.starts_with("~/")) {
    std::string home = EnvValue(env, "HOME");
    if (home.empty()) return "";
    return home + path.substr(1);
  }
  return path;
}

std::string FilePath(const AwsEnvironment& env, const char* variable, const char* leaf) {
  if (std::string explicit_path = EnvValue(env, variable); !explicit_path.empty()) {
    return ExpandHome(explicit_path, env);
  }
  std::string home = EnvValue(env, "HOME");
  if (home.empty()) return "";
  return home + "/.aws/" + leaf;
}

// The section's profile name, or "" when the section is not a profile.
std::string ProfileOfSection(std::string_view section, AwsFileKind kind) {
  section = Trim(section);
  if (kind == AwsFileKind::kCredentials) return std::string(section);
  if (section == "default") return "default";
  if (section.starts_with("profile") && section.size() > 7 &&
      std::isspace(static_cast<unsigned char>(section[7]))) {
    return std::string(Trim(section.substr(7)));
  }
  return "";
}

}  // namespace

std::map<std::string, AwsProfile> ParseAwsProfiles(std::string_view text, AwsFileKind kind) {
  std::map<std::string, AwsProfile> profiles;
  AwsProfile* current = nullptr;
  bool in_sub_properties = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      in_sub_properties = false;
      size_t close = line.find(']');
      std::string name =
          close == std::string_view::npos ? "" : ProfileOfSection(line.substr(1, close - 1), kind);
      current = name.empty() ? nullptr : &profiles[name];
      continue;
    }
    bool indented = std::isspace(static_cast<unsigned char>(raw.front()));
    if (indented && in_sub_properties) continue;
    in_sub_properties = false;
    if (current == nullptr) continue;
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    std::string key = Lowercase(Trim(line.substr(0, equals)));
    std::string_view value = Trim(line.substr(equals + 1));
    if (value.empty()) {
      in_sub_properties = true;  // "s3 =" opens a block of indented sub-properties
      continue;
    }
    if (!key.empty()) (*current)[key] = std::string(value);
  }
  return profiles;
}

std::string SharedCredentialsFilePath(const AwsEnvironment& env) {
  return FilePath(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
}

std::string SharedConfigFilePath(const AwsEnvironment& env) {
  return FilePath(env, "AWS_CONFIG_FILE", "config");
}

std::string SelectedProfileName(const AwsEnvironment& env) {
  if (std::string name = EnvValue(env, "AWS_PROFILE"); !name.empty()) return name;
  if (std::string name = EnvValue(env, "AWS_DEFAULT_PROFILE"); !name.empty()) return name;
  return "default";
}

Result<LoadedProfile> LoadAwsProfile(const AwsEnvironment& env, const std::string& name) {
  LoadedProfile out;
  // The config file first, so the credentials file's values overwrite it.
  const std::pair<std::string, AwsFileKind> files[] = {
      {SharedConfigFilePath(env), AwsFileKind::kConfig},
      {SharedCredentialsFilePath(env), AwsFileKind::kCredentials},
  };
  for (const auto& [path, kind] : files) {
    if (path.empty()) continue;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      out.files_searched.push_back(path + " (missing)");
      continue;
    }
    out.files_searched.push_back(path);
    std::ifstream in(path, std::ios::binary);
    if (!std::filesystem::is_regular_file(path, ec) || !in.is_open()) {
      return FailedPreconditionError(std::string("cannot read AWS ") +
                                     (kind == AwsFileKind::kConfig ? "config" : "credentials") +
                                     " file " + path);
    }
    std::stringstream text;
    text << in.rdbuf();
    std::map<std::string, AwsProfile> profiles = ParseAwsProfiles(text.str(), kind);
    if (auto it = profiles.find(name); it != profiles.end()) {
      out.found = true;
      for (auto& [key, value] : it->second) out.properties[key] = value;
    }
  }
  return out;
}

}  // namespace enhancer
