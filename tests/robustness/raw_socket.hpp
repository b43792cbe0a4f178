#pragma once

// A bare TCP client for what no well-behaved client does: say nothing,
// trickle a request a byte at a time, stop halfway. Plain POSIX sockets,
// so the test controls every byte and every wait.

#include <chrono>
#include <cstdint>
#include <string_view>

namespace luot::testing {

class raw_socket {
 public:
  // Connects to 127.0.0.1:`port` (the kernel completes it even when the
  // server has not accepted yet); throws when it cannot.
  explicit raw_socket(std::uint16_t port);
  ~raw_socket();
  raw_socket(raw_socket&& other) noexcept;
  raw_socket(const raw_socket&) = delete;
  raw_socket& operator=(const raw_socket&) = delete;

  // False when the connection is broken.
  bool send(std::string_view bytes);
  // Reads and drops what the server sends until it closes the connection
  // (end of stream or reset): true when that happened within `wait`.
  bool closed_within(std::chrono::milliseconds wait);

 private:
  friend unsigned http_get_status(std::uint16_t port, std::string_view target,
                                  std::chrono::milliseconds wait);
  int fd_ = -1;
};

// GET `target` on a fresh connection; the status, or 0 when no answer came
// within `wait`.
unsigned http_get_status(std::uint16_t port, std::string_view target,
                         std::chrono::milliseconds wait);

}  // namespace luot::testing
