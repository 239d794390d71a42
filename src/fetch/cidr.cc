#include "fetch/cidr.h"

#include <charconv>

namespace enhancer {
namespace {

std::string_view Trim(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

IpAddress ClearHostBits(const IpAddress& address, int prefix_length) {
  std::array<uint8_t, 16> bytes = address.bytes();
  for (int i = prefix_length; i < address.bit_length(); ++i) {
    bytes[i / 8] = static_cast<uint8_t>(bytes[i / 8] & ~(1u << (7 - i % 8)));
  }
  if (address.is_v4()) return IpAddress::V4({bytes[0], bytes[1], bytes[2], bytes[3]});
  return IpAddress::V6(bytes);
}

}  // namespace

bool Cidr::Contains(const IpAddress& address) const {
  if (address.family() != network.family()) return false;
  for (int i = 0; i < prefix_length; ++i) {
    if (address.bit(i) != network.bit(i)) return false;
  }
  return true;
}

std::string Cidr::ToString() const {
  return network.ToString() + "/" + std::to_string(prefix_length);
}

Result<Cidr> ParseCidr(std::string_view text) {
  std::string_view trimmed = Trim(text);
  auto bad = [&](std::string_view why) {
    return InvalidArgumentError("invalid network \"" + std::string(trimmed) + "\": " +
                                std::string(why) + " (expected e.g. 127.0.0.0/8 or ::1/128)");
  };
  size_t slash = trimmed.find('/');
  std::optional<IpAddress> address = IpAddress::Parse(trimmed.substr(0, slash));
  if (!address) return bad("not an IP address");
  int prefix_length = address->bit_length();
  if (slash != std::string_view::npos) {
    std::string_view digits = trimmed.substr(slash + 1);
    auto [end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), prefix_length);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
      return bad("the prefix length is not a number");
    }
    if (prefix_length < 0 || prefix_length > address->bit_length()) {
      return bad("the prefix length must be 0 to " + std::to_string(address->bit_length()));
    }
  }
  return Cidr{ClearHostBits(*address, prefix_length), prefix_length};
}

Result<std::vector<Cidr>> ParseCidrList(std::string_view text) {
  std::vector<Cidr> networks;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view entry = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (entry.empty()) continue;
    Result<Cidr> network = ParseCidr(entry);
    if (!network) return network.error();
    networks.push_back(*network);
  }
  return networks;
}

}  // namespace enhancer
