#include "store/object_store.h"

namespace enhancer {
namespace {

constexpr size_t kMaxObjectKeyBytes = 512;

bool IsKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool IsValidSegment(std::string_view segment) {
  if (segment.empty() || segment == "." || segment == "..") return false;
  for (char c : segment) {
    if (!IsKeyChar(c)) return false;
  }
  return true;
}

}  // namespace

bool IsValidObjectKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxObjectKeyBytes) return false;
  // Splitting on '/' also rejects a leading or trailing '/' and "a//b": each gives an empty
  // segment.
  size_t start = 0;
  while (true) {
    size_t slash = key.find('/', start);
    std::string_view segment =
        key.substr(start, slash == std::string_view::npos ? key.npos : slash - start);
    if (!IsValidSegment(segment)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

}  // namespace enhancer
