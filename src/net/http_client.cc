#include "net/http_client.h"

namespace enhancer {

std::string HttpResponse::Header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return value;
  }
  return "";
}

}  // namespace enhancer
