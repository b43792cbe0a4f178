// The writing side of a WebSocket session: fan-out delivery, the bounded
// write queue, a resume's backlog, frames written by hand, and closing.
#include <spdlog/spdlog.h>

#include "net/frame_header.hpp"
#include "net/view_cache.hpp"
#include "net/websocket_session.hpp"

namespace luot::net {

void websocket_session::deliver(std::shared_ptr<const std::string> message) {
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), message = std::move(message)]() mutable {
               self->enqueue(std::move(message));
             });
}

void websocket_session::deliver_batch(delivery_batch batch) {
  // Every session in the batch runs on this one's context (the hub groups
  // them by home_, which only sessions set), so this one task may write to
  // each of them in turn.
  asio::post(ws_.get_executor(), [batch = std::move(batch)]() {
    for (const auto& each : batch.to)
      static_cast<websocket_session&>(*each).deliver_here(batch.message);
  });
}

void websocket_session::deliver_here(const std::shared_ptr<const std::string>& message) {
  if (closing_) return;
  // An idle session writes the shared message at once, without queueing
  // (or even counting a reference to) it: the common case of a call
  // reaching a screen.
  if (writing_ || !queue_.empty() || resume_) return enqueue(message);
  write(message);
}

void websocket_session::catch_up(std::vector<std::shared_ptr<const published_update>> backlog,
                                 view::zone zone, std::uint64_t request_id,
                                 std::uint64_t reached_seq) {
  v1::ServerMessage done;
  done.set_request_id(request_id);
  done.mutable_subscribed()->set_seq(reached_seq);
  asio::post(ws_.get_executor(), [self = shared_from_this(), backlog = std::move(backlog),
                                  zone = std::move(zone), done = std::move(done)]() mutable {
    if (self->closing_) return;
    auto resume = std::make_unique<resume_state>();
    resume->done = encode(done, self->format_);
    resume->backlog.assign(std::move(backlog));
    resume->zone = std::move(zone);
    resume->ahead = self->queue_.size();
    self->resume_ = std::move(resume);
    if (!self->writing_) self->do_write();
  });
}

void websocket_session::send_view(published_view view, view::zone zone, std::uint64_t request_id) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), view = std::move(view),
                                  zone = std::move(zone), request_id]() mutable {
    if (self->closing_) return;
    // Encoded here, on this session's thread, and at most once per revision
    // for everyone: a crowd of subscribers never slows the hub.
    self->enqueue(self->state_.views.reply(view, zone, self->format_, request_id));
  });
}

void websocket_session::enqueue(std::shared_ptr<const std::string> message) {
  if (closing_) return;
  const auto& limits = state_.limits;
  if (queue_.size() >= limits.write_queue_limit ||
      queued_bytes_ + message->size() > limits.write_queue_bytes) {
    spdlog::info("websocket {} cut off: {} messages, {} bytes queued", remote_address_,
                 queue_.size(), queued_bytes_);
    state_.counters.slow_client_cut_off();
    cut_off(websocket::close_reason(websocket::close_code::policy_error, "too slow, resubscribe"));
    return;
  }
  queued_bytes_ += message->size();
  queue_.push_back(std::move(message));
  if (!writing_) do_write();
}

std::shared_ptr<const std::string> websocket_session::next_message() {
  if (resume_ && resume_->ahead == 0) {
    auto& resume = *resume_;
    while (!resume.backlog.empty()) {
      const auto update = std::move(resume.backlog.front());
      resume.backlog.pop_front();
      if (resume.zone.whole_centre()) return update->encoded(format_);
      if (auto part = resume.zone.filter(*update->update)) {
        v1::ServerMessage message;
        *message.mutable_update() = std::move(*part);
        return encode(message, format_);
      }
    }
    auto done = std::move(resume.done);
    resume_.reset();
    return done;
  }
  if (queue_.empty()) return nullptr;
  auto message = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= message->size();
  if (resume_) --resume_->ahead;
  return message;
}

void websocket_session::do_write() {
  while (auto message = next_message()) {
    if (!write(message)) return;
  }
}

bool websocket_session::write(const std::shared_ptr<const std::string>& message) {
  // The frame is tried by hand first: a server's frames are unmasked, so
  // the header is all that differs from the shared payload.
  const frame_buffers frame = frame_of(*message);
  const auto size = frame[0].size() + frame[1].size();
  beast::error_code ec;
  const auto sent = ws_.write_now(frame, ec);
  if (sent == size) return true;
  in_flight_ = message;
  writing_ = true;
  auto done = beast::bind_front_handler(&websocket_session::on_write, shared_from_this());
  if (sent > 0) {
    // Part of the frame went: the rest follows it by hand too.
    ws_.async_write_raw(rest_of(frame, sent), std::move(done));
  } else if (ec == asio::error::would_block) {
    ws_.async_write(asio::buffer(*in_flight_), std::move(done));
  } else {
    on_write(ec, 0);
  }
  return false;
}

frame_buffers websocket_session::frame_of(const std::string& payload) {
  const auto size = write_frame_header(frame_header_, format_ == encoding::binary, payload.size());
  return {asio::buffer(frame_header_.data(), size), asio::buffer(payload)};
}

frame_buffers websocket_session::rest_of(const frame_buffers& frame, std::size_t sent) {
  if (sent < frame[0].size()) return {frame[0] + sent, frame[1]};
  return {frame[1] + (sent - frame[0].size()), asio::const_buffer()};
}

void websocket_session::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  in_flight_.reset();
  if (ec) {
    if (!is_shutdown(ec)) spdlog::debug("websocket write to {}: {}", remote_address_, ec.message());
    closing_ = true;
    leave_hub();
    return;
  }
  if (closing_) return send_close();
  do_write();
}

void websocket_session::begin_close(websocket::close_reason reason,
                                    std::chrono::steady_clock::duration grace) {
  if (closing_) return;
  closing_ = true;
  close_ = std::make_unique<closing_state>(ws_.get_executor());
  close_->reason = std::move(reason);
  leave_hub();
  // The message being written (in_flight_) stays alive until its write ends.
  queue_.clear();
  queued_bytes_ = 0;
  resume_.reset();
  close_->cutoff.expires_after(grace);
  close_->cutoff.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    beast::error_code ignored;
    self->ws_.socket().close(ignored);
  });
  if (!writing_) send_close();
}

void websocket_session::cut_off(websocket::close_reason reason) {
  if (closing_) return;
  close_without_reply_ = true;
  begin_close(std::move(reason), state_.limits.handshake_timeout);
}

void websocket_session::send_close() {
  if (close_sent_) return;
  close_sent_ = true;
  if (close_without_reply_) return send_close_frame();
  ws_.async_close(close_->reason, [self = shared_from_this()](beast::error_code) {
    self->close_->cutoff.cancel();
  });
}

void websocket_session::send_close_frame() {
  // A graceful close (Beast's async_close) reads and discards whatever the
  // peer sends until its close frame arrives. A client cut off for flooding
  // would keep the server reading its flood for the whole grace: 300 such
  // connections cost more CPU than everything else together. So the close
  // frame is written by hand (a server's frames are unmasked: FIN + opcode
  // 8, length, code, reason), followed by the end of the stream, and the
  // socket is never read again: a flood stalls in TCP flow control at no
  // cost, a well-behaved client reads the reason and sees the stream end,
  // and the grace timer closes the socket. No other write is in flight
  // (send_close runs only between the session's writes, and the plain stream
  // queues its own control frames behind it).
  const auto& code = close_->reason.code;
  const std::string_view reason(close_->reason.reason.data(), close_->reason.reason.size());
  auto& frame = close_->frame;
  frame.push_back(static_cast<char>(0x88));
  frame.push_back(static_cast<char>(2 + reason.size()));
  frame.push_back(static_cast<char>(code >> 8));
  frame.push_back(static_cast<char>(code & 0xff));
  frame.append(reason);
  ws_.async_write_raw({asio::buffer(frame), asio::const_buffer()},
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        beast::error_code ignored;
                        self->ws_.socket().shutdown(asio::socket_base::shutdown_send, ignored);
                      });
}

}  // namespace luot::net
