#include "net/http_session.hpp"

#include <spdlog/spdlog.h>

#include "net/forwarded.hpp"
#include "net/websocket_session.hpp"
#include "text/catalogue.hpp"

namespace luot::net {

namespace {

// Who sent `request`: the peer, or behind a trusted proxy the address its
// X-Forwarded-For names (see forwarded.hpp).
std::string client_of(const http::request<http::string_body>& request, const std::string& peer,
                      const std::vector<config::address_range>& trusted) {
  if (trusted.empty()) return peer;
  std::string joined;
  const auto [first, last] = request.equal_range("X-Forwarded-For");
  for (auto field = first; field != last; ++field) {
    if (!joined.empty()) joined += ',';
    joined += field->value();
  }
  return client_address(peer, joined, trusted);
}

constexpr std::string_view server_name = "luot-server/0.1.0";
// What a refused client may still send before the connection is cut.
constexpr std::size_t drain_limit = 1024 * 1024;
constexpr auto drain_time = std::chrono::seconds(2);

// The subprotocol to speak: the client's first offer that we know.
std::optional<encoding> pick_subprotocol(std::string_view offered) {
  while (!offered.empty()) {
    const auto comma = offered.find(',');
    std::string_view item = offered.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item == websocket_session::proto_subprotocol) return encoding::binary;
    if (item == websocket_session::json_subprotocol) return encoding::json;
    if (comma == std::string_view::npos) break;
    offered.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

}  // namespace

http_session::http_session(tcp::socket&& socket, shared_state& state,
                           std::shared_ptr<ssl::context> tls)
    : stream_(std::move(socket)), tls_(std::move(tls)), state_(state) {
  beast::error_code ec;
  const auto remote = stream_.socket().remote_endpoint(ec);
  remote_address_ = ec ? std::string("unknown") : remote.address().to_string();
  state_.counters.connection_opened(connection_kind::http);
}

http_session::~http_session() {
  state_.counters.connection_closed(connection_kind::http);
  state_.sessions.remove(this);
}

void http_session::run() {
  if (!state_.sessions.add(shared_from_this())) {
    shutdown();
    return;
  }
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(tls_ ? &http_session::detect : &http_session::do_read,
                                           shared_from_this()));
}

void http_session::detect() {
  if (closing_) return;
  // One deadline for everything before the first request: the first bytes
  // and the whole TLS handshake (a client that trickles them is cut).
  stream_.tcp_layer().expires_after(state_.limits.handshake_timeout);
  stream_.async_detect_tls(buffer_,
                           beast::bind_front_handler(&http_session::on_detect, shared_from_this()));
}

void http_session::on_detect(beast::error_code ec, bool is_tls) {
  if (ec || closing_) return do_close();
  if (!is_tls) {
    // Plain HTTP on the TLS port: say so in plain HTTP and close. Nothing
    // the client sent is read as a request, so no token it sent in clear
    // text is ever used.
    spdlog::debug("plain HTTP from {} on the TLS port", remote_address_);
    return refuse(api::error_response(
        core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.https_only")})));
  }
  stream_.start_tls(*tls_);
  stream_.async_tls_handshake(
      buffer_.data(), beast::bind_front_handler(&http_session::on_handshake, shared_from_this()));
}

void http_session::on_handshake(beast::error_code ec, std::size_t used) {
  if (ec) {
    // A client that does not trust the certificate ends up here too.
    spdlog::debug("TLS handshake with {}: {}", remote_address_, ec.message());
    return do_close();
  }
  buffer_.consume(used);
  do_read();
}

void http_session::shutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    self->do_close();
  });
}

void http_session::do_read() {
  if (closing_) return;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_.limits.header_limit));
  parser_->body_limit(state_.limits.body_limit);
  // One deadline for the whole request, however slowly its bytes come.
  stream_.tcp_layer().expires_after(state_.limits.http_idle_timeout);
  stream_.async_read(buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
      ec == asio::error::eof || ec == ssl::error::stream_truncated) {
    return do_close();
  }
  if (ec == http::error::body_limit) {
    return refuse(api::error_response(core::make_error(
        v1::ERROR_CODE_MESSAGE_TOO_LARGE, {std::to_string(state_.limits.body_limit)})));
  }
  if (ec == http::error::header_limit) {
    auto response = api::error_response(core::make_error(
        v1::ERROR_CODE_MESSAGE_TOO_LARGE, {std::to_string(state_.limits.header_limit)}));
    response.status = 431;
    return refuse(std::move(response));
  }
  if (ec) {
    if (ec.category() == beast::error_code(http::error::end_of_stream).category()) {
      spdlog::debug("malformed http from {}: {}", remote_address_, ec.message());
      return refuse(api::error_response(core::make_error(v1::ERROR_CODE_MALFORMED_MESSAGE,
                                                         {text::reason("sec.malformed_http")})));
    }
    spdlog::debug("http read from {}: {}", remote_address_, ec.message());
    return do_close();
  }

  auto request = parser_->release();
  if (websocket::is_upgrade(request)) return upgrade(std::move(request));

  api::http_request routed;
  routed.method = std::string(request.method_string());
  routed.target = std::string(request.target());
  routed.authorization = std::string(request[http::field::authorization]);
  routed.cookie = std::string(request[http::field::cookie]);
  routed.csrf_token = std::string(request["X-CSRF-Token"]);
  routed.if_none_match = std::string(request[http::field::if_none_match]);
  routed.remote_address = client_of(request, remote_address_, state_.limits.trusted_proxies);
  routed.body = std::move(request.body());
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  // No read is pending while the command runs, so no timer either.
  stream_.tcp_layer().expires_never();
  state_.routes.handle(std::move(routed), [self = shared_from_this(), version,
                                           keep_alive](api::http_response response) {
    asio::post(self->stream_.get_executor(),
               [self, response = std::move(response), version, keep_alive]() mutable {
                 self->send(std::move(response), version, keep_alive);
               });
  });
}

void http_session::upgrade(http::request<http::string_body> request) {
  const std::string_view target = request.target();
  // The centre the path names (one centre: /api/v1/ws).
  auto centre = websocket_state(state_, target.substr(0, target.find('?')));
  if (!centre) return refuse(api::error_response(centre.failure()));
  const auto format = pick_subprotocol(request[http::field::sec_websocket_protocol]);
  if (!format) {
    return refuse(api::error_response(
        core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.subprotocol_required")})));
  }
  // The WebSocket stream takes the connection (and its TLS state); its own
  // timeouts replace ours.
  stream_.tcp_layer().expires_never();
  upgraded_ = true;
  std::make_shared<websocket_session>(
      stream_.release_to_websocket(), **centre, *format,
      client_of(request, remote_address_, state_.limits.trusted_proxies))
      ->run(std::move(request));
}

void http_session::send(api::http_response response, unsigned version, bool keep_alive) {
  if (closing_) return;
  response_ = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(response.status), version);
  response_->set(http::field::server, server_name);
  response_->set(http::field::content_type, response.content_type);
  response_->set(http::field::cache_control, response.cache_control);
  if (!response.allow.empty()) response_->set(http::field::allow, response.allow);
  for (const auto& [name, value] : response.headers) response_->insert(name, value);
  response_->keep_alive(keep_alive);
  response_->body() = std::move(response.body);
  response_->prepare_payload();
  stream_.tcp_layer().expires_after(state_.limits.http_idle_timeout);
  stream_.async_write(*response_, beast::bind_front_handler(&http_session::on_write,
                                                            shared_from_this(), keep_alive));
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return do_close();
  if (!keep_alive || closing_) return finish();
  do_read();
}

void http_session::refuse(api::http_response response) {
  if (!response.rejected.empty()) state_.counters.rejected(response.rejected);
  response_ = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(response.status), 11);
  response_->set(http::field::server, server_name);
  response_->set(http::field::content_type, response.content_type);
  response_->keep_alive(false);
  response_->body() = std::move(response.body);
  response_->prepare_payload();
  stream_.tcp_layer().expires_after(state_.limits.http_idle_timeout);
  stream_.async_write(*response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->response_.reset();
    if (ec) return self->do_close();
    beast::error_code ignored;
    self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    self->stream_.tcp_layer().expires_after(drain_time);
    self->drain();
  });
}

void http_session::drain() {
  stream_.async_read_some(asio::buffer(scratch_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->drained_ += bytes;
                            if (ec || self->drained_ > drain_limit) return self->do_close();
                            self->drain();
                          });
}

void http_session::finish() {
  if (!stream_.secure()) return do_close();
  stream_.tcp_layer().expires_after(state_.limits.handshake_timeout);
  stream_.async_tls_shutdown([self = shared_from_this()](beast::error_code) { self->do_close(); });
}

void http_session::do_close() {
  if (upgraded_) return;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace luot::net
