#include "device/server_url.hpp"

#include <gtest/gtest.h>

namespace luot::device {
namespace {

TEST(ServerUrl, AcceptsHttpAndWebSocketUrls) {
  struct row {
    const char* text;
    const char* host;
    std::uint16_t port;
    const char* target;
    const char* authority;
  };
  const row rows[] = {
      {"http://127.0.0.1:8080", "127.0.0.1", 8080, "/api/v1/ws", "127.0.0.1:8080"},
      {"ws://localhost:9", "localhost", 9, "/api/v1/ws", "localhost:9"},
      {"http://luot.local", "luot.local", 80, "/api/v1/ws", "luot.local:80"},
      {"http://10.0.0.2:8080/", "10.0.0.2", 8080, "/api/v1/ws", "10.0.0.2:8080"},
      {"http://proxy:8080/luot/", "proxy", 8080, "/luot/api/v1/ws", "proxy:8080"},
      {"ws://10.0.0.2:8080/api/v1/ws", "10.0.0.2", 8080, "/api/v1/ws", "10.0.0.2:8080"},
      {"http://[::1]:8080", "::1", 8080, "/api/v1/ws", "[::1]:8080"},
      {"ws://[fe80::1]", "fe80::1", 80, "/api/v1/ws", "[fe80::1]:80"},
      {"https://luot.local", "luot.local", 443, "/api/v1/ws", "luot.local:443"},
      {"wss://10.0.0.2:8443/luot", "10.0.0.2", 8443, "/luot/api/v1/ws", "10.0.0.2:8443"},
  };
  for (const auto& each : rows) {
    SCOPED_TRACE(each.text);
    const auto parsed = parse_server_url(each.text);
    ASSERT_TRUE(parsed.url) << parsed.error;
    EXPECT_EQ(parsed.url->host, each.host);
    EXPECT_EQ(parsed.url->port, each.port);
    EXPECT_EQ(parsed.url->target, each.target);
    EXPECT_EQ(parsed.url->authority(), each.authority);
    const std::string_view text = each.text;
    EXPECT_EQ(parsed.url->secure, text.starts_with("https") || text.starts_with("wss"));
  }
}

TEST(ServerUrl, RefusesWhatIsNotAServerUrlWithTheReason) {
  struct row {
    const char* text;
    const char* reason_contains;
  };
  const row rows[] = {
      {"", "no scheme"},
      {"127.0.0.1:8080", "no scheme"},
      {"ftp://luot.local", "unknown scheme"},
      {"wsss://luot.local", "unknown scheme"},
      {"http://", "no host"},
      {"http://:8080", "no host"},
      {"http://luot.local:0", "not a number from 1 to 65535"},
      {"http://luot.local:65536", "not a number from 1 to 65535"},
      {"http://luot.local:80a", "not a number from 1 to 65535"},
      {"http://luot.local:", "not a number from 1 to 65535"},
      {"http://luot.local:-1", "not a number from 1 to 65535"},
      {"http://luot.local:8080/?x=1", "query or fragment"},
      {"http://[::1:8080", "unclosed ["},
      {"http://[::1]8080", "junk after the IPv6 address"},
      {"http://user@luot.local", "the host is not valid"},
  };
  for (const auto& each : rows) {
    SCOPED_TRACE(each.text);
    const auto parsed = parse_server_url(each.text);
    EXPECT_FALSE(parsed.url);
    EXPECT_NE(parsed.error.find(each.reason_contains), std::string::npos) << parsed.error;
  }
}

}  // namespace
}  // namespace luot::device
