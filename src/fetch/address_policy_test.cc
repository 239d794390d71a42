#include "fetch/address_policy.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

IpAddress Ip(std::string_view text) {
  std::optional<IpAddress> ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress::V4({0, 0, 0, 0}));
}

struct Case {
  std::string_view address;
  std::optional<std::string_view> reason;  // nullopt: a public address
};

TEST(ForbiddenAddressReasonTest, Ipv4) {
  const Case kCases[] = {
      {"127.0.0.1", "loopback address"},
      {"127.255.0.9", "loopback address"},
      {"10.0.0.1", "private address"},
      {"172.16.0.1", "private address"},
      {"172.31.255.254", "private address"},
      {"192.168.1.1", "private address"},
      {"169.254.169.254", "cloud metadata address"},
      {"169.254.170.2", "link-local address"},  // ECS task metadata
      {"169.254.0.1", "link-local address"},
      {"0.0.0.0", "unspecified address"},
      {"0.1.2.3", "unspecified address"},
      {"100.64.0.1", "carrier-grade NAT address"},
      {"100.100.100.200", "carrier-grade NAT address"},  // Alibaba Cloud metadata
      {"192.0.0.192", "reserved address"},               // Oracle Cloud metadata
      {"192.0.2.10", "documentation address"},
      {"198.18.0.1", "benchmarking address"},
      {"224.0.0.1", "multicast address"},
      {"239.255.255.250", "multicast address"},
      {"240.0.0.1", "reserved address"},
      {"255.255.255.255", "broadcast address"},
      // Public neighbours of the ranges above.
      {"8.8.8.8", std::nullopt},
      {"1.1.1.1", std::nullopt},
      {"126.255.255.255", std::nullopt},
      {"128.0.0.1", std::nullopt},
      {"172.15.255.255", std::nullopt},
      {"172.32.0.0", std::nullopt},
      {"100.63.255.255", std::nullopt},
      {"100.128.0.0", std::nullopt},
      {"169.253.255.255", std::nullopt},
      {"192.169.0.1", std::nullopt},
      {"223.255.255.255", std::nullopt},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ForbiddenAddressReason(Ip(c.address)), c.reason) << c.address;
  }
}

TEST(ForbiddenAddressReasonTest, Ipv6) {
  const Case kCases[] = {
      {"::1", "loopback address"},
      {"::", "unspecified address"},
      {"fe80::1", "link-local address"},
      {"febf:ffff::1", "link-local address"},
      {"fc00::1", "private address"},
      {"fd12:3456:789a::1", "private address"},
      {"fd00:ec2::254", "cloud metadata address"},
      {"ff02::1", "multicast address"},
      {"fec0::1", "site-local address"},
      {"64:ff9b::a9fe:a9fe", "NAT64 address"},  // 169.254.169.254 through NAT64
      {"64:ff9b::808:808", "NAT64 address"},
      {"64:ff9b:1::1", "NAT64 address"},
      {"2001:db8::1", "documentation address"},
      {"2002:7f00:1::1", "6to4 address"},
      {"2001:0:4136:e378::1", "Teredo address"},
      {"100::1", "discard-only address"},
      {"::127.0.0.1", "reserved address"},  // IPv4-compatible, deprecated
      {"::2", "reserved address"},
      {"4000::1", "reserved address"},
      // IPv4-mapped: the IPv4 address inside decides the reason, and public ones are refused too.
      {"::ffff:127.0.0.1", "loopback address"},
      {"::ffff:169.254.169.254", "cloud metadata address"},
      {"::ffff:10.0.0.1", "private address"},
      {"::ffff:0.0.0.0", "unspecified address"},
      {"::ffff:8.8.8.8", "IPv4-mapped IPv6 address"},
      // Global unicast.
      {"2001:4860:4860::8888", std::nullopt},
      {"2606:4700:4700::1111", std::nullopt},
      {"2a00:1450:4001:80b::200e", std::nullopt},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ForbiddenAddressReason(Ip(c.address)), c.reason) << c.address;
  }
}

TEST(AddressPolicyTest, RefusesWithAClearMessage) {
  AddressPolicy policy({});
  Status status = policy.Check(Ip("127.0.0.1"));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "refusing to fetch from 127.0.0.1: loopback address (set FETCH_ALLOWED_NETWORKS to "
            "allow it)");
  status = policy.Check(Ip("169.254.169.254"));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("169.254.169.254: cloud metadata address"), std::string::npos);
  EXPECT_TRUE(policy.Check(Ip("8.8.8.8")).ok());
  EXPECT_TRUE(policy.Check(Ip("2001:4860:4860::8888")).ok());
}

TEST(AddressPolicyTest, AllowedNetworksOpenExactlyThemselves) {
  Result<std::vector<Cidr>> allowed = ParseCidrList("127.0.0.0/8, fd00::/8, 10.1.0.0/16");
  ASSERT_TRUE(allowed.has_value());
  AddressPolicy policy(*allowed);
  const std::pair<std::string_view, bool> kCases[] = {
      {"127.0.0.1", false},
      {"127.0.0.2", false},
      {"::ffff:127.0.0.1", false},  // the same address through a dual-stack socket
      {"fd12::1", false},
      {"10.1.200.3", false},
      {"::1", true},  // IPv6 loopback was not opened
      {"10.2.0.1", true},
      {"fc00::1", true},
      {"169.254.169.254", true},
      {"192.168.0.1", true},
      {"8.8.8.8", false},  // public addresses never need opening
  };
  for (const auto& [address, forbidden] : kCases) {
    EXPECT_EQ(policy.IsForbidden(Ip(address)), forbidden) << address;
    EXPECT_EQ(policy.Check(Ip(address)).ok(), !forbidden) << address;
  }
}

}  // namespace
}  // namespace enhancer
