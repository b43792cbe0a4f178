#pragma once

// A synchronous HTTP client that tells a refused connection (the request
// never left: it did not happen) from a connection lost after the request
// went out (it may have happened). The history depends on that difference.

#include <cstdint>
#include <string>

namespace luot::history {

enum class delivery {
  // The server answered.
  answered,
  // No connection: nothing was sent.
  refused,
  // Connected and sent (or sending), then no complete answer.
  lost,
};

struct http_answer {
  delivery how = delivery::refused;
  unsigned status = 0;
  std::string body;
  // Why, when not answered.
  std::string error;
};

// One request on a fresh connection to 127.0.0.1:`port`. `token` becomes a
// bearer token. Waits at most 30 s for the answer.
http_answer http_exchange(std::uint16_t port, const std::string& method, const std::string& target,
                          const std::string& body = {}, const std::string& token = {});

}  // namespace luot::history
