#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "luot/v1/luot.pb.h"

namespace luot::device {

// Receives the server's answer to one command: a ServerMessage holding a
// CommandResult or an Error (UNAVAILABLE when the link dropped first).
using reply_handler = std::function<void(const v1::ServerMessage& reply)>;

// The requests sent and not yet answered, by request id. Ids only grow, for
// the whole life of a client, so a late answer on a new connection can never
// be taken for the answer to another request. Not thread-safe.
class request_table {
 public:
  // A fresh id for a request nobody waits on by handler (Hello, Subscribe,
  // Ping).
  std::uint64_t next_id() { return ++last_id_; }
  // Remembers `handler` under a fresh id and returns the id.
  std::uint64_t add(reply_handler handler);
  // Hands `reply` to the request it answers; false when none waits for it.
  bool complete(const v1::ServerMessage& reply);
  // Answers every waiting request with UNAVAILABLE, oldest first.
  void fail_all(const std::string& why);
  std::size_t waiting() const { return waiting_.size(); }

 private:
  std::uint64_t last_id_ = 0;
  std::map<std::uint64_t, reply_handler> waiting_;
};

// A reply to `request_id` saying the server could not be reached, with the
// catalogue's Vietnamese and English text.
v1::ServerMessage unavailable_reply(std::uint64_t request_id);

}  // namespace luot::device
