#include "device/synchronizer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

namespace luot::device {

namespace {

using std::chrono::steady_clock;
using std::chrono::system_clock;

std::uint64_t seed_of(const options& settings) {
  if (settings.jitter_seed != 0) return settings.jitter_seed;
  std::random_device random;
  return (std::uint64_t{random()} << 32) ^ random();
}

std::string describe(const v1::Error& error) {
  std::string text = v1::ErrorCode_Name(error.code());
  if (!error.message_en().empty()) text += ": " + error.message_en();
  return text;
}

}  // namespace

synchronizer::synchronizer(strand executor, options settings, server_url url, observer& watcher)
    : executor_(executor),
      settings_(std::move(settings)),
      url_(std::move(url)),
      watcher_(watcher),
      backoff_(settings_.backoff_initial, settings_.backoff_max, seed_of(settings_)),
      watchdog_(executor),
      pinger_(executor),
      retry_(executor) {}

void synchronizer::start() {
  if (phase_ != phase::stopped) return;
  connect();
}

void synchronizer::stop() {
  if (phase_ == phase::stopped) return;
  phase_ = phase::stopped;
  ++attempt_;
  watchdog_.cancel();
  pinger_.cancel();
  retry_.cancel();
  if (link_) link_->abandon();
  link_.reset();
  requests_.fail_all("the device client stopped");
  report(connection_state::stopped, "stopped");
}

void synchronizer::send(v1::Command command, reply_handler handler) {
  const bool welcomed = phase_ == phase::subscribing || phase_ == phase::live;
  // One slot stays free for the Ping that proves the link alive.
  if (!welcomed || !link_ || link_->room() < 2) {
    const auto id = requests_.next_id();
    spdlog::debug("command {} refused locally: {}", id,
                  welcomed ? "outgoing queue full" : "not connected");
    if (handler) handler(unavailable_reply(id));
    return;
  }
  v1::ClientMessage message;
  message.set_request_id(requests_.add(std::move(handler)));
  *message.mutable_command() = std::move(command);
  link_->send(message);
}

void synchronizer::connect() {
  phase_ = phase::connecting;
  const auto attempt = ++attempt_;
  report(connection_state::connecting, "connecting to " + url_.authority());
  auto self = shared_from_this();
  websocket_link::handlers events;
  events.opened = [self, attempt] {
    if (attempt == self->attempt_) self->on_opened();
  };
  events.received = [self, attempt](v1::ServerMessage message) {
    if (attempt == self->attempt_) self->on_message(std::move(message));
  };
  events.ended = [self, attempt](link_end why) {
    if (attempt == self->attempt_) self->on_ended(std::move(why));
  };
  // A polite close gets at most a second, less when connecting is quicker.
  const auto close_grace =
      std::min<std::chrono::milliseconds>(std::chrono::seconds(1), settings_.connect_timeout);
  link_ = std::make_shared<websocket_link>(executor_, url_, settings_.format,
                                           settings_.outgoing_queue_limit, settings_.message_limit,
                                           close_grace, std::move(events));
  deadline_ = steady_clock::now() + settings_.connect_timeout;
  arm_watchdog();
  link_->open();
}

void synchronizer::on_opened() {
  phase_ = phase::greeting;
  hello_id_ = requests_.next_id();
  v1::ClientMessage hello;
  hello.set_request_id(hello_id_);
  hello.mutable_hello()->set_token(settings_.token);
  hello.mutable_hello()->set_client(settings_.client_name);
  link_->send(hello);
  spdlog::debug("connected to {}, hello sent", url_.authority());
}

void synchronizer::on_message(v1::ServerMessage message) {
  // Any frame at all proves the link alive.
  deadline_ = steady_clock::now() + settings_.ping_timeout;
  if (phase_ == phase::live) current_at_ = system_clock::now();
  const auto id = message.request_id();
  if (phase_ == phase::greeting) {
    if (id != hello_id_) return;
    if (message.has_welcome()) return on_welcome(message.welcome());
    if (message.has_error()) {
      return drop("the server refused the Hello (" + describe(message.error()) + ")",
                  message.error());
    }
    return drop("the server answered the Hello with something other than Welcome");
  }
  switch (message.body_case()) {
    case v1::ServerMessage::kView:
      return on_view(message.view());
    case v1::ServerMessage::kUpdate:
      return on_update(message.update());
    case v1::ServerMessage::kSubscribed:
      // The reply to a resuming Subscribe, after the last update of its
      // backlog: exact for every stream, including a zone or a ticket,
      // which skip the seqs of updates they do not see.
      if (id == subscribe_id_ && phase_ == phase::subscribing && mirror_.has_view())
        go_live("resumed at seq " + std::to_string(mirror_.seq()));
      return;
    case v1::ServerMessage::kPong:
      return;
    case v1::ServerMessage::kError:
      if (id == subscribe_id_) {
        return drop("the server refused the Subscribe (" + describe(message.error()) + ")",
                    message.error());
      }
      if (id == 0) {
        spdlog::warn("server {} reported: {}", url_.authority(), describe(message.error()));
        return;
      }
      break;
    default:
      break;
  }
  if (id != 0 && !requests_.complete(message)) {
    spdlog::debug("reply {} from {} matches no waiting request", id, url_.authority());
  }
}

void synchronizer::on_welcome(const v1::Welcome& welcome) {
  phase_ = phase::subscribing;
  welcome_seq_ = welcome.seq();
  // From now on silence is judged by the ping timeout, which may end before
  // the connect deadline the watchdog waits for: wait for the new one.
  arm_watchdog();
  report(connection_state::syncing, "welcomed as " + welcome.role() + " " + welcome.principal() +
                                        " by luot-server " + welcome.server_version());
  v1::ClientMessage subscribe;
  subscribe_id_ = requests_.next_id();
  subscribe.set_request_id(subscribe_id_);
  auto* wanted = subscribe.mutable_subscribe();
  if (mirror_.has_view()) {
    if (welcome_seq_ >= mirror_.seq()) {
      wanted->set_after_seq(mirror_.seq());
    } else {
      // The server's log is behind the mirror (a different or restored
      // database): nothing to resume from, so take its whole view into a
      // fresh mirror, whose seqs and calls start again with that log's.
      spdlog::info("server {} is at seq {}, behind this mirror's {}: taking its whole view",
                   url_.authority(), welcome_seq_, mirror_.seq());
      mirror_ = view::mirror();
    }
  }
  wanted->set_ticket_token(settings_.ticket_token);
  for (const auto& counter : settings_.counters) wanted->add_counters(counter);
  link_->send(subscribe);
  arm_pinger();
}

void synchronizer::on_view(const v1::View& view) {
  std::vector<v1::Call> missed;
  const auto what = mirror_.reset(view, &missed);
  const auto origin = had_view_ ? call_origin::missed : call_origin::before_start;
  had_view_ = true;
  watcher_.changed(mirror_, what);
  for (const auto& call : missed) watcher_.called(call, origin);
  go_live("view at seq " + std::to_string(view.seq()));
}

void synchronizer::on_update(const v1::ViewUpdate& update) {
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug("update at seq {} ({}){}", update.seq(), update.cause(),
                  update.has_call() ? " with a call at seq " + std::to_string(update.call().seq())
                                    : std::string());
  }
  const auto what = mirror_.apply(update);
  watcher_.changed(mirror_, what);
  // A call the server had made before it welcomed this connection happened
  // while the link was down, however the backlog was paced.
  if (what.new_call) {
    watcher_.called(*what.new_call,
                    what.new_call->seq() <= welcome_seq_ ? call_origin::missed : call_origin::live);
  }
  catch_up_if_current();
}

bool synchronizer::narrowed() const {
  const auto& view = mirror_.view();
  return !settings_.ticket_token.empty() || !settings_.counters.empty() || !view.zone().empty() ||
         view.has_ticket();
}

void synchronizer::catch_up_if_current() {
  if (phase_ == phase::subscribing && mirror_.has_view() && mirror_.seq() >= welcome_seq_) {
    go_live("resumed at seq " + std::to_string(mirror_.seq()));
  }
}

void synchronizer::go_live(const std::string& how) {
  if (phase_ == phase::live) return;
  phase_ = phase::live;
  backoff_.reset();
  failures_ = 0;
  current_at_ = system_clock::now();
  report(connection_state::live, how);
}

void synchronizer::drop(std::string reason, std::optional<v1::Error> error) {
  if (!link_) return;
  drop_error_ = std::move(error);
  // Reports through on_ended, like any other end of the link.
  link_->fail(std::move(reason));
}

void synchronizer::on_ended(link_end why) {
  if (phase_ == phase::stopped) return;
  ++attempt_;
  link_.reset();
  watchdog_.cancel();
  pinger_.cancel();
  auto error = std::move(drop_error_);
  drop_error_.reset();
  const bool was_live = phase_ == phase::live;
  phase_ = phase::waiting;
  if (!was_live) ++failures_;
  requests_.fail_all(why.reason);
  const auto delay = backoff_.next();
  report(connection_state::disconnected, why.reason, std::move(error), why.close_code, delay);
  retry_.expires_after(delay);
  retry_.async_wait([self = shared_from_this(), attempt = attempt_](beast::error_code ec) {
    if (!ec && attempt == self->attempt_) self->connect();
  });
}

std::uint64_t synchronizer::send_ping() {
  if (!link_ || link_->room() == 0) return 0;
  v1::ClientMessage ping;
  ping.set_request_id(requests_.next_id());
  ping.mutable_ping();
  link_->send(ping);
  return ping.request_id();
}

void synchronizer::arm_watchdog() {
  watchdog_.expires_at(deadline_);
  watchdog_.async_wait([self = shared_from_this(), attempt = attempt_](beast::error_code ec) {
    if (ec || attempt != self->attempt_) return;
    if (steady_clock::now() < self->deadline_) return self->arm_watchdog();
    const bool welcomed = self->phase_ == phase::subscribing || self->phase_ == phase::live;
    self->drop(welcomed ? "no frame from " + self->url_.authority() + " for " +
                              std::to_string(self->settings_.ping_timeout.count()) +
                              " ms (ping timeout): the link is dead"
                        : "no Welcome from " + self->url_.authority() + " within " +
                              std::to_string(self->settings_.connect_timeout.count()) +
                              " ms (connect timeout)");
  });
}

void synchronizer::arm_pinger() {
  pinger_.expires_after(settings_.ping_interval);
  pinger_.async_wait([self = shared_from_this(), attempt = attempt_](beast::error_code ec) {
    if (ec || attempt != self->attempt_) return;
    self->send_ping();
    self->arm_pinger();
  });
}

void synchronizer::report(connection_state state, std::string reason,
                          std::optional<v1::Error> error, std::uint16_t close_code,
                          std::chrono::milliseconds retry_in) {
  link_status status;
  status.state = state;
  status.reason = std::move(reason);
  status.error = std::move(error);
  status.close_code = close_code;
  if (state != connection_state::live) status.stale_since = current_at_;
  status.retry_in = retry_in;
  status.failures = failures_;
  switch (state) {
    case connection_state::live:
      spdlog::info("live with {}: {}", url_.authority(), status.reason);
      break;
    case connection_state::disconnected:
      spdlog::info("disconnected from {}: {}; retrying in {} ms", url_.authority(), status.reason,
                   retry_in.count());
      break;
    default:
      spdlog::debug("{} ({}): {}", to_string(state), url_.authority(), status.reason);
      break;
  }
  watcher_.state_changed(status);
}

}  // namespace luot::device
