// The plain TCP streams (see session_stream.hpp).

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <boost/beast/core/detect_ssl.hpp>
#include <cerrno>
#include <stdexcept>

#include "net/session_stream_impl.hpp"

namespace luot::net {

namespace detail {

std::size_t write_when_idle(int socket, const frame_buffers& data, beast::error_code& ec) {
  int unsent = 0;
  if (::ioctl(socket, SIOCOUTQ, &unsent) != 0 || unsent != 0) {
    ec = asio::error::would_block;
    return 0;
  }
  std::array<iovec, 2> parts{};
  for (std::size_t i = 0; i < data.size(); ++i) {
    parts[i].iov_base = const_cast<void*>(data[i].data());
    parts[i].iov_len = data[i].size();
  }
  msghdr message{};
  message.msg_iov = parts.data();
  message.msg_iovlen = parts.size();
  const auto sent = ::sendmsg(socket, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (sent >= 0) return static_cast<std::size_t>(sent);
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    ec = asio::error::would_block;
  } else {
    ec = beast::error_code(errno, boost::system::system_category());
  }
  return 0;
}

}  // namespace detail

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
    return detail::make_websocket_stream(stream_.release_socket());
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
