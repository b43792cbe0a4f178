#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
}

namespace luot::device {

// Where the server's WebSocket endpoint is: host, port and HTTP target, and
// whether it speaks TLS.
struct server_url {
  std::string host;
  std::uint16_t port = 80;
  // wss:// or https://: TLS, the certificate checked against `host`.
  bool secure = false;
  // The TLS context that says whom to trust (the system's store or a
  // centre's CA file); set by the device client, never by the parser. Null
  // for a secure URL means the system's store.
  std::shared_ptr<boost::asio::ssl::context> tls;
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
// (port 80 when absent), and "https://..." and "wss://..." (TLS, port 443
// when absent).
url_result parse_server_url(std::string_view text);

}  // namespace luot::device
