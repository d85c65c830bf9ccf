// The client's address behind a trusted proxy (api/http/client_address.h): which address a
// request is counted against, for every per-address limit.
#include "api/http/client_address.h"

#include <gtest/gtest.h>

namespace navolg::http {
namespace {

TrustedProxies Proxies(const std::string& list,
                       ForwardedHeader header = ForwardedHeader::kXForwardedFor) {
  auto ranges = ParseTrustedProxies(list);
  EXPECT_TRUE(ranges.ok()) << ranges.status().message();
  return {ranges.ok() ? *ranges : std::vector<AddressRange>{}, header};
}

// The client address, or "error: <message>".
std::string Client(const TrustedProxies& proxies, const std::string& peer,
                   const std::vector<std::string_view>& lines) {
  auto client = ClientAddress(proxies, peer, lines);
  return client.ok() ? *client : "error: " + client.status().message();
}

TEST(IpAddressTest, ParsesBothFamiliesAndNothingElse) {
  EXPECT_EQ(ParseIpAddress("192.0.2.7")->ToString(), "192.0.2.7");
  EXPECT_EQ(ParseIpAddress("::ffff:192.0.2.7")->ToString(), "192.0.2.7");
  EXPECT_EQ(ParseIpAddress("2001:DB8:0:0::1")->ToString(), "2001:db8::1");
  EXPECT_EQ(ParseIpAddress("192.0.2.7"), ParseIpAddress("::ffff:192.0.2.7"));
  for (const char* bad : {"", "192.0.2", "192.0.2.256", "192.0.2.7:80", "[::1]", "::1%eth0",
                          "localhost", "1.2.3.4 ", "2001:db8::1/64", "unknown"}) {
    EXPECT_FALSE(ParseIpAddress(bad)) << bad;
  }
}

TEST(IpAddressTest, RangesMatchByPrefixWithinTheirFamily) {
  auto eight = ParseAddressRange("10.0.0.0/8");
  ASSERT_TRUE(eight);
  EXPECT_TRUE(eight->Contains(*ParseIpAddress("10.255.1.2")));
  EXPECT_FALSE(eight->Contains(*ParseIpAddress("11.0.0.1")));
  auto odd = ParseAddressRange("192.0.2.64/26");
  EXPECT_TRUE(odd->Contains(*ParseIpAddress("192.0.2.127")));
  EXPECT_FALSE(odd->Contains(*ParseIpAddress("192.0.2.128")));
  auto v6 = ParseAddressRange("2001:db8::/32");
  EXPECT_TRUE(v6->Contains(*ParseIpAddress("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->Contains(*ParseIpAddress("2001:db9::1")));
  // An IPv4 /0 is every IPv4 address, not every address.
  EXPECT_TRUE(ParseAddressRange("0.0.0.0/0")->Contains(*ParseIpAddress("203.0.113.9")));
  EXPECT_FALSE(ParseAddressRange("0.0.0.0/0")->Contains(*ParseIpAddress("2001:db8::1")));
  auto one = ParseAddressRange("127.0.0.1");
  EXPECT_TRUE(one->Contains(*ParseIpAddress("127.0.0.1")));
  EXPECT_FALSE(one->Contains(*ParseIpAddress("127.0.0.2")));
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/a", "10.0.0/8"}) {
    EXPECT_FALSE(ParseAddressRange(bad)) << bad;
  }
}

TEST(IpAddressTest, IPv6IsCountedPerSlash64) {
  EXPECT_EQ(AddressKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(AddressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
  EXPECT_NE(AddressKey("2001:db8:1:3::1"), AddressKey("2001:db8:1:2::1"));
  EXPECT_EQ(AddressKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AddressKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_NE(AddressKey("192.0.2.7"), AddressKey("192.0.2.8"));
}

TEST(TrustedProxiesTest, AListIsReadAndAWrongEntryNamed) {
  auto ranges = ParseTrustedProxies("10.0.0.1, 192.168.0.0/16,2001:db8::/48");
  ASSERT_TRUE(ranges.ok());
  EXPECT_EQ(ranges->size(), 3u);
  EXPECT_TRUE(ParseTrustedProxies("").ok());
  auto wrong = ParseTrustedProxies("10.0.0.1,proxy.example.nl");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("'proxy.example.nl'"), std::string::npos);
}

TEST(ClientAddressTest, AnUntrustedPeersHeaderIsIgnored) {
  const TrustedProxies proxies = Proxies("10.0.0.1");
  EXPECT_EQ(Client(proxies, "203.0.113.9", {"198.51.100.1"}), "203.0.113.9");
  // Not even its duplicates or nonsense make a difference.
  EXPECT_EQ(Client(proxies, "203.0.113.9", {"1.1.1.1", "2.2.2.2"}), "203.0.113.9");
  EXPECT_EQ(Client(proxies, "203.0.113.9", {"nonsense"}), "203.0.113.9");
  EXPECT_EQ(Client(Proxies(""), "127.0.0.1", {"198.51.100.1"}), "127.0.0.1");
}

TEST(ClientAddressTest, ATrustedProxyNamesTheRightMostUntrustedAddress) {
  const TrustedProxies proxies = Proxies("10.0.0.0/8");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"198.51.100.1"}), "198.51.100.1");
  // The client wrote "1.1.1.1" itself; the proxy appended what it saw.
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"1.1.1.1, 198.51.100.1"}), "198.51.100.1");
  // Two proxies in a row: the inner one's entry is skipped.
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"1.1.1.1, 198.51.100.1, 10.0.0.2"}), "198.51.100.1");
  // Whatever the client put further left is never read.
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"garbage, 198.51.100.1"}), "198.51.100.1");
  // All entries are proxies: the left-most.
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"10.0.0.3, 10.0.0.2"}), "10.0.0.3");
  // No header: the proxy itself (e.g. its own health check).
  EXPECT_EQ(Client(proxies, "10.0.0.1", {}), "10.0.0.1");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"2001:DB8::1"}), "2001:db8::1");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"198.51.100.1:4711"}), "198.51.100.1");
}

// A proxy that adds its own field line after the client's (HAProxy's "option forwardfor"):
// the lines are one list, read from the right.
TEST(ClientAddressTest, SeveralFieldLinesAreOneListInOrder) {
  const TrustedProxies proxies = Proxies("10.0.0.1,10.0.0.2");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"198.51.100.1", "198.51.100.2"}), "198.51.100.2");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"198.51.100.1, 198.51.100.2", "10.0.0.2"}),
            "198.51.100.2");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"nonsense", "198.51.100.2"}), "198.51.100.2");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"198.51.100.1", "nonsense"}).rfind("error: ", 0), 0u);
  const TrustedProxies forwarded = Proxies("10.0.0.1", ForwardedHeader::kForwarded);
  EXPECT_EQ(Client(forwarded, "10.0.0.1", {"for=198.51.100.1", "for=198.51.100.2;proto=https"}),
            "198.51.100.2");
}

TEST(ClientAddressTest, AmbiguousForwardingFromATrustedProxyIsAnError) {
  const TrustedProxies proxies = Proxies("10.0.0.1");
  EXPECT_NE(Client(proxies, "10.0.0.1", {"unknown"}).find("X-Forwarded-For"), std::string::npos);
  for (const char* line : {"unknown", "198.51.100.1, nonsense", "198.51.100.1 10.0.0.2"}) {
    EXPECT_EQ(Client(proxies, "10.0.0.1", {line}).rfind("error: ", 0), 0u) << line;
  }
}

TEST(ClientAddressTest, ForwardedForWithPortsBracketsAndQuotes) {
  const TrustedProxies proxies = Proxies("10.0.0.1", ForwardedHeader::kForwarded);
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"for=198.51.100.1"}), "198.51.100.1");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"For=\"198.51.100.1:4711\";proto=https"}), "198.51.100.1");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"for=\"[2001:db8:cafe::17]:4711\""}), "2001:db8:cafe::17");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"for=\"[2001:db8:cafe::17]\";by=10.0.0.1"}),
            "2001:db8:cafe::17");
  EXPECT_EQ(Client(proxies, "10.0.0.1",
                   {"for=1.1.1.1;host=\"a,b\", for=198.51.100.1;proto=http;by=10.0.0.1"}),
            "198.51.100.1");
  EXPECT_EQ(Client(proxies, "10.0.0.1", {"for=_hidden, for=198.51.100.1, for=10.0.0.1"}),
            "198.51.100.1");
  // X-Forwarded-For is not read when Forwarded is the configured header.
  EXPECT_EQ(Client(proxies, "10.0.0.1", {}), "10.0.0.1");
  for (const char* line :
       {"for=unknown", "for=_hidden", "by=10.0.0.1", "for=198.51.100.1;for=198.51.100.2",
        "for=\"[198.51.100.1]\"", "for=\"198.51.100.1", "for=2001:db8::1:4711x"}) {
    EXPECT_EQ(Client(proxies, "10.0.0.1", {line}).rfind("error: ", 0), 0u) << line;
  }
}

}  // namespace
}  // namespace navolg::http
