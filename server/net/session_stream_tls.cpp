// The TLS streams (see session_stream.hpp).

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <stdexcept>

#include "net/session_stream_impl.hpp"

namespace luot::net {

namespace {

using tls_stream = beast::ssl_stream<beast::tcp_stream>;

class tls_http_impl final : public http_stream::impl {
 public:
  tls_http_impl(plain_stream&& stream, ssl::context& context)
      : stream_(std::move(stream), context) {}

  bool secure() const override { return true; }
  beast::tcp_stream& tcp_layer() override { return beast::get_lowest_layer(stream_); }
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

 private:
  tls_stream stream_;
};

}  // namespace

std::unique_ptr<http_stream::impl> make_tls_http_stream(plain_stream&& stream,
                                                        ssl::context& context) {
  return std::make_unique<tls_http_impl>(std::move(stream), context);
}

}  // namespace luot::net
