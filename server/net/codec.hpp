#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "luot/v1/luot.pb.h"

namespace google::protobuf {
class Message;
}

namespace luot::net {

// The two encodings of the one schema: binary protobuf for devices,
// protobuf's canonical JSON mapping for browsers.
enum class encoding { binary, json };

// How much a JSON rendering prints: replies spell out every field so a
// browser sees zeros and empty strings; pushed frames stay canonical (fields
// with default values omitted) to keep the fan-out small.
enum class json_style { every_field, canonical };

std::string to_json(const google::protobuf::Message& message,
                    json_style style = json_style::every_field);

// Parses canonical JSON into `message`, rejecting unknown fields. Returns the
// parser's reason when the text is not a valid `message`.
std::optional<std::string> from_json(std::string_view text, google::protobuf::Message& message);

// One ServerMessage in the given encoding, ready to be queued by any number
// of sessions.
std::shared_ptr<const std::string> encode(const v1::ServerMessage& message, encoding format);

// Decodes one ClientMessage frame; returns the reason when it is malformed.
std::optional<std::string> decode(std::string_view frame, encoding format,
                                  v1::ClientMessage& message);

// The wire form of a domain error: its code with the Vietnamese and English
// texts from the message catalogue.
v1::Error to_wire(const core::error& failure);

}  // namespace luot::net
