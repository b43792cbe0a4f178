#pragma once

#include <cstdint>
#include <memory>

namespace luot::testing {

// A TCP relay on 127.0.0.1 standing between a device client and the real
// server, to do to the network what tests need: freeze it (both connections
// stay open and nothing passes, which is how a frozen server or a half-open
// link looks from the client) or cut every connection. It runs on its own
// thread; its methods take effect before they return.
class tcp_relay {
 public:
  explicit tcp_relay(std::uint16_t target_port);
  ~tcp_relay();
  tcp_relay(const tcp_relay&) = delete;
  tcp_relay& operator=(const tcp_relay&) = delete;

  // Where clients connect.
  std::uint16_t port() const;
  // New connections go to this server port from now on.
  void retarget(std::uint16_t target_port);
  // Stops passing bytes either way; connections stay open.
  void freeze();
  // Passes bytes again, including those held while frozen.
  void thaw();
  // Closes every open connection on both sides.
  void cut();
  // Connections accepted so far.
  std::size_t accepted() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace luot::testing
