// SHA-256 of a byte string, as lowercase hex: how the service names a photo's content.
#pragma once

#include <string>
#include <string_view>

namespace enhancer {

std::string Sha256Hex(std::string_view bytes);

}  // namespace enhancer
