// The TLS streams (see session_stream.hpp).

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <stdexcept>

#include "net/session_stream_impl.hpp"

namespace luot::net {

namespace {

using tls_stream = beast::ssl_stream<beast::tcp_stream>;

class tls_http_impl final : public detail::http_impl_base<tls_stream> {
 public:
  tls_http_impl(plain_stream&& stream, ssl::context& context)
      : http_impl_base(std::move(stream), context) {}

  bool secure() const override { return true; }
  beast::tcp_stream& tcp_layer() override { return beast::get_lowest_layer(stream_); }
  websocket_stream release_to_websocket() override {
    return detail::make_websocket_stream(std::move(stream_));
  }
  void async_detect_tls(beast::flat_buffer&, detect_handler handler) override {
    detail::refuse_operation(tcp_layer(), std::move(handler), false);
  }
  std::unique_ptr<http_stream::impl> start_tls(ssl::context&) override {
    throw std::logic_error("start_tls on a TLS stream");
  }
  void async_tls_handshake(asio::const_buffer already_read, transfer_handler handler) override {
    // Through a generic lambda: Boost 1.81's buffered async_handshake checks
    // its handler against void(error_code) although it calls it with
    // (error_code, bytes used).
    stream_.async_handshake(ssl::stream_base::server, already_read,
                            [handler = std::move(handler)](auto... result) mutable -> void {
                              handler(std::move(result)...);
                            });
  }
  void async_tls_shutdown(done_handler handler) override {
    stream_.async_shutdown(std::move(handler));
  }
};

}  // namespace

std::unique_ptr<http_stream::impl> make_tls_http_stream(plain_stream&& stream,
                                                        ssl::context& context) {
  return std::make_unique<tls_http_impl>(std::move(stream), context);
}

}  // namespace luot::net
