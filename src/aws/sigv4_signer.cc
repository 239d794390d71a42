#include "aws/sigv4_signer.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <utility>

#include "aws/hmac_sha256.h"
#include "aws/signing_key.h"
#include "aws/uri_encode.h"
#include "core/sha256.h"
#include "net/url.h"

namespace enhancer {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};  // AWS's limit

bool NameIs(std::string_view name, std::string_view lowercase) {
  return name.size() == lowercase.size() &&
         std::equal(name.begin(), name.end(), lowercase.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

void RemoveHeader(Headers& headers, std::string_view lowercase) {
  std::erase_if(headers, [&](const auto& h) { return NameIs(h.first, lowercase); });
}

const std::string* FindHeader(const Headers& headers, std::string_view lowercase) {
  for (const auto& [name, value] : headers) {
    if (NameIs(name, lowercase)) return &value;
  }
  return nullptr;
}

Status CheckInputs(const SigV4Options& options, const AwsCredentials& credentials) {
  if (options.service.empty() || options.region.empty()) {
    return InvalidArgumentError("SigV4 needs a service and a region (got service \"" +
                                options.service + "\", region \"" + options.region + "\")");
  }
  // The messages name what is missing, never a value.
  if (credentials.access_key_id.empty()) {
    return FailedPreconditionError("AWS credentials have no access key id");
  }
  if (credentials.secret_access_key.empty()) {
    return FailedPreconditionError("AWS credentials for access key " + credentials.access_key_id +
                                   " have no secret access key");
  }
  return OkStatus();
}

struct Signature {
  std::string string_to_sign;
  std::string signature;
};

Signature Compute(const SigV4Options& options, const AwsCredentials& credentials,
                  std::string_view amz_date, std::string_view canonical_request) {
  std::string_view date = amz_date.substr(0, 8);
  std::string string_to_sign;
  string_to_sign.append(kAlgorithm).append("\n");
  string_to_sign.append(amz_date).append("\n");
  string_to_sign.append(CredentialScope(date, options.region, options.service)).append("\n");
  string_to_sign.append(Sha256Hex(canonical_request));
  std::string key =
      DeriveSigningKey(credentials.secret_access_key, date, options.region, options.service);
  return {string_to_sign, HexEncode(HmacSha256(key, string_to_sign))};
}

}  // namespace

SigV4Options SigV4Options::ForService(std::string service, std::string region) {
  SigV4Options options;
  options.service = std::move(service);
  options.region = std::move(region);
  if (options.service == "s3") {
    options.path_rule = PathRule::kAsSent;
    options.content_sha256_header = true;
    options.presign_unsigned_payload = true;
  }
  return options;
}

std::string FormatAmzDate(TimePoint t) {
  std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

SigV4Signer::SigV4Signer(SigV4Options options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

Result<SignedRequest> SigV4Signer::Sign(HttpRequest request,
                                        const AwsCredentials& credentials) const {
  ENHANCER_RETURN_IF_ERROR(CheckInputs(options_, credentials));
  Result<Url> url = ParseUrl(request.url);
  if (!url) return url.error();
  std::string amz_date = FormatAmzDate(clock_.Now());

  Headers& headers = request.headers;
  RemoveHeader(headers, "authorization");
  RemoveHeader(headers, "x-amz-date");
  RemoveHeader(headers, "x-amz-security-token");
  if (FindHeader(headers, "host") == nullptr) headers.emplace_back("Host", url->Authority());
  headers.emplace_back("X-Amz-Date", amz_date);
  bool has_token = !credentials.session_token.empty();
  if (has_token && options_.sign_session_token) {
    headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  std::string payload_hash;
  if (const std::string* given = FindHeader(headers, "x-amz-content-sha256")) {
    payload_hash = *given;
  } else {
    payload_hash =
        options_.unsigned_payload ? std::string(kUnsignedPayload) : Sha256Hex(request.body);
    if (options_.content_sha256_header) headers.emplace_back("X-Amz-Content-Sha256", payload_hash);
  }

  SignedRequest out;
  CanonicalHeaders canonical_headers = CanonicalizeHeaders(headers);
  out.canonical_request =
      CanonicalRequest(request.method, CanonicalUri(url->path, options_.path_rule),
                       CanonicalQuery(url->query), canonical_headers, payload_hash);
  Signature signature = Compute(options_, credentials, amz_date, out.canonical_request);
  out.string_to_sign = std::move(signature.string_to_sign);
  out.signature = std::move(signature.signature);
  out.authorization =
      std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
      CredentialScope(std::string_view(amz_date).substr(0, 8), options_.region, options_.service) +
      ", SignedHeaders=" + canonical_headers.signed_headers + ", Signature=" + out.signature;
  headers.emplace_back("Authorization", out.authorization);
  if (has_token && !options_.sign_session_token) {
    headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  out.request = std::move(request);
  return out;
}

Result<PresignedUrl> SigV4Signer::Presign(const HttpRequest& request,
                                          const AwsCredentials& credentials,
                                          std::chrono::seconds expires) const {
  ENHANCER_RETURN_IF_ERROR(CheckInputs(options_, credentials));
  if (expires < std::chrono::seconds(1) || expires > kMaxPresignExpiry) {
    return InvalidArgumentError("a presigned URL must expire in 1 to " +
                                std::to_string(kMaxPresignExpiry.count()) + " seconds, not " +
                                std::to_string(expires.count()));
  }
  Result<Url> url = ParseUrl(request.url);
  if (!url) return url.error();
  std::string amz_date = FormatAmzDate(clock_.Now());
  std::string date = amz_date.substr(0, 8);

  Headers headers = request.headers;
  RemoveHeader(headers, "authorization");
  RemoveHeader(headers, "x-amz-date");
  RemoveHeader(headers, "x-amz-security-token");
  if (FindHeader(headers, "host") == nullptr) headers.emplace_back("Host", url->Authority());
  CanonicalHeaders canonical_headers = CanonicalizeHeaders(headers);

  bool has_token = !credentials.session_token.empty();
  std::vector<std::pair<std::string, std::string>> params = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential",
       credentials.access_key_id + "/" + CredentialScope(date, options_.region, options_.service)},
      {"X-Amz-Date", amz_date},
      {"X-Amz-Expires", std::to_string(expires.count())},
      {"X-Amz-SignedHeaders", canonical_headers.signed_headers},
  };
  if (has_token && options_.sign_session_token) {
    params.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  std::string added;
  for (const auto& [name, value] : params) {
    if (!added.empty()) added.push_back('&');
    added.append(name).append("=").append(UriEncode(value));
  }
  std::string query = url->query.empty() ? added : url->query + "&" + added;

  std::string payload_hash;
  if (options_.presign_unsigned_payload) {
    payload_hash = kUnsignedPayload;
  } else if (const std::string* given = FindHeader(headers, "x-amz-content-sha256")) {
    payload_hash = *given;
  } else {
    payload_hash = Sha256Hex(request.body);
  }

  PresignedUrl out;
  out.canonical_request =
      CanonicalRequest(request.method, CanonicalUri(url->path, options_.path_rule),
                       CanonicalQuery(query), canonical_headers, payload_hash);
  Signature signature = Compute(options_, credentials, amz_date, out.canonical_request);
  out.string_to_sign = std::move(signature.string_to_sign);
  out.signature = std::move(signature.signature);

  std::string base = request.url.substr(0, request.url.find('#'));
  char separator = '?';
  if (base.find('?') != std::string::npos) {
    separator = (base.back() == '?' || base.back() == '&') ? '\0' : '&';
  }
  out.url = base;
  if (separator != '\0') out.url.push_back(separator);
  out.url.append(added);
  if (has_token && !options_.sign_session_token) {
    out.url.append("&X-Amz-Security-Token=").append(UriEncode(credentials.session_token));
  }
  out.url.append("&X-Amz-Signature=").append(out.signature);
  return out;
}

}  // namespace enhancer
