#pragma once

// Small clients for the TLS tests, each on its own io_context with a
// deadline on every step (Beast stays inside tls_client.cpp).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace luot::testing {

struct https_reply {
  unsigned status = 0;
  std::string body;
  // Why the exchange failed (a refused certificate, a closed connection);
  // empty when a response arrived.
  std::string error;
};

// One HTTPS request to 127.0.0.1:`port`, trusting only `ca_file` and
// checking that the certificate names `host` (also sent in SNI).
https_reply https_call(std::uint16_t port, const std::filesystem::path& ca_file,
                       const std::string& method, const std::string& target,
                       const std::string& body = {}, const std::string& token = {},
                       const std::string& host = "localhost");

// What a WSS client hears after it sends one binary message of `size`
// bytes on luot.v1.proto: the close code and reason, or the error.
struct wss_close {
  std::uint16_t code = 0;
  std::string reason;
  std::string error;
};
wss_close wss_send_and_wait_for_close(std::uint16_t port, const std::filesystem::path& ca_file,
                                      std::size_t size);

// Connects to 127.0.0.1:`port`, writes `bytes` (maybe none) and waits,
// writing nothing more, until the server closes the connection: true when
// it did within `within`.
bool closed_by_server(std::uint16_t port, const std::string& bytes, std::chrono::seconds within);

}  // namespace luot::testing
