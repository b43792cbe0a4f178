#include "net/listener.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ssl/context.hpp>
#include <fstream>
#include <stdexcept>

#include "net/http_session.hpp"
#include "net/session_stream.hpp"

namespace luot::net {

namespace {

// How long accepting pauses after a failure (out of descriptors), and how
// often a failing accept may be logged: a server at its file limit would
// otherwise write ten lines a second.
constexpr auto accept_retry = std::chrono::milliseconds(100);
constexpr auto accept_failure_log_interval = std::chrono::seconds(10);

void check_readable(const std::filesystem::path& file, const std::string& what) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    throw std::runtime_error(what + " " + file.string() + ": no such file");
  }
  if (std::filesystem::is_directory(file, ec)) {
    throw std::runtime_error(what + " " + file.string() + ": is a directory, not a file");
  }
  if (!std::ifstream(file)) {
    throw std::runtime_error(what + " " + file.string() +
                             ": cannot be read (check its owner and permissions)");
  }
}

// The server's TLS context from the certificate chain and key the settings
// name, or null when they name none.
std::shared_ptr<ssl::context> make_tls_context(const config::server_settings& limits) {
  if (limits.tls_certificate.empty()) return nullptr;
  const auto& certificate = limits.tls_certificate;
  const auto& key = limits.tls_private_key;
  check_readable(certificate, "TLS certificate");
  check_readable(key, "TLS private key");

  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::single_dh_use |
                       ssl::context::no_compression);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  // An encrypted key would make OpenSSL ask for a passphrase on the
  // terminal, which a service does not have: refuse it instead.
  context->set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });

  beast::error_code ec;
  context->use_certificate_chain_file(certificate.string(), ec);
  if (ec) {
    throw std::runtime_error("TLS certificate " + certificate.string() +
                             ": not a PEM certificate chain (" + ec.message() + ")");
  }
  context->use_private_key_file(key.string(), ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(context->native_handle()) != 1) {
    const bool mismatch =
        ec && ERR_GET_LIB(static_cast<unsigned long>(ec.value())) == ERR_LIB_X509 &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
    if (!ec || mismatch) {
      throw std::runtime_error("TLS private key " + key.string() +
                               " does not belong to the certificate " + certificate.string());
    }
    throw std::runtime_error("TLS private key " + key.string() +
                             ": not an unencrypted PEM private key (" + ec.message() + ")");
  }
  if (const X509* leaf = SSL_CTX_get0_certificate(context->native_handle())) {
    if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
      spdlog::warn("TLS certificate {} has expired: devices and browsers will refuse it",
                   certificate.string());
    } else if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0) {
      spdlog::warn("TLS certificate {} is not valid yet (check the clock)", certificate.string());
    }
  }
  return context;
}

}  // namespace

listener::listener(asio::io_context& context, std::vector<asio::io_context*> homes,
                   const tcp::endpoint& endpoint, shared_state& state)
    : context_(context),
      homes_(std::move(homes)),
      acceptor_(asio::make_strand(context)),
      retry_(acceptor_.get_executor()),
      state_(state),
      tls_(make_tls_context(state.limits)) {
  const auto where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  port_ = acceptor_.local_endpoint().port();
  if (tls_) spdlog::info("TLS on: certificate {}", state.limits.tls_certificate.string());
}

listener::~listener() = default;

void listener::run() {
  asio::dispatch(acceptor_.get_executor(),
                 beast::bind_front_handler(&listener::do_accept, shared_from_this()));
}

void listener::stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_.cancel();
  });
}

void listener::do_accept() {
  // A connection's handlers never run concurrently: its context has one
  // thread, or it gets its own strand.
  auto handler = beast::bind_front_handler(&listener::on_accept, shared_from_this());
  if (homes_.empty())
    return acceptor_.async_accept(asio::make_strand(context_), std::move(handler));
  auto* home = homes_[next_home_];
  next_home_ = (next_home_ + 1) % homes_.size();
  acceptor_.async_accept(home->get_executor(), std::move(handler));
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  // The client gave up before it was accepted: nothing is wrong here.
  if (ec == asio::error::connection_aborted) return do_accept();
  if (ec) return back_off(ec);
  if (failures_logged_ > 0) {
    spdlog::info("accepting connections again");
    failures_logged_ = 0;
  }
  // Calls are small frames that must reach hall screens at once; without
  // this, Nagle's algorithm holds them for the peer's delayed ACK (~40 ms).
  beast::error_code option_error;
  socket.set_option(tcp::no_delay(true), option_error);
  std::make_shared<http_session>(std::move(socket), state_, tls_)->run();
  do_accept();
}

void listener::back_off(const beast::error_code& ec) {
  // The connection stays in the kernel's backlog meanwhile; once sessions
  // close (they all have deadlines) the retry accepts it. Never spin.
  ++failed_accepts_;
  const auto now = std::chrono::steady_clock::now();
  if (last_failure_log_ == std::chrono::steady_clock::time_point{} ||
      now - last_failure_log_ >= accept_failure_log_interval) {
    spdlog::warn(
        "cannot accept connections: {} ({} failed attempts since the last such line; retrying "
        "every {} ms, logged at most every {} s)",
        ec.message(), failed_accepts_, accept_retry.count(), accept_failure_log_interval.count());
    last_failure_log_ = now;
    ++failures_logged_;
    failed_accepts_ = 0;
  }
  retry_.expires_after(accept_retry);
  retry_.async_wait([self = shared_from_this()](beast::error_code wait_error) {
    if (!wait_error) self->do_accept();
  });
}

}  // namespace luot::net
