// Base64: RFC 4648 base64 with the standard alphabet and padding, as JSON APIs (Gemini's
// inline_data) carry binary data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace enhancer {

// `bytes` encoded, with padding, on one line.
std::string Base64Encode(std::string_view bytes);

// The bytes `text` encodes, or nullopt unless it is strict base64: the standard alphabet, a
// length that is a multiple of 4, padding only at the end, no whitespace. Empty text decodes to
// no bytes.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace enhancer
