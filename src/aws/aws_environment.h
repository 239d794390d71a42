// AwsEnvironment: the variables the AWS conventions read (AWS_REGION, AWS_PROFILE, ...), handed
// in as a map. Only src/app reads the process environment; it passes its map here.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace enhancer {

// The same type as src/app's Environment, so the app passes its map as it is.
using AwsEnvironment = std::map<std::string, std::string>;

// The variable's value, or "" when it is unset.
inline std::string EnvValue(const AwsEnvironment& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

}  // namespace enhancer
