#pragma once

#include <cstdint>
#include <memory>

#include "net/beast.hpp"
#include "net/shared_state.hpp"

namespace luot::net {

// Accepts TCP connections and gives each its own strand and http_session.
class listener : public std::enable_shared_from_this<listener> {
 public:
  // Binds and listens; throws std::runtime_error naming the address on failure.
  listener(asio::io_context& context, const tcp::endpoint& endpoint, shared_state& state);

  void run();
  // Closes the acceptor; connections already accepted are not touched.
  void stop();
  std::uint16_t port() const { return port_; }

 private:
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  asio::io_context& context_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  shared_state& state_;
  std::uint16_t port_ = 0;
};

}  // namespace luot::net
