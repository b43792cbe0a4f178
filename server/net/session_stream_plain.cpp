// The plain TCP streams (see session_stream.hpp).

#include <boost/beast/core/detect_ssl.hpp>

#include "net/session_stream_impl.hpp"

namespace luot::net {

namespace {

class plain_http_impl final : public detail::http_impl_base<plain_stream> {
 public:
  explicit plain_http_impl(tcp::socket&& socket) : http_impl_base(std::move(socket)) {}

  bool secure() const override { return false; }
  beast::tcp_stream& tcp_layer() override { return stream_; }
  websocket_stream release_to_websocket() override {
    // Beast's tcp_stream (its timers are for the HTTP exchange) is left
    // behind: the WebSocket keeps its own timeouts, and an idle screen is
    // half a kilobyte lighter on the bare socket.
    return detail::make_plain_websocket(stream_.release_socket());
  }
  void async_detect_tls(beast::flat_buffer& buffer, detect_handler handler) override {
    beast::async_detect_ssl(stream_, buffer, std::move(handler));
  }
  std::unique_ptr<http_stream::impl> start_tls(ssl::context& context) override {
    return make_tls_http_stream(std::move(stream_), context);
  }
  void async_tls_handshake(asio::const_buffer, transfer_handler handler) override {
    detail::refuse_operation(stream_, std::move(handler), std::size_t{0});
  }
  void async_tls_shutdown(done_handler handler) override {
    detail::refuse_operation(stream_, std::move(handler));
  }
};

}  // namespace

http_stream::http_stream(tcp::socket&& socket)
    : impl_(std::make_unique<plain_http_impl>(std::move(socket))) {}

}  // namespace luot::net
