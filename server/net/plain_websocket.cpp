// A WebSocket over plain TCP after its opening handshake: RFC 6455's frames
// read and written here, on the bare socket (see session_stream.hpp for why
// not Beast's stream). Beast still does the handshake, and the TLS streams.
//
// What it holds while a screen idles: the socket, a few flags and one
// pending wait for readability. Bytes are read into a per-thread scratch
// buffer and parsed there; only a frame split across reads is kept
// (unparsed_), and only until it is whole.
//
// Writes are serialized here: the session's (at most one at a time) and
// the stream's own control frames (pong, ping, the close handshake). A
// control frame that comes while a write is under way waits for it, and a
// session write that comes while a control frame is being written waits
// for that (deferred_), so frames never interleave on the wire.

#include <sys/socket.h>

#include <array>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <optional>
#include <string>

#include "net/frame_header.hpp"
#include "net/session_stream_impl.hpp"
#include "text/unicode.hpp"

namespace luot::net::detail {

namespace {

using steady = std::chrono::steady_clock;

// RFC 6455 section 5.2.
enum opcode : unsigned {
  continuation = 0x0,
  text_frame = 0x1,
  binary_frame = 0x2,
  close_frame = 0x8,
  ping_frame = 0x9,
  pong_frame = 0xa,
};
constexpr std::size_t control_payload_max = 125;
constexpr std::size_t scratch_bytes = 16 * 1024;

// Section 7.4: the codes a peer may send in its close frame.
bool valid_close_code(unsigned code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

// A server's control frame: FIN, the opcode, the length (at most 125, so
// one byte) and the payload.
std::string control_frame(opcode op, std::string_view payload) {
  std::string frame;
  frame.reserve(2 + payload.size());
  frame.push_back(static_cast<char>(0x80 | op));
  frame.push_back(static_cast<char>(payload.size()));
  frame.append(payload);
  return frame;
}

std::string close_payload(unsigned code, std::string_view reason) {
  std::string payload;
  if (code == 0) return payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xff));
  payload.append(reason.substr(0, control_payload_max - 2));
  return payload;
}

std::uint64_t read_big_endian(const unsigned char* at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | at[i];
  return value;
}

class plain_websocket final : public websocket_stream::impl,
                              public std::enable_shared_from_this<plain_websocket> {
 public:
  explicit plain_websocket(tcp::socket&& socket) : socket_(std::move(socket)) {}

  tcp::socket& socket() override { return socket_; }
  void set_option(const websocket::stream_base::timeout& option) override { timeouts_ = option; }
  void set_option(websocket::stream_base::decorator option) override {
    decorator_.emplace(std::move(option));
  }
  void read_message_max(std::size_t amount) override { read_max_ = amount; }
  void binary(bool value) override { binary_ = value; }
  bool got_text() const override { return text_; }
  bool is_message_done() const override { return !in_message_; }

  void async_accept(const http::request<http::string_body>& upgrade, done_handler handler) override;
  // Reads one data frame's payload into `buffer` (the limit is the
  // session's own check; a message over read_message_max fails with 1009
  // before its payload is read).
  void async_read_some(beast::flat_buffer& buffer, std::size_t, transfer_handler handler) override;
  void async_write(asio::const_buffer data, transfer_handler handler) override {
    const auto size = write_frame_header(header_, binary_, data.size());
    async_write_raw({asio::buffer(header_.data(), size), data}, std::move(handler));
  }
  void async_write_raw(const frame_buffers& data, transfer_handler handler) override;
  std::size_t write_now(const frame_buffers& data, beast::error_code& ec) override;
  void async_close(const websocket::close_reason& reason, done_handler handler) override;
  void keep_alive(steady::time_point now) override;

 private:
  // Reading.
  bool wants_input() const {
    return !ended_ && !torn_down_ && (read_handler_ || (close_handler_ && !close_received_));
  }
  void wait_readable();
  // Parses what is here, reads what the socket has while someone wants it,
  // then completes what is done.
  void pump();
  // Parses whole frames from `data`; stops after a data frame (one per
  // read) or a failure. Returns the bytes used.
  std::size_t parse(const unsigned char* data, std::size_t size);
  void on_control(unsigned op, std::string_view payload);
  void on_data(unsigned op, bool fin, const unsigned char* payload, std::size_t size,
               const unsigned char* mask);
  // Fails the connection (section 7.1.7): a close frame with `code`, then
  // the end of the TCP connection; pending reads get `error`.
  void fail(websocket::error error, unsigned code);
  // Sends a close frame with `code` unless one went already, then ends the
  // TCP connection once the writes under way are done.
  void close_then_end(unsigned code);
  void tear_down_when_written();
  // Completes the pending read and close with what happened.
  void finish(beast::error_code ec);
  void complete_read(beast::error_code ec, std::size_t bytes);

  // Writing.
  void send_control(std::string frame);
  void start_write(const frame_buffers& data, transfer_handler handler);
  // After a write: the next control frame, the deferred write, or the end.
  void next_write();
  void tear_down();

  tcp::socket socket_;
  websocket::stream_base::timeout timeouts_{};
  std::optional<websocket::stream_base::decorator> decorator_;
  std::size_t read_max_ = 16 << 20;
  bool binary_ = false;

  std::optional<transfer_handler> read_handler_;
  beast::flat_buffer* read_into_ = nullptr;
  std::optional<done_handler> close_handler_;
  // Bytes read but not yet parsed: a frame split across reads, or frames
  // that came after the one a read returned. Empty while idle.
  std::string unparsed_;
  // What the parse found for the pending read.
  std::optional<std::size_t> delivered_;
  std::optional<beast::error_code> outcome_;
  // The data message being read.
  bool in_message_ = false;
  bool text_ = false;
  std::size_t message_bytes_ = 0;
  std::size_t message_start_ = 0;

  steady::time_point heard_ = steady::now();
  bool pinged_ = false;
  bool timed_out_ = false;

  bool waiting_ = false;
  bool writing_ = false;
  std::string control_;
  std::string control_in_flight_;
  struct deferred_write {
    frame_buffers data;
    transfer_handler handler;
  };
  std::optional<deferred_write> deferred_;
  std::array<char, 10> header_{};

  bool close_sent_ = false;
  bool close_received_ = false;
  // Close the TCP connection once the writes under way are done.
  bool tear_down_after_writes_ = false;
  bool torn_down_ = false;
  // Reading has ended (closed, failed, or the connection broke), and how.
  bool ended_ = false;
  beast::error_code ended_with_;
};

void plain_websocket::async_accept(const http::request<http::string_body>& upgrade,
                                   done_handler handler) {
  // Beast answers the upgrade (checking the request, the key, the
  // decorator's headers) on a stream of its own that lives only for the
  // handshake; the socket comes back for the frames.
  auto handshake = std::make_shared<websocket::stream<tcp::socket>>(std::move(socket_));
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = timeouts_.handshake_timeout;
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  handshake->set_option(timeouts);
  if (decorator_) handshake->set_option(std::move(*decorator_));
  decorator_.reset();
  auto& stream = *handshake;
  stream.async_accept(upgrade, [self = shared_from_this(), handshake = std::move(handshake),
                                handler = std::move(handler)](beast::error_code ec) mutable {
    self->socket_ = std::move(handshake->next_layer());
    handshake.reset();
    if (!ec) {
      beast::error_code ignored;
      self->socket_.non_blocking(true, ignored);
      self->heard_ = steady::now();
    }
    handler(ec);
  });
}

void plain_websocket::async_read_some(beast::flat_buffer& buffer, std::size_t,
                                      transfer_handler handler) {
  read_handler_.emplace(std::move(handler));
  read_into_ = &buffer;
  // Never completes inside this call: what is already here is parsed on
  // the next turn.
  if (!unparsed_.empty() || ended_ || torn_down_) {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->pump(); });
  } else {
    wait_readable();
  }
}

void plain_websocket::wait_readable() {
  if (waiting_) return;
  waiting_ = true;
  // Weak: an idle connection is kept alive by its session, not by this
  // wait (which closing the socket ends).
  socket_.async_wait(tcp::socket::wait_read, [weak = weak_from_this()](beast::error_code ec) {
    const auto self = weak.lock();
    if (!self) return;
    self->waiting_ = false;
    if (ec) return self->finish(self->timed_out_ ? beast::error_code(beast::error::timeout) : ec);
    self->pump();
  });
}

void plain_websocket::pump() {
  if (ended_) return finish(ended_with_);
  if (torn_down_)
    return finish(timed_out_ ? beast::error_code(beast::error::timeout)
                             : beast::error_code(asio::error::operation_aborted));
  if (!unparsed_.empty()) {
    auto* data = reinterpret_cast<const unsigned char*>(unparsed_.data());
    unparsed_.erase(0, parse(data, unparsed_.size()));
  }
  thread_local std::array<unsigned char, scratch_bytes> scratch;
  while (!delivered_ && !outcome_ && wants_input()) {
    beast::error_code ec;
    const auto got = socket_.read_some(asio::buffer(scratch), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      wait_readable();
      break;
    }
    if (ec) {
      outcome_ = ec;
      break;
    }
    heard_ = steady::now();
    pinged_ = false;
    if (unparsed_.empty()) {
      const auto used = parse(scratch.data(), got);
      unparsed_.assign(reinterpret_cast<const char*>(scratch.data()) + used, got - used);
    } else {
      unparsed_.append(reinterpret_cast<const char*>(scratch.data()), got);
      auto* data = reinterpret_cast<const unsigned char*>(unparsed_.data());
      unparsed_.erase(0, parse(data, unparsed_.size()));
    }
  }
  // A long frame's buffer is not kept for the wait that follows.
  if (unparsed_.empty() && unparsed_.capacity() > 256) std::string().swap(unparsed_);
  if (outcome_) return finish(*outcome_);
  if (delivered_) {
    const auto bytes = *delivered_;
    delivered_.reset();
    complete_read({}, bytes);
  }
}

std::size_t plain_websocket::parse(const unsigned char* data, std::size_t size) {
  std::size_t at = 0;
  while (!delivered_ && !outcome_ && size - at >= 2) {
    const unsigned first = data[at];
    const unsigned second = data[at + 1];
    const bool fin = (first & 0x80) != 0;
    const unsigned op = first & 0x0f;
    const bool control = (op & 0x8) != 0;
    if ((first & 0x70) != 0) {
      fail(websocket::error::bad_reserved_bits, websocket::close_code::protocol_error);
      break;
    }
    if ((second & 0x80) == 0) {
      fail(websocket::error::bad_unmasked_frame, websocket::close_code::protocol_error);
      break;
    }
    if (control ? op > pong_frame || op < close_frame : op > binary_frame) {
      fail(websocket::error::bad_opcode, websocket::close_code::protocol_error);
      break;
    }
    const unsigned short_length = second & 0x7f;
    const int extra = short_length == 126 ? 2 : short_length == 127 ? 8 : 0;
    const std::size_t header = 2 + static_cast<std::size_t>(extra) + 4;
    if (size - at < header) break;
    const std::uint64_t length = extra == 0 ? short_length : read_big_endian(data + at + 2, extra);
    if (control) {
      if (!fin) {
        fail(websocket::error::bad_control_fragment, websocket::close_code::protocol_error);
        break;
      }
      if (length > control_payload_max) {
        fail(websocket::error::bad_control_size, websocket::close_code::protocol_error);
        break;
      }
    } else {
      if (op == continuation && !in_message_) {
        fail(websocket::error::bad_continuation, websocket::close_code::protocol_error);
        break;
      }
      if (op != continuation && in_message_) {
        fail(websocket::error::bad_data_frame, websocket::close_code::protocol_error);
        break;
      }
      const std::uint64_t so_far = op == continuation ? message_bytes_ : 0;
      if (length > read_max_ || so_far + length > read_max_) {
        fail(websocket::error::message_too_big, websocket::close_code::too_big);
        break;
      }
    }
    if (size - at - header < length) break;
    const unsigned char* mask = data + at + header - 4;
    const unsigned char* payload = data + at + header;
    const auto bytes = static_cast<std::size_t>(length);
    at += header + bytes;
    if (control) {
      std::array<char, control_payload_max> unmasked{};
      for (std::size_t i = 0; i < bytes; ++i)
        unmasked[i] = static_cast<char>(payload[i] ^ mask[i % 4]);
      on_control(op, std::string_view(unmasked.data(), bytes));
    } else {
      on_data(op, fin, payload, bytes, mask);
    }
  }
  return at;
}

void plain_websocket::on_control(unsigned op, std::string_view payload) {
  if (op == ping_frame) {
    if (!close_sent_) send_control(control_frame(pong_frame, payload));
    return;
  }
  if (op == pong_frame) return;
  // A close frame: no code, or a valid code and a UTF-8 reason.
  unsigned code = 0;
  if (payload.size() == 1) {
    return fail(websocket::error::bad_close_size, websocket::close_code::protocol_error);
  }
  if (payload.size() >= 2) {
    code = (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
    if (!valid_close_code(code))
      return fail(websocket::error::bad_close_code, websocket::close_code::protocol_error);
    if (!text::is_valid_utf8(payload.substr(2)))
      return fail(websocket::error::bad_close_payload, websocket::close_code::protocol_error);
  }
  close_received_ = true;
  // The reply echoes the code (section 5.5.1).
  close_then_end(code);
  outcome_ = websocket::error::closed;
}

void plain_websocket::on_data(unsigned op, bool fin, const unsigned char* payload, std::size_t size,
                              const unsigned char* mask) {
  if (op != continuation) {
    in_message_ = true;
    text_ = op == text_frame;
    message_bytes_ = 0;
    message_start_ = read_into_ ? read_into_->size() : 0;
  }
  message_bytes_ += size;
  in_message_ = !fin;
  if (!read_handler_ || !read_into_) return;  // closing: discarded
  auto room = read_into_->prepare(size);
  auto* out = static_cast<unsigned char*>(room.data());
  // The mask runs from each frame's start, not the message's.
  for (std::size_t i = 0; i < size; ++i) out[i] = payload[i] ^ mask[i % 4];
  read_into_->commit(size);
  if (fin && text_) {
    const auto whole = read_into_->cdata();
    const std::string_view message(static_cast<const char*>(whole.data()) + message_start_,
                                   whole.size() - message_start_);
    if (!text::is_valid_utf8(message))
      return fail(websocket::error::bad_frame_payload, websocket::close_code::bad_payload);
  }
  delivered_ = size;
}

void plain_websocket::fail(websocket::error error, unsigned code) {
  outcome_ = error;
  close_then_end(code);
}

void plain_websocket::close_then_end(unsigned code) {
  if (!close_sent_) {
    close_sent_ = true;
    send_control(control_frame(close_frame, close_payload(code, {})));
  }
  tear_down_when_written();
}

void plain_websocket::tear_down_when_written() {
  tear_down_after_writes_ = true;
  if (!writing_) tear_down();
}

void plain_websocket::finish(beast::error_code ec) {
  outcome_.reset();
  delivered_.reset();
  // Nothing is read after this: a later read gets the same end.
  if (!ended_) {
    ended_ = true;
    ended_with_ = close_received_ ? beast::error_code(websocket::error::closed) : ec;
  }
  if (close_handler_) {
    auto handler = std::move(*close_handler_);
    close_handler_.reset();
    tear_down_when_written();
    handler(close_received_ ? beast::error_code() : ec);
  }
  if (read_handler_) complete_read(ec, 0);
}

void plain_websocket::complete_read(beast::error_code ec, std::size_t bytes) {
  auto handler = std::move(*read_handler_);
  read_handler_.reset();
  read_into_ = nullptr;
  handler(ec, bytes);
}

std::size_t plain_websocket::write_now(const frame_buffers& data, beast::error_code& ec) {
  if (close_sent_ || torn_down_) {
    ec = websocket::error::closed;
    return 0;
  }
  if (writing_) {
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
  const auto sent = ::sendmsg(socket_.native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (sent >= 0) return static_cast<std::size_t>(sent);
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    ec = asio::error::would_block;
  } else {
    ec = beast::error_code(errno, boost::system::system_category());
  }
  return 0;
}

void plain_websocket::async_write_raw(const frame_buffers& data, transfer_handler handler) {
  if (torn_down_) {
    complete_later(socket_.get_executor(), std::move(handler), websocket::error::closed,
                   std::size_t{0});
    return;
  }
  if (writing_) {
    deferred_.emplace(deferred_write{data, std::move(handler)});
    return;
  }
  start_write(data, std::move(handler));
}

void plain_websocket::start_write(const frame_buffers& data, transfer_handler handler) {
  writing_ = true;
  asio::async_write(socket_, data,
                    [self = shared_from_this(), handler = std::move(handler)](
                        beast::error_code ec, std::size_t bytes) mutable {
                      self->writing_ = false;
                      if (ec) self->tear_down_after_writes_ = true;
                      self->next_write();
                      handler(ec, bytes);
                    });
}

void plain_websocket::send_control(std::string frame) {
  control_.append(frame);
  if (!writing_) next_write();
}

void plain_websocket::next_write() {
  if (torn_down_) return;
  if (!control_.empty()) {
    writing_ = true;
    control_in_flight_ = std::move(control_);
    control_.clear();
    asio::async_write(socket_, asio::buffer(control_in_flight_),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->writing_ = false;
                        self->control_in_flight_.clear();
                        if (ec) {
                          self->control_.clear();
                          self->tear_down_after_writes_ = true;
                        }
                        self->next_write();
                      });
    return;
  }
  if (deferred_) {
    auto next = std::move(*deferred_);
    deferred_.reset();
    return start_write(next.data, std::move(next.handler));
  }
  if (tear_down_after_writes_) tear_down();
}

void plain_websocket::tear_down() {
  if (torn_down_) return;
  torn_down_ = true;
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (deferred_) {
    auto next = std::move(*deferred_);
    deferred_.reset();
    complete_later(socket_.get_executor(), std::move(next.handler), websocket::error::closed,
                   std::size_t{0});
  }
}

void plain_websocket::async_close(const websocket::close_reason& reason, done_handler handler) {
  if (close_sent_ || torn_down_) {
    complete_later(socket_.get_executor(), std::move(handler), websocket::error::closed);
    return;
  }
  close_sent_ = true;
  close_handler_.emplace(std::move(handler));
  send_control(control_frame(
      close_frame,
      close_payload(reason.code, std::string_view(reason.reason.data(), reason.reason.size()))));
  // The peer's close frame ends it (read by the pending read, if any).
  if (!waiting_) asio::post(socket_.get_executor(), [self = shared_from_this()] { self->pump(); });
}

void plain_websocket::keep_alive(steady::time_point now) {
  if (torn_down_ || close_sent_) return;
  const auto idle = timeouts_.idle_timeout;
  if (idle == websocket::stream_base::none()) return;
  const auto silent = now - heard_;
  if (silent >= idle) {
    // Ends the pending wait, which reports the timeout.
    timed_out_ = true;
    tear_down();
    return;
  }
  if (silent >= idle / 2 && !pinged_) {
    pinged_ = true;
    send_control(control_frame(ping_frame, {}));
  }
}

}  // namespace

websocket_stream make_plain_websocket(tcp::socket&& socket) {
  return websocket_stream(std::make_shared<plain_websocket>(std::move(socket)));
}

}  // namespace luot::net::detail
