// Whose address a request counts as behind a reverse proxy, without sockets.
#include "net/forwarded.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace luot::testing {
namespace {

std::vector<config::address_range> ranges(std::initializer_list<const char*> texts) {
  std::vector<config::address_range> result;
  for (const char* text : texts) {
    auto range = config::address_range::parse(text);
    EXPECT_TRUE(range.has_value()) << text;
    if (range) result.push_back(*range);
  }
  return result;
}

TEST(AddressRange, MatchesByPrefixInItsOwnFamily) {
  const auto lan = *config::address_range::parse("10.1.0.0/16");
  EXPECT_TRUE(lan.contains("10.1.255.3"));
  EXPECT_FALSE(lan.contains("10.2.0.1"));
  EXPECT_TRUE(lan.contains("::ffff:10.1.2.3"));  // IPv4 mapped into IPv6
  EXPECT_FALSE(lan.contains("2001:db8::1"));
  EXPECT_FALSE(lan.contains("not an address"));
  const auto host = *config::address_range::parse("::1");
  EXPECT_TRUE(host.contains("::1"));
  EXPECT_FALSE(host.contains("::2"));
  const auto v6 = *config::address_range::parse("2001:db8::/33");
  EXPECT_TRUE(v6.contains("2001:db8:7fff::1"));
  EXPECT_FALSE(v6.contains("2001:db8:8000::1"));
  EXPECT_TRUE(config::address_range::parse("0.0.0.0/0")->contains("192.0.2.1"));
  for (const char* broken :
       {"", "10.0.0.0/", "10.0.0.0/33", "::1/129", "10.0.0.0/8x", "nginx", "10.0.0.256", "/8"}) {
    EXPECT_FALSE(config::address_range::parse(broken).has_value()) << broken;
  }
}

TEST(ClientAddress, OnlyATrustedProxyIsBelieved) {
  const auto proxies = ranges({"127.0.0.1", "10.0.0.0/8"});
  // No proxy in front: whatever the client writes is ignored.
  EXPECT_EQ(net::client_address("198.51.100.9", "192.0.2.1", proxies), "198.51.100.9");
  EXPECT_EQ(net::client_address("198.51.100.9", "192.0.2.1", {}), "198.51.100.9");
  // nginx on the same host: the address it appended.
  EXPECT_EQ(net::client_address("127.0.0.1", "192.0.2.1", proxies), "192.0.2.1");
  // Through two proxies of ours: the first hop that is not one of them.
  EXPECT_EQ(net::client_address("127.0.0.1", "192.0.2.1, 10.0.0.5", proxies), "192.0.2.1");
  // A client that writes its own header cannot choose its address: the
  // entries it wrote are left of the one our proxy appended.
  EXPECT_EQ(net::client_address("127.0.0.1", "203.0.113.7, 192.0.2.1", proxies), "192.0.2.1");
  EXPECT_EQ(net::client_address("127.0.0.1", "203.0.113.7,192.0.2.1", proxies), "192.0.2.1");
  // Ports and brackets are not part of the address.
  EXPECT_EQ(net::client_address("127.0.0.1", "192.0.2.1:5123", proxies), "192.0.2.1");
  EXPECT_EQ(net::client_address("127.0.0.1", "[2001:db8::7]:443", proxies), "2001:db8::7");
  EXPECT_EQ(net::client_address("127.0.0.1", " 2001:db8::7 ", proxies), "2001:db8::7");
  // Garbage at the right end, or no header: the last trustworthy hop.
  EXPECT_EQ(net::client_address("127.0.0.1", "192.0.2.1, unknown", proxies), "127.0.0.1");
  EXPECT_EQ(net::client_address("127.0.0.1", "", proxies), "127.0.0.1");
  EXPECT_EQ(net::client_address("127.0.0.1", "10.0.0.5", proxies), "10.0.0.5");
  EXPECT_EQ(net::client_address("127.0.0.1", "garbage, 10.0.0.5", proxies), "10.0.0.5");
}

}  // namespace
}  // namespace luot::testing
