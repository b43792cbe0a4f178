#pragma once

// The byte streams under a session: plain TCP, or TLS over TCP when the
// server has a certificate. websocket_stream and http_stream forward the few
// operations the sessions use to one implementation per stream type, so
// http_session and websocket_session are written once for both.
//
// The implementations live in session_stream_plain.cpp, plain_websocket.cpp
// and session_stream_tls.cpp. A WebSocket over TLS is Beast's stream; over
// plain TCP, once Beast has done the opening handshake, the frames are read
// and written by plain_websocket.cpp: Beast's stream holds 2.5 KiB per
// connection (1.5 KiB of it a read buffer) and a pending read and timer
// besides, and ten thousand idle screens are the common case. The
// completion handlers cross into them type-
// erased (completion below): Beast's composed operations are
// instantiated once per stream type, in two files that compile in parallel,
// instead of for both types inside every session file (which made
// websocket_session.cpp alone take minutes to compile). The cost is one
// small allocation per asynchronous operation.

#include <array>
#include <boost/asio/ssl/error.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

#include "net/beast.hpp"

namespace boost::asio::ssl {
class context;
}

namespace luot::net {

namespace ssl = asio::ssl;
using plain_stream = beast::tcp_stream;

// A type-erased, move-only completion handler. It has no associated
// executor or allocator, so an operation completes on its stream's executor
// (the connection's strand), as the handlers the sessions pass (member
// functions bound to a shared_ptr, lambdas) would themselves.
// asio::any_completion_handler would do, but Boost 1.81's cannot be given to
// Beast's operations (its executor lacks blocking.never).
template <typename... Args>
class completion {
 public:
  template <typename Handler>
  requires(!std::is_same_v<std::decay_t<Handler>, completion>)
      completion(Handler&& handler)  // NOLINT: converts like a std::function
      : handler_(std::make_unique<holder<std::decay_t<Handler>>>(std::forward<Handler>(handler))) {}

  void operator()(Args... args) {
    auto handler = std::move(handler_);
    handler->call(std::move(args)...);
  }

 private:
  struct base {
    virtual ~base() = default;
    virtual void call(Args... args) = 0;
  };
  template <typename Handler>
  struct holder final : base {
    template <typename Given>
    explicit holder(Given&& given) : function(std::forward<Given>(given)) {}
    void call(Args... args) override { std::move(function)(std::move(args)...); }
    Handler function;
  };
  std::unique_ptr<base> handler_;
};

// The completion handlers the streams take.
using transfer_handler = completion<beast::error_code, std::size_t>;
// A frame written by hand: its header, then its payload.
using frame_buffers = std::array<asio::const_buffer, 2>;
using done_handler = completion<beast::error_code>;
using detect_handler = completion<beast::error_code, bool>;

// A WebSocket over either stream.
class websocket_stream {
 public:
  // What each stream type implements (session_stream_plain.cpp and
  // session_stream_tls.cpp).
  class impl {
   public:
    virtual ~impl() = default;
    // The TCP socket at the bottom (for its options, its descriptor and its
    // executor).
    virtual tcp::socket& socket() = 0;
    virtual void set_option(const websocket::stream_base::timeout& option) = 0;
    virtual void set_option(websocket::stream_base::decorator option) = 0;
    virtual void read_message_max(std::size_t amount) = 0;
    virtual void binary(bool value) = 0;
    virtual bool got_text() const = 0;
    virtual bool is_message_done() const = 0;
    virtual void async_accept(const http::request<http::string_body>& upgrade,
                              done_handler handler) = 0;
    virtual void async_read_some(beast::flat_buffer& buffer, std::size_t limit,
                                 transfer_handler handler) = 0;
    virtual void async_write(asio::const_buffer data, transfer_handler handler) = 0;
    virtual void async_close(const websocket::close_reason& reason, done_handler handler) = 0;
    virtual void async_write_raw(const frame_buffers& data, transfer_handler handler) = 0;
    virtual std::size_t write_now(const frame_buffers& data, beast::error_code& ec) = 0;
    // Pings a peer silent for half the idle timeout and cuts one silent for
    // all of it. Beast's stream keeps its own timer for this; the plain
    // stream is checked from outside (server's keep-alive sweep), so an idle
    // screen holds no timer.
    virtual void keep_alive(std::chrono::steady_clock::time_point) {}
  };

  explicit websocket_stream(std::shared_ptr<impl> stream) : impl_(std::move(stream)) {}

  tcp::socket& socket() { return impl_->socket(); }
  plain_stream::executor_type get_executor() { return socket().get_executor(); }

  void set_option(const websocket::stream_base::timeout& option) { impl_->set_option(option); }
  void set_option(websocket::stream_base::decorator option) {
    impl_->set_option(std::move(option));
  }
  void read_message_max(std::size_t amount) { impl_->read_message_max(amount); }
  void binary(bool value) { impl_->binary(value); }
  bool got_text() const { return impl_->got_text(); }
  bool is_message_done() const { return impl_->is_message_done(); }

  void async_accept(const http::request<http::string_body>& upgrade, done_handler handler) {
    impl_->async_accept(upgrade, std::move(handler));
  }
  void async_read_some(beast::flat_buffer& buffer, std::size_t limit, transfer_handler handler) {
    impl_->async_read_some(buffer, limit, std::move(handler));
  }
  void async_write(asio::const_buffer data, transfer_handler handler) {
    impl_->async_write(data, std::move(handler));
  }
  void async_close(const websocket::close_reason& reason, done_handler handler) {
    impl_->async_close(reason, std::move(handler));
  }
  // Writes bytes as they are, under the WebSocket layer (over TLS they are
  // still encrypted): for a frame written by hand.
  void async_write_raw(const frame_buffers& data, transfer_handler handler) {
    impl_->async_write_raw(data, std::move(handler));
  }
  // Over plain TCP, when no other write (the session's, or a pong or ping
  // of the stream's own) is under way: writes `data` at once, without
  // waiting, and says how many bytes went (all of them unless the socket's
  // buffer is full). Otherwise, or over TLS, writes nothing and sets `ec` to
  // would_block. The fan-out's common case, a small update to
  // an idle screen, is one system call this way instead of an asynchronous
  // write and its completion.
  std::size_t write_now(const frame_buffers& data, beast::error_code& ec) {
    return impl_->write_now(data, ec);
  }
  void keep_alive(std::chrono::steady_clock::time_point now) { impl_->keep_alive(now); }

 private:
  // Shared: the plain stream's own control frames (a pong, a close reply)
  // keep it alive until they are written.
  std::shared_ptr<impl> impl_;
};

// An accepted connection: plain TCP until start_tls(), then TLS.
class http_stream {
 public:
  // What each stream type implements. The TLS-only operations fail on the
  // plain stream and the plain-only ones on the TLS stream (the session
  // never calls them there).
  class impl {
   public:
    virtual ~impl() = default;
    virtual bool secure() const = 0;
    virtual beast::tcp_stream& tcp_layer() = 0;
    virtual void async_read(beast::flat_buffer& buffer,
                            http::request_parser<http::string_body>& parser,
                            transfer_handler handler) = 0;
    virtual void async_write(http::response<http::string_body>& message,
                             transfer_handler handler) = 0;
    virtual void async_read_some(asio::mutable_buffer buffer, transfer_handler handler) = 0;
    virtual websocket_stream release_to_websocket() = 0;
    // Plain only.
    virtual void async_detect_tls(beast::flat_buffer& buffer, detect_handler handler) = 0;
    virtual std::unique_ptr<impl> start_tls(ssl::context& context) = 0;
    // TLS only.
    virtual void async_tls_handshake(asio::const_buffer already_read, transfer_handler handler) = 0;
    virtual void async_tls_shutdown(done_handler handler) = 0;
  };

  // In session_stream_plain.cpp.
  explicit http_stream(tcp::socket&& socket);

  bool secure() const { return impl_->secure(); }
  beast::tcp_stream& tcp_layer() { return impl_->tcp_layer(); }
  tcp::socket& socket() { return tcp_layer().socket(); }
  plain_stream::executor_type get_executor() { return tcp_layer().get_executor(); }

  // Before start_tls(): reads the first bytes into `buffer` and says whether
  // they begin a TLS ClientHello.
  void async_detect_tls(beast::flat_buffer& buffer, detect_handler handler) {
    impl_->async_detect_tls(buffer, std::move(handler));
  }
  // Continues over TLS on the same connection (the handshake is next).
  void start_tls(ssl::context& context) { impl_ = impl_->start_tls(context); }
  // After start_tls(): the server's handshake, given the bytes already read.
  void async_tls_handshake(asio::const_buffer already_read, transfer_handler handler) {
    impl_->async_tls_handshake(already_read, std::move(handler));
  }
  // After start_tls(): says close_notify.
  void async_tls_shutdown(done_handler handler) { impl_->async_tls_shutdown(std::move(handler)); }

  void async_read(beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser,
                  transfer_handler handler) {
    impl_->async_read(buffer, parser, std::move(handler));
  }
  void async_write(http::response<http::string_body>& message, transfer_handler handler) {
    impl_->async_write(message, std::move(handler));
  }
  void async_read_some(asio::mutable_buffer buffer, transfer_handler handler) {
    impl_->async_read_some(buffer, std::move(handler));
  }

  // Hands the connection to a WebSocket; this stream must not be used after.
  websocket_stream release_to_websocket() { return impl_->release_to_websocket(); }

 private:
  std::unique_ptr<impl> impl_;
};

// The implementations' factories, for each other (start_tls makes a TLS
// stream from the plain one).
std::unique_ptr<http_stream::impl> make_tls_http_stream(plain_stream&& stream,
                                                        ssl::context& context);

}  // namespace luot::net
