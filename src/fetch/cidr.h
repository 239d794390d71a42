// Cidr: a network written as address/prefix ("10.0.0.0/8", "fc00::/7"), as FETCH_ALLOWED_NETWORKS
// lists them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fetch/ip_address.h"

namespace enhancer {

struct Cidr {
  IpAddress network;  // host bits are zero
  int prefix_length;  // 0..32 for IPv4, 0..128 for IPv6

  // True when `address` is of the same family and inside the network. An IPv4-mapped IPv6
  // address is not inside an IPv4 network here: the address policy decides about those.
  bool Contains(const IpAddress& address) const;
  // "10.0.0.0/8"
  std::string ToString() const;
};

// "10.0.0.0/8", "::1/128", or a bare address, which means that one address (/32 or /128). Host
// bits are cleared, so "127.0.0.1/8" is 127.0.0.0/8 (what it is usually meant to say).
// Surrounding spaces are ignored. InvalidArgument naming `text` otherwise.
Result<Cidr> ParseCidr(std::string_view text);

// A comma-separated list ("127.0.0.0/8, ::1/128"); empty entries are skipped, so "" is an empty
// list. InvalidArgument naming the first bad entry.
Result<std::vector<Cidr>> ParseCidrList(std::string_view text);

}  // namespace enhancer
