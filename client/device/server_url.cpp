#include "device/server_url.hpp"

#include <charconv>

namespace luot::device {

namespace {

constexpr std::string_view websocket_path = "/api/v1/ws";

url_result failure(std::string reason) {
  return url_result{std::nullopt, std::move(reason)};
}

}  // namespace

std::string server_url::authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

url_result parse_server_url(std::string_view text) {
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return failure("server URL \"" + std::string(text) +
                   "\" has no scheme; expected http://HOST:PORT");
  }
  const auto scheme = text.substr(0, scheme_end);
  const bool secure = scheme == "https" || scheme == "wss";
  if (!secure && scheme != "http" && scheme != "ws") {
    return failure("server URL \"" + std::string(text) + "\": unknown scheme \"" +
                   std::string(scheme) + "\"; expected http://, https://, ws:// or wss://");
  }
  auto rest = text.substr(scheme_end + 3);
  const auto path_start = rest.find('/');
  auto authority = rest.substr(0, path_start);
  auto path = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  if (path.find_first_of("?#") != std::string_view::npos) {
    return failure("server URL \"" + std::string(text) + "\" must not have a query or fragment");
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  // A URL that already names the endpoint is taken as meant.
  if (path.ends_with(websocket_path)) path.remove_suffix(websocket_path.size());

  server_url url;
  url.secure = secure;
  url.port = secure ? 443 : 80;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return failure("server URL \"" + std::string(text) + "\": unclosed [ in the IPv6 address");
    }
    url.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return failure("server URL \"" + std::string(text) + "\": junk after the IPv6 address");
      }
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return failure("server URL \"" + std::string(text) + "\" has no host");
  if (url.host.find_first_of("@ ") != std::string::npos) {
    return failure("server URL \"" + std::string(text) + "\": the host is not valid");
  }
  if (!port_text.empty() || authority.back() == ':') {
    unsigned value = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto parsed = std::from_chars(port_text.data(), end, value);
    if (port_text.empty() || parsed.ec != std::errc{} || parsed.ptr != end || value == 0 ||
        value > 65535) {
      return failure("server URL \"" + std::string(text) + "\": port \"" + std::string(port_text) +
                     "\" is not a number from 1 to 65535");
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  url.target = std::string(path) + std::string(websocket_path);
  return url_result{std::move(url), {}};
}

}  // namespace luot::device
