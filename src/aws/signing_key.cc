#include "aws/signing_key.h"

#include "aws/hmac_sha256.h"

namespace enhancer {

std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string key = HmacSha256("AWS4" + std::string(secret_access_key), date);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  return HmacSha256(key, "aws4_request");
}

std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service) {
  std::string scope(date);
  scope.append("/").append(region).append("/").append(service).append("/aws4_request");
  return scope;
}

}  // namespace enhancer
