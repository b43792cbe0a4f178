#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "load/child_program.hpp"
#include "load/http_connection.hpp"
#include "load/server_child.hpp"

namespace luot::bench {

// A program that fans one message out to WebSocket subscribers on a
// trigger: luot-server (an officer's call-next), the Node.js peer on npm
// `ws`, or the kernel floor (both `POST /broadcast`). Each round starts it
// afresh, so its memory per subscriber is measured from a clean process.
class broadcaster {
 public:
  virtual ~broadcaster() = default;
  virtual std::string name() const = 0;
  // Starts a fresh process, ready for subscribers and calls.
  virtual void start() = 0;
  virtual void stop() = 0;
  virtual std::uint16_t port() const = 0;
  virtual pid_t pid() const = 0;
  // Whether a subscriber must send Subscribe (luot-server) or is live once
  // its handshake completes (the peers).
  virtual bool needs_subscribe() const = 0;
  // Readies the next call without timing it (luot-server: the officer
  // finishes the ticket being served). Returns the seq every subscriber
  // must have received before the call is timed, 0 when there is none.
  virtual std::uint64_t prepare_call() = 0;
  // Sends the trigger and returns the seq the call's message carries.
  virtual std::uint64_t call() = 0;
  // The size of the call's message (the WebSocket payload), once known.
  virtual std::size_t message_bytes() const = 0;
};

// luot-server with a fresh database per start: `waiting` tickets taken
// before the subscribers come, the officer signed in at counter 1; a call
// is POST /api/v1/counters/1/call-next (after a finish, untimed).
std::unique_ptr<broadcaster> make_luot_broadcaster(const std::string& program,
                                                   const std::filesystem::path& directory,
                                                   std::uint64_t waiting);

// A peer that sends the body of POST /broadcast to every subscriber as one
// binary message: the kernel floor (`arguments` = {bench_floor}) or Node
// (`arguments` = {node, broadcaster.js}). Each call sends `message`, a
// ServerMessage with a ViewUpdate as luot-server sent it, with its seq
// renumbered so the same receiver times all three.
std::unique_ptr<broadcaster> make_peer_broadcaster(std::string name,
                                                   std::vector<std::string> arguments,
                                                   const std::filesystem::path& directory,
                                                   std::string message);

}  // namespace luot::bench
