#pragma once

// The byte streams under a session: plain TCP, or TLS over TCP when the
// server has a certificate. Each class holds a std::variant of the two Beast
// stream types and forwards the few operations the sessions use, so
// http_session and websocket_session are written once for both. Only the
// session and listener .cpp files include it (it brings in OpenSSL).

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <utility>
#include <variant>

#include "net/beast.hpp"

namespace luot::net {

namespace ssl = asio::ssl;
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

// A WebSocket over either stream.
class websocket_stream {
 public:
  explicit websocket_stream(plain_stream&& stream)
      : ws_(std::in_place_type<websocket::stream<plain_stream>>, std::move(stream)) {}
  explicit websocket_stream(tls_stream&& stream)
      : ws_(std::in_place_type<websocket::stream<tls_stream>>, std::move(stream)) {}

  // The TCP stream at the bottom (for its socket and its options).
  beast::tcp_stream& tcp_layer() {
    return std::visit([](auto& ws) -> beast::tcp_stream& { return beast::get_lowest_layer(ws); },
                      ws_);
  }
  tcp::socket& socket() { return tcp_layer().socket(); }
  plain_stream::executor_type get_executor() { return tcp_layer().get_executor(); }

  template <typename Option>
  void set_option(Option option) {
    std::visit([&](auto& ws) { ws.set_option(std::move(option)); }, ws_);
  }
  void read_message_max(std::size_t amount) {
    std::visit([&](auto& ws) { ws.read_message_max(amount); }, ws_);
  }
  void binary(bool value) {
    std::visit([&](auto& ws) { ws.binary(value); }, ws_);
  }
  bool got_text() const {
    return std::visit([](const auto& ws) { return ws.got_text(); }, ws_);
  }
  bool is_message_done() const {
    return std::visit([](const auto& ws) { return ws.is_message_done(); }, ws_);
  }

  template <typename Handler>
  void async_accept(const http::request<http::string_body>& upgrade, Handler&& handler) {
    std::visit([&](auto& ws) { ws.async_accept(upgrade, std::forward<Handler>(handler)); }, ws_);
  }
  template <typename Handler>
  void async_read_some(beast::flat_buffer& buffer, std::size_t limit, Handler&& handler) {
    std::visit([&](auto& ws) { ws.async_read_some(buffer, limit, std::forward<Handler>(handler)); },
               ws_);
  }
  template <typename Handler>
  void async_write(asio::const_buffer data, Handler&& handler) {
    std::visit([&](auto& ws) { ws.async_write(data, std::forward<Handler>(handler)); }, ws_);
  }
  template <typename Handler>
  void async_close(const websocket::close_reason& reason, Handler&& handler) {
    std::visit([&](auto& ws) { ws.async_close(reason, std::forward<Handler>(handler)); }, ws_);
  }
  // Writes bytes as they are, under the WebSocket layer (over TLS they are
  // still encrypted): for a frame written by hand.
  template <typename Handler>
  void async_write_raw(asio::const_buffer data, Handler&& handler) {
    std::visit(
        [&](auto& ws) { asio::async_write(ws.next_layer(), data, std::forward<Handler>(handler)); },
        ws_);
  }

 private:
  std::variant<websocket::stream<plain_stream>, websocket::stream<tls_stream>> ws_;
};

// An accepted connection: plain TCP until start_tls(), then TLS.
class http_stream {
 public:
  explicit http_stream(tcp::socket&& socket)
      : stream_(std::in_place_type<plain_stream>, std::move(socket)) {}

  bool secure() const { return std::holds_alternative<tls_stream>(stream_); }
  beast::tcp_stream& tcp_layer() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); },
                      stream_);
  }
  tcp::socket& socket() { return tcp_layer().socket(); }
  plain_stream::executor_type get_executor() { return tcp_layer().get_executor(); }

  // Before start_tls(): the TCP stream, to look at the first bytes.
  plain_stream& plain() { return std::get<plain_stream>(stream_); }
  // Continues over TLS on the same connection (the handshake is next).
  void start_tls(ssl::context& context) {
    plain_stream connection = std::move(std::get<plain_stream>(stream_));
    stream_.emplace<tls_stream>(std::move(connection), context);
  }
  tls_stream& tls() { return std::get<tls_stream>(stream_); }

  template <typename Handler>
  void async_read(beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser,
                  Handler&& handler) {
    std::visit(
        [&](auto& s) { http::async_read(s, buffer, parser, std::forward<Handler>(handler)); },
        stream_);
  }
  template <typename Message, typename Handler>
  void async_write(Message& message, Handler&& handler) {
    std::visit([&](auto& s) { http::async_write(s, message, std::forward<Handler>(handler)); },
               stream_);
  }
  template <typename Handler>
  void async_read_some(asio::mutable_buffer buffer, Handler&& handler) {
    std::visit([&](auto& s) { s.async_read_some(buffer, std::forward<Handler>(handler)); },
               stream_);
  }

  // Hands the connection to a WebSocket; this stream must not be used after.
  websocket_stream release_to_websocket() {
    return std::visit([](auto& s) { return websocket_stream(std::move(s)); }, stream_);
  }

 private:
  std::variant<plain_stream, tls_stream> stream_;
};

}  // namespace luot::net
