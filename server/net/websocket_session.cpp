#include "net/websocket_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "net/api/router.hpp"
#include "net/api/text_limits.hpp"
#include "net/api/text_normalize.hpp"
#include "net/log_text.hpp"
#include "text/catalogue.hpp"

namespace luot::net {

namespace {

constexpr std::string_view server_version = "0.1.0";
// Refused subscribes in a row a connection may send before it is closed.
constexpr int refused_subscribes_allowed = 3;
// Commands one connection may have in the pipeline (sent, not yet
// answered). Past it the session stops reading until replies go out, so a
// client that pipelines thousands of commands and never reads holds the
// server to this many, and then its unread replies cut it off.
constexpr std::size_t commands_in_flight_limit = 32;
// Subscribes one connection may send in a burst, and how often it earns
// another. A device subscribes once per connection (its reconnects are new
// connections, counted by their address; the device client answers a
// refused Subscribe by reconnecting later), so a connection that asks
// beyond this is a flood and is closed at once: a crowd of connections that
// each keep asking costs one view apiece, not the address's whole burst.
constexpr double connection_subscribe_burst = 1;
constexpr auto connection_subscribe_refill = std::chrono::seconds(20);
// What the first read of a message may take (see do_read).
constexpr std::size_t first_read_bytes = 256;

}  // namespace

websocket_session::websocket_session(websocket_stream&& stream, shared_state& state,
                                     encoding format, std::string remote_address)
    : ws_(std::move(stream)),
      state_(state),
      format_(format),
      remote_address_(std::move(remote_address)),
      subscribe_allowance_(connection_subscribe_burst),
      allowance_updated_(std::chrono::steady_clock::now()) {
  // target() points into the executor, which must outlive the pointer.
  const auto executor = ws_.get_executor();
  if (const auto* own = executor.target<asio::io_context::executor_type>()) home_ = &own->context();
  state_.counters.connection_opened(connection_kind::websocket);
}

websocket_session::~websocket_session() {
  state_.counters.connection_closed(connection_kind::websocket);
  if (!device_.empty()) state_.presence.disconnected(device_);
  state_.sessions.remove(this);
}

bool websocket_session::is_shutdown(const beast::error_code& ec) {
  return ec == websocket::error::closed || ec == asio::error::operation_aborted ||
         ec == beast::error::timeout || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == ssl::error::stream_truncated;
}

void websocket_session::run(http::request<http::string_body> upgrade) {
  const auto& limits = state_.limits;
  if (limits.websocket_send_buffer > 0) {
    beast::error_code ignored;
    ws_.socket().set_option(
        asio::socket_base::send_buffer_size(static_cast<int>(limits.websocket_send_buffer)),
        ignored);
  }
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
  // A message's first read asks for little: Beast reserves what a read may
  // take in our buffer when it starts, and a subscriber waits in that read
  // all day (a frame's worth, 1.5 KiB, for each idle screen otherwise).
  // Messages are small; a longer one continues in bigger reads.
  const std::size_t room = limit + 1 - std::min(limit, buffer_.size());
  ws_.async_read_some(buffer_, buffer_.size() == 0 ? std::min(room, first_read_bytes) : room,
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
    cut_off(
        websocket::close_reason(websocket::close_code::too_big,
                                "message too large (limit " + std::to_string(limit) + " bytes)"));
    return;
  }
  if (!ws_.is_message_done()) return do_read();
  const auto data = buffer_.cdata();
  handle(std::string_view(static_cast<const char*>(data.data()), data.size()), ws_.got_text());
  buffer_.consume(buffer_.size());
  // What a long message grew is not kept for the wait that follows.
  if (buffer_.capacity() > first_read_bytes) buffer_.shrink_to_fit();
  if (commands_in_flight_ >= commands_in_flight_limit) {
    // Reading resumes when a reply goes out (in command_answered).
    read_paused_ = true;
    return;
  }
  do_read();
}

void websocket_session::command_answered(std::shared_ptr<const std::string> reply) {
  --commands_in_flight_;
  enqueue(std::move(reply));
  if (read_paused_ && !closing_ && commands_in_flight_ < commands_in_flight_limit) {
    read_paused_ = false;
    do_read();
  }
}

void websocket_session::handle(std::string_view frame, bool text) {
  if (text != (format_ == encoding::json)) {
    return reply_error(0, core::make_error(v1::ERROR_CODE_MALFORMED_MESSAGE,
                                           {text::reason(format_ == encoding::json
                                                             ? "sec.text_frames_expected"
                                                             : "sec.binary_frames_expected")}));
  }
  v1::ClientMessage message;
  if (auto reason = decode(frame, format_, message)) {
    return reply_error(0, core::make_error(v1::ERROR_CODE_MALFORMED_MESSAGE, {std::move(*reason)}));
  }
  const auto request_id = message.request_id();
  // Every string in it capped by kind (commands are checked again on their
  // way to the engine, as HTTP bodies are).
  if (auto refused = api::prepare_text(message)) return reply_error(request_id, *refused);
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
  reply_error(request_id, core::make_error(v1::ERROR_CODE_MALFORMED_MESSAGE,
                                           {text::reason("sec.empty_message")}));
}

void websocket_session::handle_hello(std::uint64_t request_id, const v1::Hello& hello) {
  auto who = state_.authority.identify(hello.token(), state_.services.now());
  if (!who) return reply_error(request_id, who.failure());
  token_ = hello.token();
  // A device's connection makes it "online" on the manager's monitor.
  if (who->kind != principal_kind::anonymous && who->kind != principal_kind::staff &&
      device_ != who->name) {
    if (!device_.empty()) state_.presence.disconnected(device_);
    device_ = who->name;
    state_.presence.connected(device_);
  }
  if (!hello.client().empty()) {
    spdlog::info("websocket {} is {} ({})", remote_address_, who->name, log_text(hello.client()));
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
  // Each subscribe costs a view or a backlog: limited per connection and
  // per address. A connection past its own allowance, or that keeps asking
  // after its address was refused, is not a device that backs off but a
  // flood: it is closed rather than answered, so refusing it costs nothing
  // more.
  const auto allowed = allow_subscribe();
  if (allowed != subscribe_verdict::allowed) {
    if (allowed == subscribe_verdict::connection_exhausted ||
        ++refused_subscribes_ > refused_subscribes_allowed) {
      state_.counters.slow_client_cut_off();
      return cut_off(websocket::close_reason(websocket::close_code::policy_error,
                                             "too many subscribes, back off"));
    }
    return reply_error(request_id, core::make_error(v1::ERROR_CODE_RATE_LIMITED));
  }
  refused_subscribes_ = 0;
  auto who = state_.authority.identify(token_, state_.services.now());
  if (!who) return reply_error(request_id, who.failure());
  const auto& counters = state_.services.settings().centre.counters;
  for (const auto& wanted : subscribe.counters()) {
    if (std::none_of(counters.begin(), counters.end(),
                     [&](const auto& counter) { return counter.id == wanted; }))
      return reply_error(request_id, core::make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {wanted}));
  }
  subscription wanted;
  if (subscribe.has_after_seq()) wanted.after_seq = subscribe.after_seq();
  wanted.ticket_token = subscribe.ticket_token();
  wanted.zone = view::zone(who->zone).narrowed(
      std::vector<std::string>(subscribe.counters().begin(), subscribe.counters().end()));
  wanted.request_id = request_id;
  subscribed_ = true;
  const auto now = state_.services.now();
  state_.services.on_hub(
      [self = shared_from_this(), wanted = std::move(wanted), now](hub& state) mutable {
        // Subscribing again restarts the stream from the point asked for.
        state.unsubscribe(self.get());
        state.subscribe(self, std::move(wanted), now);
      });
}

websocket_session::subscribe_verdict websocket_session::allow_subscribe() {
  const auto now = std::chrono::steady_clock::now();
  const std::chrono::duration<double> since = now - allowance_updated_;
  allowance_updated_ = now;
  subscribe_allowance_ = std::min(
      connection_subscribe_burst,
      subscribe_allowance_ + since / std::chrono::duration<double>(connection_subscribe_refill));
  if (subscribe_allowance_ < 1) return subscribe_verdict::connection_exhausted;
  if (!state_.subscribe_limiter.allow(remote_address_, now))
    return subscribe_verdict::address_limited;
  subscribe_allowance_ -= 1;
  return subscribe_verdict::allowed;
}

void websocket_session::handle_command(std::uint64_t request_id, v1::Command command) {
  auto who = state_.authority.identify(token_, state_.services.now());
  if (!who) return reply_error(request_id, who.failure());
  ++commands_in_flight_;
  api::submit_command(
      state_.services, state_.limiter, *who, remote_address_, std::move(command),
      [self = shared_from_this(), request_id](core::result<v1::CommandResult> outcome) {
        v1::ServerMessage answer;
        answer.set_request_id(request_id);
        if (outcome) {
          *answer.mutable_result() = std::move(outcome).value();
        } else {
          self->state_.counters.rejected(v1::ErrorCode_Name(outcome.failure().code));
          *answer.mutable_error() = to_wire(outcome.failure());
        }
        auto reply = encode(answer, self->format_);
        asio::post(self->ws_.get_executor(), [self, reply = std::move(reply)]() mutable {
          self->command_answered(std::move(reply));
        });
      });
}

void websocket_session::reply_error(std::uint64_t request_id, const core::error& failure) {
  state_.counters.rejected(v1::ErrorCode_Name(failure.code));
  v1::ServerMessage message;
  message.set_request_id(request_id);
  *message.mutable_error() = to_wire(failure);
  reply(message);
}

void websocket_session::reply(const v1::ServerMessage& message) {
  enqueue(encode(message, format_));
}

void websocket_session::leave_hub() {
  if (!subscribed_) return;
  subscribed_ = false;
  state_.services.on_hub(
      [self = shared_from_this()](hub& state) { state.unsubscribe(self.get()); });
}

void websocket_session::shutdown() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->closing_) {
      // Already closing (a client cut off waits out its grace, up to the
      // handshake timeout): the server stopping ends it now.
      beast::error_code ignored;
      self->ws_.socket().close(ignored);
      if (self->close_) self->close_->cutoff.cancel();
      return;
    }
    self->begin_close(websocket::close_reason(websocket::close_code::going_away, "server stopping"),
                      std::chrono::seconds(1));
  });
}

void websocket_session::keep_alive(std::chrono::steady_clock::time_point now) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), now] { self->ws_.keep_alive(now); });
}

}  // namespace luot::net
