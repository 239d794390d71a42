#include "fetch/address_policy.h"

#include <cassert>
#include <string>

namespace enhancer {
namespace {

struct Range {
  std::string_view cidr;
  std::string_view reason;
};

// Most specific first: the first range that contains the address gives the reason. Sources: the
// IANA special-purpose address registries (RFC 6890 and successors).
constexpr Range kV4Ranges[] = {
    {"169.254.169.254/32", "cloud metadata address"},
    {"255.255.255.255/32", "broadcast address"},
    {"0.0.0.0/8", "unspecified address"},
    {"10.0.0.0/8", "private address"},
    {"100.64.0.0/10", "carrier-grade NAT address"},
    {"127.0.0.0/8", "loopback address"},
    {"169.254.0.0/16", "link-local address"},
    {"172.16.0.0/12", "private address"},
    // Also holds Oracle Cloud's metadata address, 192.0.0.192.
    {"192.0.0.0/24", "reserved address"},
    {"192.0.2.0/24", "documentation address"},
    {"192.88.99.0/24", "reserved address"},
    {"192.168.0.0/16", "private address"},
    {"198.18.0.0/15", "benchmarking address"},
    {"198.51.100.0/24", "documentation address"},
    {"203.0.113.0/24", "documentation address"},
    {"224.0.0.0/4", "multicast address"},
    {"240.0.0.0/4", "reserved address"},
};

constexpr Range kV6Ranges[] = {
    {"::/128", "unspecified address"},
    {"::1/128", "loopback address"},
    {"fd00:ec2::254/128", "cloud metadata address"},
    // These carry an IPv4 address that a gateway, not this host, would connect to.
    {"64:ff9b::/96", "NAT64 address"},
    {"64:ff9b:1::/48", "NAT64 address"},
    {"2002::/16", "6to4 address"},
    {"2001::/32", "Teredo address"},
    {"2001:db8::/32", "documentation address"},
    {"100::/64", "discard-only address"},
    {"fc00::/7", "private address"},
    {"fe80::/10", "link-local address"},
    {"fec0::/10", "site-local address"},
    {"ff00::/8", "multicast address"},
};

// Only 2000::/3 holds global unicast addresses; everything else not named above is reserved.
constexpr std::string_view kV6GlobalUnicast = "2000::/3";

struct ParsedRange {
  Cidr network;
  std::string_view reason;
};

template <size_t N>
std::vector<ParsedRange> ParseTable(const Range (&table)[N]) {
  std::vector<ParsedRange> parsed;
  for (const Range& range : table) {
    Result<Cidr> cidr = ParseCidr(range.cidr);
    assert(cidr.has_value());  // the tables are constants, covered by tests
    if (cidr.has_value()) parsed.push_back({*cidr, range.reason});
  }
  return parsed;
}

std::optional<std::string_view> ReasonFromTable(const IpAddress& address,
                                                const std::vector<ParsedRange>& table) {
  for (const ParsedRange& range : table) {
    if (range.network.Contains(address)) return range.reason;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> ForbiddenAddressReason(const IpAddress& address) {
  static const std::vector<ParsedRange> v4_ranges = ParseTable(kV4Ranges);
  static const std::vector<ParsedRange> v6_ranges = ParseTable(kV6Ranges);
  static const Cidr v6_global_unicast = *ParseCidr(kV6GlobalUnicast);
  if (address.is_v4()) return ReasonFromTable(address, v4_ranges);
  if (std::optional<IpAddress> v4 = address.MappedV4()) {
    std::optional<std::string_view> inner = ForbiddenAddressReason(*v4);
    return inner ? *inner : std::string_view("IPv4-mapped IPv6 address");
  }
  if (std::optional<std::string_view> reason = ReasonFromTable(address, v6_ranges)) return reason;
  if (!v6_global_unicast.Contains(address)) return "reserved address";
  return std::nullopt;
}

bool AddressPolicy::IsAllowedNetwork(const IpAddress& address) const {
  std::optional<IpAddress> mapped = address.MappedV4();
  for (const Cidr& network : allowed_networks_) {
    if (network.Contains(address)) return true;
    // A dual-stack socket reaches 127.0.0.1 as ::ffff:127.0.0.1: allowing one allows the other.
    if (mapped && network.Contains(*mapped)) return true;
  }
  return false;
}

bool AddressPolicy::IsForbidden(const IpAddress& address) const {
  return !IsAllowedNetwork(address) && ForbiddenAddressReason(address).has_value();
}

Status AddressPolicy::Check(const IpAddress& address) const {
  if (IsAllowedNetwork(address)) return OkStatus();
  std::optional<std::string_view> reason = ForbiddenAddressReason(address);
  if (!reason) return OkStatus();
  return InvalidArgumentError("refusing to fetch from " + address.ToString() + ": " +
                              std::string(*reason) + " (set FETCH_ALLOWED_NETWORKS to allow it)");
}

}  // namespace enhancer
