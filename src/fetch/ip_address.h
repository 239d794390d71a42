// IpAddress: one IPv4 or IPv6 address, as a value: what the address policy judges and what a
// connection actually goes to.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace enhancer {

class IpAddress {
 public:
  enum class Family { kV4, kV6 };

  // "192.0.2.1" or "2001:db8::1" (no brackets, no zone, no port); nullopt otherwise.
  static std::optional<IpAddress> Parse(std::string_view text);
  // From a sockaddr_in or sockaddr_in6 of `length` bytes; nullopt for other families.
  static std::optional<IpAddress> FromSockaddr(const sockaddr* address, size_t length);
  static IpAddress V4(std::array<uint8_t, 4> bytes);
  static IpAddress V6(std::array<uint8_t, 16> bytes);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kV4; }
  // 32 or 128.
  int bit_length() const { return is_v4() ? 32 : 128; }
  // The address in network order; an IPv4 address uses the first 4 bytes, the rest are zero.
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  // Bit `i` from the most significant (0 <= i < bit_length()).
  bool bit(int i) const { return (bytes_[i / 8] >> (7 - i % 8)) & 1; }

  // The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), else nullopt.
  std::optional<IpAddress> MappedV4() const;

  // "127.0.0.1", "::1" (the RFC 5952 form).
  std::string ToString() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  IpAddress(Family family, std::array<uint8_t, 16> bytes) : family_(family), bytes_(bytes) {}

  Family family_;
  std::array<uint8_t, 16> bytes_;
};

}  // namespace enhancer
