#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace luot::device {

// Where the server's WebSocket endpoint is: host, port and HTTP target.
struct server_url {
  std::string host;
  std::uint16_t port = 80;
  // "/api/v1/ws", after any path prefix the URL had (a reverse proxy's).
  std::string target;

  // "host:port" (with brackets around an IPv6 address), for logs.
  std::string authority() const;
};

// A parsed URL, or why it is not one.
struct url_result {
  std::optional<server_url> url;
  std::string error;
};

// Accepts "http://HOST[:PORT][/PREFIX]" and "ws://HOST[:PORT][/PREFIX]"
// (port 80 when absent). TLS schemes are refused with a clear reason: the
// device client speaks plain WebSocket on the centre's LAN.
url_result parse_server_url(std::string_view text);

}  // namespace luot::device
