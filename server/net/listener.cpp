#include "net/listener.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "net/http_session.hpp"

namespace luot::net {

listener::listener(asio::io_context& context, const tcp::endpoint& endpoint, shared_state& state)
    : context_(context),
      acceptor_(asio::make_strand(context)),
      retry_(acceptor_.get_executor()),
      state_(state) {
  const auto where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  port_ = acceptor_.local_endpoint().port();
}

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
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(asio::make_strand(context_),
                         beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // Out of descriptors, most likely: pause briefly rather than spin, and
    // keep accepting once connections close.
    spdlog::warn("accept: {}", ec.message());
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](beast::error_code wait_error) {
      if (!wait_error) self->do_accept();
    });
    return;
  }
  // Calls are small frames that must reach hall screens at once; without
  // this, Nagle's algorithm holds them for the peer's delayed ACK (~40 ms).
  beast::error_code option_error;
  socket.set_option(tcp::no_delay(true), option_error);
  std::make_shared<http_session>(std::move(socket), state_)->run();
  do_accept();
}

}  // namespace luot::net
