#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "net/beast.hpp"
#include "net/shared_state.hpp"

namespace boost::asio::ssl {
class context;
}

namespace luot::net {

// Accepts TCP connections and gives each an http_session on one of the
// I/O threads' contexts in turn (or, without them, its own strand).
// With a certificate and key in the settings it serves TLS only: every
// connection is HTTPS or WSS.
class listener : public std::enable_shared_from_this<listener> {
 public:
  // Binds and listens, and loads the TLS certificate and key when the
  // settings name them; throws std::runtime_error naming the address, or
  // the file and what is wrong with it.
  // The acceptor runs on `context`; connections go to `homes` (contexts
  // each run by one thread) in turn, or with none to strands of `context`.
  listener(asio::io_context& context, std::vector<asio::io_context*> homes,
           const tcp::endpoint& endpoint, shared_state& state);
  ~listener();

  void run();
  // Closes the acceptor; connections already accepted are not touched.
  void stop();
  std::uint16_t port() const { return port_; }
  bool secure() const { return tls_ != nullptr; }

 private:
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  // Accepting failed (out of descriptors, most likely): wait a moment and
  // try again, logging the first failure and then at most one line a while.
  void back_off(const beast::error_code& ec);

  asio::io_context& context_;
  std::vector<asio::io_context*> homes_;
  // The home of the next connection (on the acceptor's strand).
  std::size_t next_home_ = 0;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  shared_state& state_;
  std::shared_ptr<asio::ssl::context> tls_;
  std::uint16_t port_ = 0;
  // Failed accepts since the last one that worked, and when one was last
  // logged (on the acceptor's strand).
  std::uint64_t failed_accepts_ = 0;
  std::uint64_t failures_logged_ = 0;
  std::chrono::steady_clock::time_point last_failure_log_{};
};

}  // namespace luot::net
