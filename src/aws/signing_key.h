// The SigV4 signing key: the secret access key narrowed to one day, region and service by a
// chain of HMACs, so a leaked key signs nothing outside that scope.
#pragma once

#include <string>
#include <string_view>

namespace enhancer {

// HMAC("AWS4" + secret, date) -> region -> service -> "aws4_request", as 32 raw bytes.
// `date` is the scope date, "20150830".
std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service);

// "20150830/us-east-1/service/aws4_request"
std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service);

}  // namespace enhancer
