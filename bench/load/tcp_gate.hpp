#pragma once

#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace luot::bench {

// A TCP relay on 127.0.0.1 between a device and the server, so the
// benchmark can send a real device client away (cut its connection and
// refuse new ones) while the day goes on, then let it back in. Each
// direction of each connection is pumped by its own thread: it carries one
// or two connections, never a crowd.
class tcp_gate {
 public:
  explicit tcp_gate(std::uint16_t target_port);
  ~tcp_gate();
  tcp_gate(const tcp_gate&) = delete;
  tcp_gate& operator=(const tcp_gate&) = delete;

  // Where the device connects.
  std::uint16_t port() const { return port_; }
  // Cuts every connection and refuses new ones.
  void close();
  // Relays new connections again.
  void open();

 private:
  void accept_loop();
  void relay(int client);

  std::uint16_t target_port_;
  std::uint16_t port_ = 0;
  int listener_ = -1;
  std::thread acceptor_;
  std::mutex mutex_;
  bool closed_ = false;
  bool stopping_ = false;
  std::vector<int> sockets_;
  std::vector<std::thread> pumps_;
};

}  // namespace luot::bench
