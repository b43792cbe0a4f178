// The [server] table of a centre's file (or of a deployment's): where and
// how the server listens, its limits and timeouts. Every key is checked the
// same way as the centre's (config/reader.hpp).
#include <string>

#include "config/reader.hpp"
#include "config/settings.hpp"

namespace luot::config::detail {

void read_server(const reader& in, const toml::table& root, settings& out) {
  const toml::table* server = in.table_at(root, "", "server");
  if (server == nullptr) return;
  in.only_keys(*server, "server",
               {"address",
                "port",
                "database",
                "io_threads",
                "header_limit",
                "body_limit",
                "websocket_message_limit",
                "write_queue_limit",
                "http_idle_seconds",
                "handshake_seconds",
                "websocket_idle_seconds",
                "session_minutes",
                "take_ticket_per_minute",
                "resume_window",
                "resume_window_bytes",
                "write_queue_bytes",
                "websocket_send_buffer",
                "subscribe_per_minute",
                "sign_in_per_minute",
                "web_root",
                "sign_in_lockout_failures",
                "sign_in_lockout_minutes",
                "take_ticket_address_share_percent",
                "tls_certificate",
                "tls_private_key",
                "trusted_proxies"});
  auto& s = out.server;
  s.address = in.text(*server, "server", "address", s.address);
  s.port = static_cast<std::uint16_t>(in.integer(*server, "server", "port", s.port, 0, 65535));
  s.database = in.text(*server, "server", "database", s.database.string());
  s.io_threads =
      static_cast<unsigned>(in.integer(*server, "server", "io_threads", s.io_threads, 1, 64));
  s.header_limit = static_cast<std::size_t>(in.integer(
      *server, "server", "header_limit", static_cast<std::int64_t>(s.header_limit), 1024, 1 << 20));
  s.body_limit = static_cast<std::size_t>(in.integer(
      *server, "server", "body_limit", static_cast<std::int64_t>(s.body_limit), 1024, 16 << 20));
  s.websocket_message_limit = static_cast<std::size_t>(
      in.integer(*server, "server", "websocket_message_limit",
                 static_cast<std::int64_t>(s.websocket_message_limit), 1024, 16 << 20));
  s.write_queue_limit = static_cast<std::size_t>(
      in.integer(*server, "server", "write_queue_limit",
                 static_cast<std::int64_t>(s.write_queue_limit), 16, 1 << 20));
  s.write_queue_bytes = static_cast<std::size_t>(
      in.integer(*server, "server", "write_queue_bytes",
                 static_cast<std::int64_t>(s.write_queue_bytes), 16 * 1024, 1 << 30));
  s.websocket_send_buffer = static_cast<std::size_t>(
      in.integer(*server, "server", "websocket_send_buffer",
                 static_cast<std::int64_t>(s.websocket_send_buffer), 0, 64 << 20));
  s.subscribe_per_minute = static_cast<std::uint32_t>(
      in.integer(*server, "server", "subscribe_per_minute", s.subscribe_per_minute, 1, 100000));
  s.sign_in_per_minute = static_cast<std::uint32_t>(
      in.integer(*server, "server", "sign_in_per_minute", s.sign_in_per_minute, 1, 100000));
  s.http_idle_timeout = std::chrono::seconds{
      in.integer(*server, "server", "http_idle_seconds", s.http_idle_timeout.count(), 1, 3600)};
  s.handshake_timeout = std::chrono::seconds{
      in.integer(*server, "server", "handshake_seconds", s.handshake_timeout.count(), 1, 600)};
  s.websocket_idle_timeout = std::chrono::seconds{in.integer(
      *server, "server", "websocket_idle_seconds", s.websocket_idle_timeout.count(), 5, 3600)};
  s.session_lifetime = std::chrono::minutes{
      in.integer(*server, "server", "session_minutes", s.session_lifetime.count(), 1, 7 * 24 * 60)};
  s.take_ticket_per_minute = static_cast<std::uint32_t>(
      in.integer(*server, "server", "take_ticket_per_minute", s.take_ticket_per_minute, 1, 100000));
  s.take_ticket_address_share_percent =
      static_cast<std::uint32_t>(in.integer(*server, "server", "take_ticket_address_share_percent",
                                            s.take_ticket_address_share_percent, 0, 100));
  s.resume_window = static_cast<std::size_t>(in.integer(*server, "server", "resume_window",
                                                        static_cast<std::int64_t>(s.resume_window),
                                                        16, 10'000'000));
  s.resume_window_bytes = static_cast<std::size_t>(
      in.integer(*server, "server", "resume_window_bytes",
                 static_cast<std::int64_t>(s.resume_window_bytes), 64 * 1024, 1LL << 32));
  s.web_root = in.text(*server, "server", "web_root", s.web_root.string());
  s.tls_certificate = in.text(*server, "server", "tls_certificate", "");
  s.tls_private_key = in.text(*server, "server", "tls_private_key", "");
  // One without the other is a half-done TLS setup: say which is missing.
  if (s.tls_certificate.empty() != s.tls_private_key.empty()) {
    const std::string_view present =
        s.tls_certificate.empty() ? "tls_private_key" : "tls_certificate";
    const std::string_view missing =
        s.tls_certificate.empty() ? "tls_certificate" : "tls_private_key";
    in.fail(*server->get(present), "\"server." + std::string(present) + "\" needs \"server." +
                                       std::string(missing) + "\" as well");
  }
  if (const toml::node* proxies = server->get("trusted_proxies")) {
    const auto ranges = in.strings(*server, "server", "trusted_proxies");
    for (std::size_t index = 0; index < ranges.size(); ++index) {
      auto range = address_range::parse(ranges[index]);
      if (!range) {
        in.fail((*proxies->as_array())[index],
                "\"server.trusted_proxies\" holds \"" + ranges[index] +
                    "\", which is not an address or an address/prefix-length "
                    "(\"127.0.0.1\", \"10.0.0.0/8\", \"::1\")");
      }
      s.trusted_proxies.push_back(std::move(*range));
    }
  }
  s.sign_in_lockout_failures = static_cast<std::uint32_t>(in.integer(
      *server, "server", "sign_in_lockout_failures", s.sign_in_lockout_failures, 0, 1000));
  s.sign_in_lockout = std::chrono::minutes{in.integer(*server, "server", "sign_in_lockout_minutes",
                                                      s.sign_in_lockout.count(), 1, 24 * 60)};
}

}  // namespace luot::config::detail
