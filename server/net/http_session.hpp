#pragma once

#include <memory>
#include <optional>
#include <string>

#include "net/beast.hpp"
#include "net/session_stream.hpp"
#include "net/shared_state.hpp"

namespace luot::net {

// One HTTP connection: reads a request under the header and body limits and
// the idle timeout, hands it to the router, writes the answer, and repeats
// while the client keeps the connection alive. A WebSocket upgrade of
// /api/v1/ws becomes a websocket_session. On a TLS port the connection is
// TLS first (the handshake under the handshake deadline); a client that
// speaks plain HTTP there gets one 400 saying so and is closed.
class http_session : public closable, public std::enable_shared_from_this<http_session> {
 public:
  // `tls` is the server's TLS context, or null for plain HTTP.
  http_session(tcp::socket&& socket, shared_state& state, std::shared_ptr<ssl::context> tls);
  ~http_session() override;

  void run();
  void shutdown() override;

 private:
  // TLS: the first bytes decide (a ClientHello or not), then the handshake.
  void detect();
  void on_detect(beast::error_code ec, bool is_tls);
  void on_handshake(beast::error_code ec, std::size_t used);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void upgrade(http::request<http::string_body> request);
  void send(api::http_response response, unsigned version, bool keep_alive);
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
  // Answers a request that could not be read and closes, draining what the
  // client still sends so it sees the answer rather than a reset.
  void refuse(api::http_response response);
  void drain();
  // After the last answer: TLS says close_notify (bounded by a deadline),
  // then the socket closes.
  void finish();
  void do_close();

  http_stream stream_;
  std::shared_ptr<ssl::context> tls_;
  beast::flat_buffer buffer_;
  shared_state& state_;
  std::string remote_address_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  std::array<char, 4096> scratch_{};
  std::size_t drained_ = 0;
  bool closing_ = false;
  // The connection went to a websocket_session: stream_ is empty.
  bool upgraded_ = false;
};

}  // namespace luot::net
