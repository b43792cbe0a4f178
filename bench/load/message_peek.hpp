#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace luot::bench {

// What a binary ServerMessage is, read from its wire bytes without parsing
// it: a receiver holding thousands of connections must cost far less than
// the server it measures, and only needs the kind and the seq.
struct message_peek {
  std::uint64_t request_id = 0;
  // The field number of the body that is set (v1::ServerMessage::BodyCase),
  // 0 when none is.
  int body = 0;
  // The seq it carries: of the View, the ViewUpdate, the Subscribed reply,
  // or the Welcome; 0 for other bodies.
  std::uint64_t seq = 0;
};

// Nothing when the bytes are not a well-formed protobuf message.
std::optional<message_peek> peek_server_message(std::string_view bytes);

}  // namespace luot::bench
