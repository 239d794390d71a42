// AddressPolicy: which addresses the photo download may connect to.
//
// The URL is user input, so a connection to the service's own network (loopback, private ranges,
// link-local and the cloud metadata address, ...) is refused unless an operator opened that
// network with FETCH_ALLOWED_NETWORKS. The fetcher applies it to the address each connection
// actually goes to, after DNS and for every redirect, so a name that resolves (or re-resolves)
// to an inside address is caught too.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fetch/cidr.h"
#include "fetch/ip_address.h"

namespace enhancer {

// Why `address` is not a public unicast address ("loopback address", "cloud metadata address",
// ...), or nullopt when it is one. IPv4-mapped IPv6 addresses are always refused, with the reason
// of the IPv4 address inside when it has one.
std::optional<std::string_view> ForbiddenAddressReason(const IpAddress& address);

class AddressPolicy {
 public:
  // `allowed_networks` are open even when they are loopback, private, etc.
  explicit AddressPolicy(std::vector<Cidr> allowed_networks)
      : allowed_networks_(std::move(allowed_networks)) {}

  // True when a connection to `address` is refused.
  bool IsForbidden(const IpAddress& address) const;

  // OK, or InvalidArgument "refusing to fetch from 127.0.0.1: loopback address (set
  // FETCH_ALLOWED_NETWORKS to allow it)". Thread-safe.
  Status Check(const IpAddress& address) const;

 private:
  bool IsAllowedNetwork(const IpAddress& address) const;

  std::vector<Cidr> allowed_networks_;
};

}  // namespace enhancer
