#include "net/websocket_session.hpp"

#include <spdlog/spdlog.h>

#include "net/api/router.hpp"

namespace luot::net {

namespace {

constexpr std::string_view server_version = "0.1.0";

bool is_shutdown(const beast::error_code& ec) {
  return ec == websocket::error::closed || ec == asio::error::operation_aborted ||
         ec == beast::error::timeout || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

}  // namespace

websocket_session::websocket_session(tcp::socket&& socket, shared_state& state, encoding format,
                                     std::string remote_address)
    : ws_(std::move(socket)),
      state_(state),
      format_(format),
      remote_address_(std::move(remote_address)),
      cutoff_(ws_.get_executor()) {
  state_.counters.connection_opened(connection_kind::websocket);
}

websocket_session::~websocket_session() {
  state_.counters.connection_closed(connection_kind::websocket);
  state_.sessions.remove(this);
}

void websocket_session::run(http::request<http::string_body> upgrade) {
  const auto& limits = state_.limits;
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = limits.handshake_timeout;
  timeouts.idle_timeout = limits.websocket_idle_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  const std::string subprotocol(format_ == encoding::json ? json_subprotocol : proto_subprotocol);
  ws_.set_option(websocket::stream_base::decorator([subprotocol](websocket::response_type& res) {
    res.set(http::field::server, "luot-server/0.1.0");
    res.set(http::field::sec_websocket_protocol, subprotocol);
  }));
  // Our own check (in on_read) closes an oversize message with 1009 and a
  // reason; Beast's cap is the backstop for frames that declare a huge
  // length up front, which it refuses (also 1009) before reading them.
  ws_.read_message_max(2 * limits.websocket_message_limit + 1);
  ws_.binary(format_ == encoding::binary);
  ws_.async_accept(upgrade,
                   beast::bind_front_handler(&websocket_session::on_accept, shared_from_this()));
}

void websocket_session::on_accept(beast::error_code ec) {
  if (ec) {
    spdlog::debug("websocket handshake with {}: {}", remote_address_, ec.message());
    return;
  }
  if (!state_.sessions.add(shared_from_this())) {
    begin_close(websocket::close_reason(websocket::close_code::going_away, "server stopping"),
                std::chrono::seconds(1));
    return;
  }
  do_read();
}

void websocket_session::do_read() {
  if (closing_) return;
  const std::size_t limit = state_.limits.websocket_message_limit;
  // Read at most one byte past the limit: enough to know it was exceeded.
  ws_.async_read_some(buffer_, limit + 1 - std::min(limit, buffer_.size()),
                      beast::bind_front_handler(&websocket_session::on_read, shared_from_this()));
}

void websocket_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    if (!is_shutdown(ec) && ec != websocket::error::message_too_big) {
      spdlog::debug("websocket read from {}: {}", remote_address_, ec.message());
    }
    leave_hub();
    return;
  }
  if (closing_) return;
  const std::size_t limit = state_.limits.websocket_message_limit;
  if (buffer_.size() > limit) {
    buffer_.consume(buffer_.size());
    begin_close(
        websocket::close_reason(websocket::close_code::too_big,
                                "message too large (limit " + std::to_string(limit) + " bytes)"),
        state_.limits.handshake_timeout);
    return;
  }
  if (!ws_.is_message_done()) return do_read();
  const auto data = buffer_.cdata();
  handle(std::string_view(static_cast<const char*>(data.data()), data.size()), ws_.got_text());
  buffer_.consume(buffer_.size());
  do_read();
}

void websocket_session::handle(std::string_view frame, bool text) {
  if (text != (format_ == encoding::json)) {
    return reply_error(
        0, core::make_error(v1::ERROR_CODE_MALFORMED_MESSAGE,
                            {format_ == encoding::json ? "luot.v1.json takes text frames"
                                                       : "luot.v1.proto takes binary frames"}));
  }
  v1::ClientMessage message;
  if (auto reason = decode(frame, format_, message)) {
    return reply_error(0, core::make_error(v1::ERROR_CODE_MALFORMED_MESSAGE, {std::move(*reason)}));
  }
  const auto request_id = message.request_id();
  switch (message.body_case()) {
    case v1::ClientMessage::kHello:
      return handle_hello(request_id, message.hello());
    case v1::ClientMessage::kSubscribe:
      return handle_subscribe(request_id, message.subscribe());
    case v1::ClientMessage::kCommand:
      return handle_command(request_id, std::move(*message.mutable_command()));
    case v1::ClientMessage::kPing: {
      v1::ServerMessage pong;
      pong.set_request_id(request_id);
      pong.mutable_pong();
      return reply(pong);
    }
    case v1::ClientMessage::BODY_NOT_SET:
      break;
  }
  reply_error(request_id,
              core::make_error(v1::ERROR_CODE_MALFORMED_MESSAGE, {"the message has no body"}));
}

void websocket_session::handle_hello(std::uint64_t request_id, const v1::Hello& hello) {
  auto who = state_.authority.identify(hello.token(), state_.services.now());
  if (!who) return reply_error(request_id, who.failure());
  token_ = hello.token();
  if (!hello.client().empty()) {
    spdlog::info("websocket {} is {} ({})", remote_address_, who->name, hello.client());
  }
  v1::ServerMessage welcome;
  welcome.set_request_id(request_id);
  welcome.mutable_welcome()->set_role(who->role_name());
  welcome.mutable_welcome()->set_principal(who->name);
  welcome.mutable_welcome()->set_server_version(std::string(server_version));
  state_.services.on_hub(
      [self = shared_from_this(), welcome = std::move(welcome)](hub& state) mutable {
        welcome.mutable_welcome()->set_seq(state.seq());
        self->deliver(encode(welcome, self->format_));
      });
}

void websocket_session::handle_subscribe(std::uint64_t request_id, const v1::Subscribe& subscribe) {
  std::optional<std::uint64_t> after_seq;
  if (subscribe.has_after_seq()) after_seq = subscribe.after_seq();
  subscribed_ = true;
  const auto now = state_.services.now();
  state_.services.on_hub([self = shared_from_this(), after_seq, request_id, now](hub& state) {
    // Subscribing again restarts the stream from the point asked for.
    state.unsubscribe(self.get());
    state.subscribe(self, after_seq, request_id, now);
  });
}

void websocket_session::handle_command(std::uint64_t request_id, v1::Command command) {
  auto who = state_.authority.identify(token_, state_.services.now());
  if (!who) return reply_error(request_id, who.failure());
  api::submit_command(
      state_.services, state_.limiter, *who, remote_address_, std::move(command),
      [self = shared_from_this(), request_id](core::result<v1::CommandResult> outcome) {
        v1::ServerMessage answer;
        answer.set_request_id(request_id);
        if (outcome) {
          *answer.mutable_result() = std::move(outcome).value();
        } else {
          *answer.mutable_error() = to_wire(outcome.failure());
        }
        self->deliver(encode(answer, self->format_));
      });
}

void websocket_session::reply_error(std::uint64_t request_id, const core::error& failure) {
  v1::ServerMessage message;
  message.set_request_id(request_id);
  *message.mutable_error() = to_wire(failure);
  reply(message);
}

void websocket_session::reply(const v1::ServerMessage& message) {
  enqueue(encode(message, format_));
}

void websocket_session::deliver(std::shared_ptr<const std::string> message) {
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), message = std::move(message)]() mutable {
               self->enqueue(std::move(message));
             });
}

void websocket_session::enqueue(std::shared_ptr<const std::string> message) {
  if (closing_) return;
  if (queue_.size() >= state_.limits.write_queue_limit) {
    spdlog::info("websocket {} cut off: {} messages queued", remote_address_, queue_.size());
    state_.counters.slow_client_cut_off();
    begin_close(
        websocket::close_reason(websocket::close_code::policy_error, "too slow, resubscribe"),
        state_.limits.handshake_timeout);
    return;
  }
  queue_.push_back(std::move(message));
  if (!writing_) do_write();
}

void websocket_session::do_write() {
  writing_ = true;
  ws_.async_write(asio::buffer(*queue_.front()),
                  beast::bind_front_handler(&websocket_session::on_write, shared_from_this()));
}

void websocket_session::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  queue_.pop_front();
  if (ec) {
    if (!is_shutdown(ec)) spdlog::debug("websocket write to {}: {}", remote_address_, ec.message());
    closing_ = true;
    leave_hub();
    return;
  }
  if (closing_) return send_close();
  if (!queue_.empty()) do_write();
}

void websocket_session::begin_close(websocket::close_reason reason,
                                    std::chrono::steady_clock::duration grace) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = std::move(reason);
  leave_hub();
  // Keep only the message being written; its buffer must outlive the write.
  if (writing_) {
    queue_.erase(queue_.begin() + 1, queue_.end());
  } else {
    queue_.clear();
  }
  cutoff_.expires_after(grace);
  cutoff_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    beast::error_code ignored;
    beast::get_lowest_layer(self->ws_).socket().close(ignored);
  });
  if (!writing_) send_close();
}

void websocket_session::send_close() {
  if (close_sent_) return;
  close_sent_ = true;
  ws_.async_close(close_reason_,
                  [self = shared_from_this()](beast::error_code) { self->cutoff_.cancel(); });
}

void websocket_session::leave_hub() {
  if (!subscribed_) return;
  subscribed_ = false;
  state_.services.on_hub(
      [self = shared_from_this()](hub& state) { state.unsubscribe(self.get()); });
}

void websocket_session::shutdown() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->begin_close(websocket::close_reason(websocket::close_code::going_away, "server stopping"),
                      std::chrono::seconds(1));
  });
}

}  // namespace luot::net
