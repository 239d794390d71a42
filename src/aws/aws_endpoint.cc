#include "aws/aws_endpoint.h"

#include <cctype>

#include "net/url.h"

namespace enhancer {
namespace {

std::string EnvSuffix(std::string_view service) {
  std::string out;
  for (char c : service) {
    out.push_back(c == ' ' || c == '-'
                      ? '_'
                      : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<std::string> ResolveEndpoint(std::string_view service, const AwsEnvironment& env,
                                    std::string_view region) {
  if (Lowercase(EnvValue(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) != "true") {
    for (const std::string& variable :
         {"AWS_ENDPOINT_URL_" + EnvSuffix(service), std::string("AWS_ENDPOINT_URL")}) {
      std::string value = EnvValue(env, variable);
      if (value.empty()) continue;
      if (Result<Url> url = ParseUrl(value); !url) {
        return InvalidArgumentError(variable + ": " + url.error().message());
      }
      while (value.back() == '/') value.pop_back();
      return value;
    }
  }
  if (region.empty()) {
    return FailedPreconditionError("no endpoint for " + std::string(service) +
                                   ": no region is set (AWS_REGION) and no AWS_ENDPOINT_URL_" +
                                   EnvSuffix(service) + " or AWS_ENDPOINT_URL");
  }
  std::string domain = region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return "https://" + std::string(service) + "." + std::string(region) + "." + domain;
}

}  // namespace enhancer
