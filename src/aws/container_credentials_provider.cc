#include "aws/container_credentials_provider.h"

#include <fstream>
#include <sstream>

#include "aws/credentials_json.h"
#include "net/url.h"

namespace enhancer {
namespace {

constexpr char kEcsAgentBase[] = "http://169.254.170.2";
constexpr std::chrono::milliseconds kConnectTimeout{2000};
constexpr std::chrono::milliseconds kTimeout{5000};

bool IsAllowedPlainHttpHost(const std::string& host) {
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

}  // namespace

Result<AwsCredentials> ContainerCredentialsProvider::Get(std::stop_token stop) {
  std::string relative = EnvValue(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  std::string full = EnvValue(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (relative.empty() && full.empty()) {
    return NotFoundError(
        "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
        "AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
  }
  HttpRequest request;
  request.connect_timeout = kConnectTimeout;
  request.timeout = kTimeout;
  if (!relative.empty()) {
    request.url = kEcsAgentBase + (relative.starts_with("/") ? relative : "/" + relative);
  } else {
    Result<Url> url = ParseUrl(full);
    if (!url) {
      return FailedPreconditionError("container: AWS_CONTAINER_CREDENTIALS_FULL_URI: " +
                                     url.error().message());
    }
    if (url->scheme != "https" && !IsAllowedPlainHttpHost(url->host)) {
      return FailedPreconditionError(
          "container: AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or a loopback or "
          "container-agent host, not http://" +
          url->host);
    }
    request.url = full;
  }

  std::string token;
  if (std::string path = EnvValue(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !path.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) {
      return FailedPreconditionError(
          "container: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + path);
    }
    std::stringstream text;
    text << in.rdbuf();
    token = text.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  } else {
    token = EnvValue(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token.find_first_of("\r\n") != std::string::npos) {
    return FailedPreconditionError("container: the authorization token contains a line break");
  }
  if (!token.empty()) request.headers.emplace_back("Authorization", token);
  request.headers.emplace_back("Accept", "application/json");

  std::string where = "container credentials endpoint " + request.url;
  Result<HttpResponse> response = http_.Send(request, stop);
  if (!response) return response.error().WithContext("container");
  if (response->status == 200) return ParseCredentialsJson(response->body, "container");
  std::string message =
      "container: " + where + " answered HTTP " + std::to_string(response->status);
  if (response->status >= 500 || response->status == 429) return UnavailableError(message);
  return FailedPreconditionError(message);
}

}  // namespace enhancer
