#include "device/websocket_link.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <stdexcept>

#include "device/codec.hpp"

namespace luot::device {

namespace {

// Why OpenSSL refused the server's certificate, when it did ("unable to
// get local issuer certificate", "hostname mismatch", ...).
std::string verify_problem(SSL* connection) {
  const long result = SSL_get_verify_result(connection);
  if (result == X509_V_OK) return {};
  return X509_verify_cert_error_string(result);
}

bool is_address(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_client_context(const std::string& ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
    if (ec)
      throw std::invalid_argument("cannot read the system's CA certificates: " + ec.message());
    return context;
  }
  if (!std::ifstream(ca_file)) {
    throw std::invalid_argument("CA file " + ca_file +
                                ": cannot be read (no such file, or no permission)");
  }
  context->load_verify_file(ca_file, ec);
  if (ec) {
    throw std::invalid_argument("CA file " + ca_file + ": no PEM certificate in it (" +
                                ec.message() + ")");
  }
  return context;
}

websocket_link::websocket_link(strand executor, server_url url, encoding format,
                               std::size_t queue_limit, std::size_t message_limit,
                               std::chrono::milliseconds close_grace, handlers events)
    : executor_(executor),
      url_(std::move(url)),
      format_(format),
      queue_limit_(queue_limit),
      close_grace_(close_grace),
      events_(std::move(events)),
      resolver_(executor),
      ws_(std::in_place_type<plain_websocket>, executor),
      grace_(executor) {
  if (url_.secure) {
    if (!url_.tls) url_.tls = make_tls_client_context({});
    ws_.emplace<tls_websocket>(executor, *url_.tls);
  }
  std::visit([&](auto& ws) { ws.read_message_max(message_limit); }, ws_);
}

beast::tcp_stream& websocket_link::tcp_layer() {
  return std::visit([](auto& ws) -> beast::tcp_stream& { return beast::get_lowest_layer(ws); },
                    ws_);
}

void websocket_link::open() {
  phase_ = phase::resolving;
  resolver_.async_resolve(
      url_.host, std::to_string(url_.port),
      beast::bind_front_handler(&websocket_link::on_resolve, shared_from_this()));
}

void websocket_link::on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
  if (phase_ != phase::resolving) return;
  if (ec) return end({"cannot resolve " + url_.host + ": " + ec.message()});
  phase_ = phase::connecting;
  tcp_layer().async_connect(
      results, beast::bind_front_handler(&websocket_link::on_connect, shared_from_this()));
}

void websocket_link::on_connect(beast::error_code ec, tcp::endpoint) {
  if (phase_ != phase::connecting) return;
  if (ec) return end({"cannot connect to " + url_.authority() + ": " + ec.message()});
  beast::error_code ignored;
  tcp_layer().socket().set_option(tcp::no_delay(true), ignored);
  auto* secured = std::get_if<tls_websocket>(&ws_);
  if (secured == nullptr) return start_handshake();
  // The certificate must name the host of the URL (a name or an address),
  // and the name goes out in SNI so a server with several can pick.
  auto& tls = secured->next_layer();
  if (!is_address(url_.host) &&
      SSL_set_tlsext_host_name(tls.native_handle(), url_.host.c_str()) != 1) {
    return end({"cannot use \"" + url_.host + "\" as a TLS server name"});
  }
  tls.set_verify_mode(ssl::verify_peer);
  tls.set_verify_callback([check = ssl::host_name_verification(url_.host), this](
                              bool preverified, ssl::verify_context& context) mutable {
    if (check(preverified, context)) return true;
    // Say why, so the reason reads "hostname mismatch", not "unspecified".
    if (preverified) {
      X509_STORE_CTX_set_error(context.native_handle(), is_address(url_.host)
                                                            ? X509_V_ERR_IP_ADDRESS_MISMATCH
                                                            : X509_V_ERR_HOSTNAME_MISMATCH);
    }
    return false;
  });
  phase_ = phase::securing;
  tls.async_handshake(ssl::stream_base::client,
                      beast::bind_front_handler(&websocket_link::on_secured, shared_from_this()));
}

void websocket_link::on_secured(beast::error_code ec) {
  if (phase_ != phase::securing) return;
  if (ec) {
    std::string reason = "TLS handshake with " + url_.authority() + " failed: " + ec.message();
    const auto problem = verify_problem(std::get<tls_websocket>(ws_).next_layer().native_handle());
    if (!problem.empty()) reason += " (" + problem + ")";
    return end({std::move(reason)});
  }
  start_handshake();
}

void websocket_link::start_handshake() {
  // Time limits are the synchronizer's: one deadline covers the whole
  // attempt, and silence after it is judged by the ping timeout.
  websocket::stream_base::timeout none{};
  none.handshake_timeout = websocket::stream_base::none();
  none.idle_timeout = websocket::stream_base::none();
  none.keep_alive_pings = false;
  const std::string wanted(subprotocol(format_));
  phase_ = phase::handshaking;
  std::visit(
      [&](auto& ws) {
        ws.set_option(none);
        ws.set_option(websocket::stream_base::decorator([wanted](websocket::request_type& request) {
          request.set(http::field::user_agent, "luot-device/0.1");
          request.set(http::field::sec_websocket_protocol, wanted);
        }));
        ws.async_handshake(
            handshake_, url_.authority(), url_.target,
            beast::bind_front_handler(&websocket_link::on_handshake, shared_from_this()));
      },
      ws_);
}

void websocket_link::on_handshake(beast::error_code ec) {
  if (phase_ != phase::handshaking) return;
  if (ec) {
    std::string reason =
        "WebSocket handshake with " + url_.authority() + " failed: " + ec.message();
    if (handshake_.result_int() != 0 && handshake_.result() != http::status::switching_protocols) {
      reason += " (HTTP " + std::to_string(handshake_.result_int()) + ")";
    }
    return end({std::move(reason)});
  }
  const auto chosen = handshake_[http::field::sec_websocket_protocol];
  if (chosen != subprotocol(format_)) {
    return end({"the server chose subprotocol \"" + std::string(chosen) + "\" instead of \"" +
                std::string(subprotocol(format_)) + "\""});
  }
  std::visit([&](auto& ws) { ws.binary(format_ == encoding::binary); }, ws_);
  phase_ = phase::open;
  if (events_.opened) events_.opened();
  do_read();
}

void websocket_link::do_read() {
  if (phase_ != phase::open) return;
  std::visit(
      [&](auto& ws) {
        ws.async_read(buffer_,
                      beast::bind_front_handler(&websocket_link::on_read, shared_from_this()));
      },
      ws_);
}

void websocket_link::on_read(beast::error_code ec, std::size_t) {
  if (phase_ != phase::open) return;
  const auto said =
      ec ? std::visit([](auto& ws) { return ws.reason(); }, ws_) : websocket::close_reason{};
  // Over TLS a server that cuts a client off sends its close frame and
  // ends the TCP stream without TLS's close_notify (it never reads that
  // client again), so the close frame arrives and the teardown reports a
  // truncated stream: still the server's close, with its code.
  if (ec == websocket::error::closed ||
      (ec == ssl::error::stream_truncated && said.code != websocket::close_code::none)) {
    std::string reason = "the server closed the connection (" + std::to_string(said.code);
    if (!said.reason.empty()) reason += ": " + std::string(said.reason.c_str());
    return end({reason + ")", static_cast<std::uint16_t>(said.code)});
  }
  if (ec == websocket::error::message_too_big) {
    return end({"the server sent a message over the limit of " +
                std::to_string(std::visit([](auto& ws) { return ws.read_message_max(); }, ws_)) +
                " bytes"});
  }
  if (ec) return end({"connection to " + url_.authority() + " lost: " + ec.message()});
  const bool text = std::visit([](auto& ws) { return ws.got_text(); }, ws_);
  if (text != (format_ == encoding::json)) {
    return end({text ? "the server sent a text frame on luot.v1.proto"
                     : "the server sent a binary frame on luot.v1.json"});
  }
  const auto data = buffer_.cdata();
  v1::ServerMessage message;
  const auto problem = decode(std::string_view(static_cast<const char*>(data.data()), data.size()),
                              format_, message);
  buffer_.consume(buffer_.size());
  // A frame that cannot be read may have been an update: the mirror would
  // silently diverge, so the link is dropped and the client resyncs.
  if (problem) return end({"the server sent an unreadable frame: " + *problem});
  if (events_.received) events_.received(std::move(message));
  do_read();
}

bool websocket_link::send(const v1::ClientMessage& message) {
  if (phase_ != phase::open || queue_.size() >= queue_limit_) return false;
  queue_.push_back(encode(message, format_));
  if (!writing_) do_write();
  return true;
}

std::size_t websocket_link::room() const {
  return phase_ == phase::open && queue_.size() < queue_limit_ ? queue_limit_ - queue_.size() : 0;
}

void websocket_link::do_write() {
  writing_ = true;
  std::visit(
      [&](auto& ws) {
        ws.async_write(asio::buffer(queue_.front()),
                       beast::bind_front_handler(&websocket_link::on_write, shared_from_this()));
      },
      ws_);
}

void websocket_link::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  queue_.pop_front();
  if (abandoned_) {
    if (!ec && !close_sent_) {
      close_sent_ = true;
      close_politely();
    }
    return;
  }
  if (phase_ != phase::open) return;
  if (ec) return end({"writing to " + url_.authority() + " failed: " + ec.message()});
  if (!queue_.empty()) do_write();
}

void websocket_link::fail(std::string reason) {
  if (phase_ == phase::ended) return;
  end({std::move(reason)});
}

void websocket_link::end(link_end why) {
  phase_ = phase::ended;
  cut();
  // Moved out so the handlers (and what they hold) are released even if
  // this link lives on until its last operation completes.
  auto events = std::move(events_);
  events_ = {};
  if (events.ended) events.ended(std::move(why));
}

void websocket_link::abandon() {
  if (abandoned_) return;
  abandoned_ = true;
  events_ = {};
  const bool was_open = phase_ == phase::open;
  phase_ = phase::ended;
  if (!was_open) return cut();
  // A close frame tells the server this was on purpose; a frozen server
  // never answers it, so the socket is cut after a short grace anyway.
  grace_.expires_after(close_grace_);
  grace_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->cut();
  });
  if (!writing_) {
    close_sent_ = true;
    close_politely();
  }
}

void websocket_link::close_politely() {
  std::visit(
      [&](auto& ws) {
        ws.async_close(websocket::close_code::normal,
                       [self = shared_from_this()](beast::error_code) { self->cut(); });
      },
      ws_);
}

void websocket_link::cut() {
  resolver_.cancel();
  grace_.cancel();
  tcp_layer().close();
}

}  // namespace luot::device
