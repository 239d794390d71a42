#include "fetch/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace enhancer {

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  // inet_pton needs a terminated string; anything this long is not an address.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  std::string terminated(text);
  std::array<uint8_t, 16> bytes{};
  if (inet_pton(AF_INET, terminated.c_str(), bytes.data()) == 1)
    return IpAddress(Family::kV4, bytes);
  if (inet_pton(AF_INET6, terminated.c_str(), bytes.data()) == 1)
    return IpAddress(Family::kV6, bytes);
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::FromSockaddr(const sockaddr* address, size_t length) {
  if (address == nullptr) return std::nullopt;
  std::array<uint8_t, 16> bytes{};
  if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    sockaddr_in in;
    std::memcpy(&in, address, sizeof in);
    std::memcpy(bytes.data(), &in.sin_addr, 4);
    return IpAddress(Family::kV4, bytes);
  }
  if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6;
    std::memcpy(&in6, address, sizeof in6);
    std::memcpy(bytes.data(), &in6.sin6_addr, 16);
    return IpAddress(Family::kV6, bytes);
  }
  return std::nullopt;
}

IpAddress IpAddress::V4(std::array<uint8_t, 4> v4) {
  std::array<uint8_t, 16> bytes{};
  std::memcpy(bytes.data(), v4.data(), 4);
  return IpAddress(Family::kV4, bytes);
}

IpAddress IpAddress::V6(std::array<uint8_t, 16> bytes) { return IpAddress(Family::kV6, bytes); }

std::optional<IpAddress> IpAddress::MappedV4() const {
  if (is_v4()) return std::nullopt;
  for (int i = 0; i < 10; ++i) {
    if (bytes_[i] != 0) return std::nullopt;
  }
  if (bytes_[10] != 0xff || bytes_[11] != 0xff) return std::nullopt;
  return V4({bytes_[12], bytes_[13], bytes_[14], bytes_[15]});
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), text, sizeof text);
  return text;
}

}  // namespace enhancer
