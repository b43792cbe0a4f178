#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "device/options.hpp"
#include "luot/v1/luot.pb.h"

namespace luot::device {

// The subprotocol name the server is asked for: "luot.v1.proto" or
// "luot.v1.json".
std::string_view subprotocol(encoding format);

// One ClientMessage as a frame: protobuf bytes, or protobuf's canonical JSON.
std::string encode(const v1::ClientMessage& message, encoding format);

// Parses one frame into `message`; returns why it could not. Unknown fields
// are skipped in both encodings, so a newer server does not break a device.
std::optional<std::string> decode(std::string_view frame, encoding format,
                                  v1::ServerMessage& message);

}  // namespace luot::device
