#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "luot/v1/luot.pb.h"

namespace luot::testing {

// A synchronous WebSocket client (luot.v1.proto) on any path, such as a
// centre's /api/v1/centres/{centre}/ws.
class centre_socket {
 public:
  centre_socket(std::uint16_t port, const std::string& path);
  ~centre_socket();
  centre_socket(const centre_socket&) = delete;
  centre_socket& operator=(const centre_socket&) = delete;

  void send(const v1::ClientMessage& message);
  // The next message; throws on a timeout or a close.
  v1::ServerMessage receive(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Sends `message` with a fresh request id and returns its reply; pushed
  // messages read meanwhile are kept for next_pushed.
  v1::ServerMessage request(v1::ClientMessage message);
  // The next message the server pushed (request id 0).
  v1::ServerMessage next_pushed(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Pushed messages read while waiting for replies and not taken yet.
  std::size_t pending() const { return pushed_.size(); }

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::deque<v1::ServerMessage> pushed_;
  std::uint64_t next_request_id_ = 1000;
};

// The HTTP status and body of a refused WebSocket handshake on `path`.
struct refused_handshake {
  unsigned status = 0;
  std::string body;
};
refused_handshake websocket_refused_at(std::uint16_t port, const std::string& path);

}  // namespace luot::testing
