#include "fetch/cidr.h"

#include <gtest/gtest.h>

#include "fetch/ip_address.h"

namespace enhancer {
namespace {

IpAddress Ip(std::string_view text) {
  std::optional<IpAddress> ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress::V4({0, 0, 0, 0}));
}

TEST(IpAddressTest, ParsesAndFormatsBothFamilies) {
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"127.0.0.1", "127.0.0.1"},
      {"0.0.0.0", "0.0.0.0"},
      {"::1", "::1"},
      {"::", "::"},
      {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
      {"::ffff:10.1.2.3", "::ffff:10.1.2.3"},
  };
  for (const auto& [text, formatted] : kCases) {
    std::optional<IpAddress> ip = IpAddress::Parse(text);
    ASSERT_TRUE(ip.has_value()) << text;
    EXPECT_EQ(ip->ToString(), formatted);
  }
  EXPECT_TRUE(Ip("10.0.0.1").is_v4());
  EXPECT_FALSE(Ip("::1").is_v4());
}

TEST(IpAddressTest, RejectsWhatIsNotAnAddress) {
  for (std::string_view text : {"", "localhost", "[::1]", "127.0.0.1:80", "256.0.0.1", "1.2.3",
                                "fe80::1%eth0", " 127.0.0.1", "::1::2"}) {
    EXPECT_FALSE(IpAddress::Parse(text).has_value()) << text;
  }
}

TEST(IpAddressTest, MappedV4) {
  EXPECT_EQ(Ip("::ffff:127.0.0.1").MappedV4(), Ip("127.0.0.1"));
  EXPECT_EQ(Ip("::ffff:7f00:1").MappedV4(), Ip("127.0.0.1"));
  EXPECT_FALSE(Ip("::127.0.0.1").MappedV4().has_value());
  EXPECT_FALSE(Ip("127.0.0.1").MappedV4().has_value());
  EXPECT_FALSE(Ip("64:ff9b::7f00:1").MappedV4().has_value());
}

TEST(ParseCidrTest, ValidNetworks) {
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"127.0.0.0/8", "127.0.0.0/8"},
      {" 10.0.0.0/8 ", "10.0.0.0/8"},
      {"127.0.0.1/8", "127.0.0.0/8"},  // host bits cleared
      {"192.168.1.77", "192.168.1.77/32"},
      {"0.0.0.0/0", "0.0.0.0/0"},
      {"::1/128", "::1/128"},
      {"::1", "::1/128"},
      {"fc00::/7", "fc00::/7"},
      {"fdff:1::5/16", "fdff::/16"},
  };
  for (const auto& [text, normal] : kCases) {
    Result<Cidr> cidr = ParseCidr(text);
    ASSERT_TRUE(cidr.has_value()) << text << ": " << cidr.error().ToString();
    EXPECT_EQ(cidr->ToString(), normal) << text;
  }
}

TEST(ParseCidrTest, InvalidNetworksNameTheEntry) {
  for (std::string_view text :
       {"", "/8", "localhost/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8x",
        "10.0.0.0/ 8", "10.0.0/8", "[::1]/128"}) {
    Result<Cidr> cidr = ParseCidr(text);
    ASSERT_FALSE(cidr.has_value()) << text;
    EXPECT_EQ(cidr.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(cidr.error().message().find("\"" + std::string(text) + "\""), std::string::npos)
        << cidr.error().message();
  }
}

TEST(CidrTest, Contains) {
  struct Case {
    std::string_view network;
    std::string_view address;
    bool inside;
  };
  const Case kCases[] = {
      {"127.0.0.0/8", "127.0.0.1", true},
      {"127.0.0.0/8", "127.255.255.255", true},
      {"127.0.0.0/8", "128.0.0.0", false},
      {"172.16.0.0/12", "172.31.255.255", true},
      {"172.16.0.0/12", "172.32.0.0", false},
      {"100.64.0.0/10", "100.127.0.1", true},
      {"100.64.0.0/10", "100.128.0.1", false},
      {"0.0.0.0/0", "8.8.8.8", true},
      {"10.1.2.3", "10.1.2.3", true},
      {"10.1.2.3", "10.1.2.4", false},
      {"fc00::/7", "fd12:3456::1", true},
      {"fc00::/7", "fe00::1", false},
      {"::1/128", "::1", true},
      {"::/0", "2001:db8::1", true},
      // Families never mix, not even for mapped addresses.
      {"127.0.0.0/8", "::ffff:127.0.0.1", false},
      {"::/0", "127.0.0.1", false},
      {"0.0.0.0/0", "::1", false},
  };
  for (const Case& c : kCases) {
    Result<Cidr> cidr = ParseCidr(c.network);
    ASSERT_TRUE(cidr.has_value()) << c.network;
    EXPECT_EQ(cidr->Contains(Ip(c.address)), c.inside) << c.network << " " << c.address;
  }
}

TEST(ParseCidrListTest, ParsesACommaSeparatedList) {
  Result<std::vector<Cidr>> list = ParseCidrList("127.0.0.0/8, ::1/128,,10.0.0.0/8 ,");
  ASSERT_TRUE(list.has_value()) << list.error().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].ToString(), "127.0.0.0/8");
  EXPECT_EQ((*list)[1].ToString(), "::1/128");
  EXPECT_EQ((*list)[2].ToString(), "10.0.0.0/8");
}

TEST(ParseCidrListTest, EmptyTextIsAnEmptyList) {
  for (std::string_view text : {"", " ", ",", " , "}) {
    Result<std::vector<Cidr>> list = ParseCidrList(text);
    ASSERT_TRUE(list.has_value()) << text;
    EXPECT_TRUE(list->empty());
  }
}

TEST(ParseCidrListTest, NamesTheBadEntry) {
  Result<std::vector<Cidr>> list = ParseCidrList("127.0.0.0/8, 10.0.0.0/99, ::1");
  ASSERT_FALSE(list.has_value());
  EXPECT_EQ(list.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(list.error().message().find("\"10.0.0.0/99\""), std::string::npos)
      << list.error().message();
  list = ParseCidrList("127.0.0.0/8 ::1/128");  // a space is not a separator
  ASSERT_FALSE(list.has_value());
  EXPECT_NE(list.error().message().find("\"127.0.0.0/8 ::1/128\""), std::string::npos)
      << list.error().message();
}

}  // namespace
}  // namespace enhancer
