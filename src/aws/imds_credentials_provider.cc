#include "aws/imds_credentials_provider.h"

#include <cctype>

#include "aws/credentials_json.h"

namespace enhancer {
namespace {

constexpr char kDefaultEndpoint[] = "http://169.254.169.254";
constexpr char kDefaultEndpointIpv6[] = "http://[fd00:ec2::254]";
constexpr char kTokenPath[] = "/latest/api/token";
constexpr char kCredentialsPath[] = "/latest/meta-data/iam/security-credentials/";
constexpr std::chrono::seconds kTokenTtl{21600};
// A token is replaced this long before its TTL ends, so a read never races its expiry.
constexpr std::chrono::seconds kTokenRefreshMargin{60};
// The SDKs wait about a second: off EC2 nothing answers, and start-up should not hang on it.
constexpr std::chrono::milliseconds kConnectTimeout{1000};
constexpr std::chrono::milliseconds kTimeout{2000};

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string EndpointFrom(const AwsEnvironment& env) {
  std::string endpoint = EnvValue(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (endpoint.empty()) {
    endpoint = Lowercase(EnvValue(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")) == "ipv6"
                   ? kDefaultEndpointIpv6
                   : kDefaultEndpoint;
  }
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  return endpoint;
}

bool IsNoAnswer(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded;
}

}  // namespace

ImdsCredentialsProvider::ImdsCredentialsProvider(AwsEnvironment env, HttpClient& http,
                                                 const Clock& clock)
    : env_(std::move(env)),
      http_(http),
      clock_(clock),
      endpoint_(EndpointFrom(env_)),
      endpoint_from_env_(!EnvValue(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT").empty()) {}

Result<std::string> ImdsCredentialsProvider::Token(std::stop_token stop) {
  std::lock_guard lock(mu_);
  if (!token_.empty() && clock_.Now() < token_expiry_ - kTokenRefreshMargin) return token_;
  HttpRequest request;
  request.method = "PUT";
  request.url = endpoint_ + kTokenPath;
  request.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(kTokenTtl.count())}};
  request.connect_timeout = kConnectTimeout;
  request.timeout = kTimeout;
  TimePoint asked = clock_.Now();
  Result<HttpResponse> response = http_.Send(request, stop);
  if (!response) {
    if (IsNoAnswer(response.error().code()) && !endpoint_from_env_) {
      return NotFoundError("instance metadata: nothing answers at " + endpoint_ +
                           " (not an EC2 instance?): " + response.error().message());
    }
    return response.error().WithContext("instance metadata");
  }
  if (response->status == 403) {
    return NotFoundError("instance metadata: " + endpoint_ +
                         " refuses tokens (HTTP 403: metadata is turned off for this instance)");
  }
  if (response->status != 200 || response->body.empty()) {
    std::string message = "instance metadata: PUT " + endpoint_ + kTokenPath + " answered HTTP " +
                          std::to_string(response->status);
    if (response->status >= 500 || response->status == 429) return UnavailableError(message);
    return FailedPreconditionError(message + " (IMDSv2 tokens are required)");
  }
  token_ = response->body;
  token_expiry_ = asked + kTokenTtl;
  return token_;
}

Result<HttpResponse> ImdsCredentialsProvider::Read(const std::string& path, std::stop_token stop) {
  for (int attempt = 0;; ++attempt) {
    Result<std::string> token = Token(stop);
    if (!token) return token.error();
    HttpRequest request;
    request.url = endpoint_ + path;
    request.headers = {{"X-aws-ec2-metadata-token", *token}};
    request.connect_timeout = kConnectTimeout;
    request.timeout = kTimeout;
    Result<HttpResponse> response = http_.Send(request, stop);
    if (!response) return response.error().WithContext("instance metadata");
    if (response->status != 401 || attempt > 0) return response;
    std::lock_guard lock(mu_);
    token_.clear();  // expired or revoked: fetch a new one once
  }
}

Result<AwsCredentials> ImdsCredentialsProvider::Get(std::stop_token stop) {
  if (Lowercase(EnvValue(env_, "AWS_EC2_METADATA_DISABLED")) == "true") {
    return NotFoundError("instance metadata: turned off by AWS_EC2_METADATA_DISABLED=true");
  }
  Result<HttpResponse> roles = Read(kCredentialsPath, stop);
  if (!roles) return roles.error();
  if (roles->status == 404) {
    return NotFoundError("instance metadata: no IAM role is attached to this instance");
  }
  auto failure = [&](const HttpResponse& response, const std::string& what) -> Status {
    std::string message =
        "instance metadata: GET " + what + " answered HTTP " + std::to_string(response.status);
    if (response.status >= 500 || response.status == 429) return UnavailableError(message);
    return FailedPreconditionError(message);
  };
  if (roles->status != 200) return failure(*roles, kCredentialsPath);
  std::string role = roles->body.substr(0, roles->body.find('\n'));
  while (!role.empty() && std::isspace(static_cast<unsigned char>(role.back()))) role.pop_back();
  if (role.empty()) {
    return NotFoundError("instance metadata: no IAM role is attached to this instance");
  }
  Result<HttpResponse> document = Read(kCredentialsPath + role, stop);
  if (!document) return document.error();
  if (document->status != 200) return failure(*document, kCredentialsPath + role);
  Result<AwsCredentials> credentials =
      ParseCredentialsJson(document->body, "instance metadata (role " + role + ")");
  return credentials;
}

}  // namespace enhancer
