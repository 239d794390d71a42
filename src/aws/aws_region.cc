#include "aws/aws_region.h"

#include <cctype>
#include <vector>

#include "aws/aws_profile_files.h"
#include "net/url.h"

namespace enhancer {
namespace {

std::vector<std::string_view> Labels(std::string_view host) {
  std::vector<std::string_view> labels;
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    if (dot == std::string_view::npos) dot = host.size();
    labels.push_back(host.substr(start, dot - start));
    start = dot + 1;
  }
  return labels;
}

}  // namespace

bool LooksLikeRegion(std::string_view name) {
  // letters-letters(-letters)*-digits
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= name.size()) {
    size_t dash = name.find('-', start);
    if (dash == std::string_view::npos) dash = name.size();
    parts.push_back(name.substr(start, dash - start));
    start = dash + 1;
  }
  if (parts.size() < 3) return false;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i].empty()) return false;
    for (char c : parts[i]) {
      if (c < 'a' || c > 'z') return false;
    }
  }
  if (parts.back().empty()) return false;
  for (char c : parts.back()) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Result<std::string> ResolveRegion(const AwsEnvironment& env) {
  if (std::string region = EnvValue(env, "AWS_REGION"); !region.empty()) return region;
  if (std::string region = EnvValue(env, "AWS_DEFAULT_REGION"); !region.empty()) return region;
  std::string profile = SelectedProfileName(env);
  Result<LoadedProfile> loaded = LoadAwsProfile(env, profile);
  if (!loaded) return loaded.error();
  if (auto it = loaded->properties.find("region");
      it != loaded->properties.end() && !it->second.empty()) {
    return it->second;
  }
  return NotFoundError(
      "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or region in profile \"" + profile +
      "\" of the AWS config file)");
}

Result<std::string> RegionFromQueueUrl(std::string_view queue_url) {
  auto not_aws = [&] {
    return InvalidArgumentError("\"" + std::string(queue_url) +
                                "\" is not an AWS SQS queue URL with a region in its host "
                                "(sqs.<region>.amazonaws.com); set AWS_REGION");
  };
  Result<Url> url = ParseUrl(queue_url);
  if (!url) return not_aws();
  std::vector<std::string_view> labels = Labels(url->host);
  // Strip the AWS domain: amazonaws.com or amazonaws.com.cn.
  size_t n = labels.size();
  if (n >= 3 && labels[n - 1] == "cn" && labels[n - 2] == "com" && labels[n - 3] == "amazonaws") {
    n -= 3;
  } else if (n >= 2 && labels[n - 1] == "com" && labels[n - 2] == "amazonaws") {
    n -= 2;
  } else {
    return not_aws();
  }
  for (size_t i = 0; i < n; ++i) {
    bool service_label = labels[i] == "sqs" || labels[i] == "sqs-fips";
    if (service_label && i + 1 < n && LooksLikeRegion(labels[i + 1])) {
      return std::string(labels[i + 1]);
    }
    if (labels[i] == "queue" && i + 1 == n) {
      if (i == 0) return std::string("us-east-1");
      if (LooksLikeRegion(labels[i - 1])) return std::string(labels[i - 1]);
    }
  }
  return not_aws();
}

}  // namespace enhancer
