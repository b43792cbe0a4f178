#pragma once

// The stream implementations' shared template, for session_stream_plain.cpp
// and session_stream_tls.cpp only: each instantiates it for its own stream
// type, so Beast's operations are compiled once per type.

#include <boost/asio/write.hpp>
#include <memory>
#include <type_traits>
#include <utility>

#include "net/session_stream.hpp"

namespace luot::net::detail {

// The WebSocket over plain TCP (plain_websocket.cpp).
websocket_stream make_plain_websocket(tcp::socket&& socket);

template <typename Stream>
class websocket_impl final : public websocket_stream::impl {
 public:
  explicit websocket_impl(Stream&& stream) : ws_(std::move(stream)) {}

  tcp::socket& socket() override { return beast::get_lowest_layer(ws_).socket(); }
  void set_option(const websocket::stream_base::timeout& option) override {
    ws_.set_option(option);
  }
  void set_option(websocket::stream_base::decorator option) override {
    ws_.set_option(std::move(option));
  }
  void read_message_max(std::size_t amount) override { ws_.read_message_max(amount); }
  void binary(bool value) override { ws_.binary(value); }
  bool got_text() const override { return ws_.got_text(); }
  bool is_message_done() const override { return ws_.is_message_done(); }

  void async_accept(const http::request<http::string_body>& upgrade,
                    done_handler handler) override {
    ws_.async_accept(upgrade, std::move(handler));
  }
  void async_read_some(beast::flat_buffer& buffer, std::size_t limit,
                       transfer_handler handler) override {
    ws_.async_read_some(buffer, limit, std::move(handler));
  }
  void async_write(asio::const_buffer data, transfer_handler handler) override {
    ws_.async_write(data, std::move(handler));
  }
  void async_close(const websocket::close_reason& reason, done_handler handler) override {
    ws_.async_close(reason, std::move(handler));
  }
  void async_write_raw(const frame_buffers& data, transfer_handler handler) override {
    asio::async_write(ws_.next_layer(), data, std::move(handler));
  }
  std::size_t write_now(const frame_buffers&, beast::error_code& ec) override {
    ec = asio::error::would_block;
    return 0;
  }

 private:
  websocket::stream<Stream> ws_;
};

// What both HTTP stream types do the same way over their own `Stream`: read
// a request, write a response, read raw bytes. Each type adds the rest.
template <typename Stream>
class http_impl_base : public http_stream::impl {
 public:
  void async_read(beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser,
                  transfer_handler handler) override {
    http::async_read(stream_, buffer, parser, std::move(handler));
  }
  void async_write(http::response<http::string_body>& message, transfer_handler handler) override {
    http::async_write(stream_, message, std::move(handler));
  }
  void async_read_some(asio::mutable_buffer buffer, transfer_handler handler) override {
    stream_.async_read_some(buffer, std::move(handler));
  }

 protected:
  template <typename... Args>
  explicit http_impl_base(Args&&... args) : stream_(std::forward<Args>(args)...) {}

  Stream stream_;
};

// Makes the WebSocket implementation for `Stream` (defined next to it).
template <typename Stream>
websocket_stream make_websocket_stream(Stream&& stream) {
  return websocket_stream(std::make_shared<websocket_impl<Stream>>(std::move(stream)));
}

// Completes `handler` with `ec` (and `values`) on the next turn of
// `executor`, never inside the call that started the operation.
template <typename Executor, typename Handler, typename... Values>
void complete_later(const Executor& executor, Handler handler, beast::error_code ec,
                    Values... values) {
  asio::post(executor, [handler = std::move(handler), ec, values...]() mutable {
    std::move(handler)(ec, values...);
  });
}

// For an operation a stream type does not have: completes with
// operation_not_supported on the stream's executor.
template <typename Handler, typename... Values>
void refuse_operation(beast::tcp_stream& stream, Handler handler, Values... values) {
  complete_later(stream.get_executor(), std::move(handler), asio::error::operation_not_supported,
                 values...);
}

}  // namespace luot::net::detail
