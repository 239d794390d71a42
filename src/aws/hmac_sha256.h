// HMAC-SHA256 and hex encoding: the primitives of the SigV4 signing-key chain.
#pragma once

#include <string>
#include <string_view>

namespace enhancer {

// The 32 raw bytes of HMAC-SHA256(key, data).
std::string HmacSha256(std::string_view key, std::string_view data);

// Lowercase hex of `bytes`: "\x0f\xa0" -> "0fa0".
std::string HexEncode(std::string_view bytes);

}  // namespace enhancer
